from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from corredor.core.models import (
    ApiToken,
    AuditEntry,
    BorderPost,
    CommonArea,
    Country,
    StayCategory,
    StayRule,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "border_post", "is_active")
    list_filter = ("role", "border_post", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Role"), {"fields": ("role", "border_post")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Role"), {"fields": ("role", "border_post")}))


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "alpha3", "name_es", "name_en", "name_fr")
    search_fields = ("code", "alpha3", "name_es", "name_en", "name_fr")


@admin.register(BorderPost)
class BorderPostAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "kind", "country", "timezone", "active")
    list_filter = ("kind", "active", "country")
    search_fields = ("code", "name_es", "name_en")
    autocomplete_fields = ("country", "neighbour")


@admin.register(StayCategory)
class StayCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "name_en", "default_days", "open_ended", "active", "sort_order")
    list_editable = ("default_days", "active", "sort_order")


@admin.register(StayRule)
class StayRuleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "category",
        "nationality",
        "nationality_area",
        "days_per_entry",
        "window_days",
        "window_length",
        "common_area",
        "active",
    )
    list_filter = ("active", "category", "common_area")
    autocomplete_fields = ("nationality",)


@admin.register(CommonArea)
class CommonAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "name_en")
    filter_horizontal = ("members",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")
    list_filter = ("revoked",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made with `corredor token create`, which shows the token once


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are events: visible to administrators, never edited or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "at", "username", "role", "origin", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_id", "summary")
