from django.contrib import admin

from corredor.manifests.models import CarrierAccount


@admin.register(CarrierAccount)
class CarrierAccountAdmin(admin.ModelAdmin):
    """Who may send which carrier's lists; the lists themselves are read on the flights pages (audited)."""

    list_display = ("carrier", "user", "name", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("carrier", "user__username", "name")
    raw_id_fields = ("user",)
