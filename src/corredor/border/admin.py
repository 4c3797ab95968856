from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from corredor.border.models import (
    BorderPolicy,
    Crossing,
    RefusalGround,
    Stay,
    StayChange,
    TravelDocument,
    Traveller,
)
from corredor.core.admin import ReadOnlyAdmin as BaseReadOnlyAdmin
from corredor.core.audit import audit_write


class ReadOnlyAdmin(BaseReadOnlyAdmin):
    """Personal records in the admin: read-only, and every page of them is written to the audit log."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        audit_write(
            action="read",
            object_type=self.model._meta.label_lower,
            object_id="admin-list",
            summary=f"admin list {request.GET.urlencode()}"[:200],
        )
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        audit_write(
            action="read", object_type=self.model._meta.label_lower, object_id=object_id, summary="admin"
        )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Traveller)
class TravellerAdmin(ReadOnlyAdmin):
    list_display = ("surname", "given_names", "birth_date", "sex", "nationality")
    search_fields = ("surname", "given_names")


@admin.register(TravelDocument)
class TravelDocumentAdmin(ReadOnlyAdmin):
    list_display = ("document_code", "issuing_state", "number", "surname", "given_names", "expiry_date")
    search_fields = ("number", "surname")


@admin.register(Crossing)
class CrossingAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "post", "direction", "decision", "refusal_ground", "traveller", "officer")
    list_filter = ("post", "direction", "decision")
    date_hierarchy = "occurred_at"


@admin.register(Stay)
class StayAdmin(ReadOnlyAdmin):
    list_display = ("traveller", "category", "granted_days", "authorised_until")


@admin.register(StayChange)
class StayChangeAdmin(ReadOnlyAdmin):
    list_display = ("stay", "kind", "category", "authorised_until", "officer", "created_at")


# The country's refusal grounds and border policy are reference data an administrator keeps.
@admin.register(RefusalGround)
class RefusalGroundAdmin(admin.ModelAdmin):
    list_display = ("code", "country", "name_es", "name_en", "active")
    list_filter = ("country", "active")


@admin.register(BorderPolicy)
class BorderPolicyAdmin(admin.ModelAdmin):
    list_display = ("country", "expired_document", "minor_exit_permit", "age_of_majority")
