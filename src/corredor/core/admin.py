from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from corredor.core.audit import audit_write
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
from corredor.core.twofactor import two_factor_reset

# Fields of a user whose change decides what the person may see: each change is written to the audit log.
AUDITED_USER_FIELDS = ("role", "border_post", "is_active", "is_staff", "is_superuser", "password")


def _value(user: User, field: str) -> str:
    if field == "password":
        return "(set)" if user.password else ""
    return str(getattr(user, field + "_id" if field == "border_post" else field) or "")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "border_post", "is_active")
    list_filter = ("role", "border_post", "is_active")
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Role"), {"fields": ("role", "border_post")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Role"), {"fields": ("role", "border_post")}))
    actions = ["reset_two_factor"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            audit_write(
                action="create",
                object_type="core.user",
                object_id=obj.pk,
                summary=f"user {obj.get_username()} made in the admin: role {obj.role}, "
                f"post {obj.border_post_id or '-'}",
            )
            return
        changes = [
            f"{field} {_value(before, field) or '-'} → {_value(obj, field) or '-'}"
            if field != "password"
            else "password set"
            for field in AUDITED_USER_FIELDS
            if (
                before.password != obj.password
                if field == "password"
                else _value(before, field) != _value(obj, field)
            )
        ]
        if changes:
            audit_write(
                action="update",
                object_type="core.user",
                object_id=obj.pk,
                summary=f"user {obj.get_username()} changed in the admin: " + "; ".join(changes),
            )

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        audit_write(
            action="delete", object_type="core.user", object_id=obj.pk, summary=f"user {obj.get_username()}"
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            audit_write(
                action="delete",
                object_type="core.user",
                object_id=user.pk,
                summary=f"user {user.get_username()}",
            )
        super().delete_queryset(request, queryset)

    @admin.action(description=_("Reset two-factor authentication (the person enrols again)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            two_factor_reset(user=user, reason=f"by {request.user.get_username()} in the admin")
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(n)d person: they set it up again at their next login.",
                "Two-factor authentication reset for %(n)d people: they set it up again at their next login.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )


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
    readonly_fields = ("user", "key_hash", "prefix", "created_at", "last_used_at")
    list_filter = ("revoked",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made with `corredor token create`, which shows the token once

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        before = ApiToken.objects.filter(pk=obj.pk).first()
        super().save_model(request, obj, form, change)
        if before is not None and (before.revoked, before.name) != (obj.revoked, obj.name):
            state = "revoked" if obj.revoked else "active"
            audit_write(
                action="update",
                object_type="core.apitoken",
                object_id=obj.pk,
                summary=f"API token {obj.prefix}… of {obj.user.get_username()} {state}, name {obj.name!r} "
                "(in the admin)",
            )

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        audit_write(
            action="delete",
            object_type="core.apitoken",
            object_id=obj.pk,
            summary=f"API token {obj.prefix}… of {obj.user.get_username()} deleted in the admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("user"):
            audit_write(
                action="delete",
                object_type="core.apitoken",
                object_id=token.pk,
                summary=f"API token {token.prefix}… of {token.user.get_username()} deleted in the admin",
            )
        super().delete_queryset(request, queryset)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked=False).select_related("user"):
            ApiToken.objects.filter(pk=token.pk).update(revoked=True)
            audit_write(
                action="update",
                object_type="core.apitoken",
                object_id=token.pk,
                summary=f"API token {token.prefix}… of {token.user.get_username()} revoked (in the admin)",
            )


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


# Devices are managed through the users' reset action (audited), not edited one by one.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
