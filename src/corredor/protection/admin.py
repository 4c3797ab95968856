"""The directory in Django's admin: administrators keep providers, their services and who works for which
agency. Cases are not in the admin: they are read through the audited pages only."""

from django.contrib import admin

from corredor.protection.models import Membership, Service, ServiceProvider


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 1


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "border_referrals", "active"]
    list_filter = ["kind", "border_referrals", "active", "country"]
    search_fields = ["name", "code", "city"]
    inlines = [ServiceInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "provider"]
    search_fields = ["user__username", "provider__name"]
    autocomplete_fields = ["provider"]
