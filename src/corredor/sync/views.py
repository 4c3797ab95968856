"""The sync page: at central, every post's devices with their lag and last contact (administrators; a
supervisor sees their own post's), posts silent too long flagged; at a post, the post's own sync state
(its officers and supervisors). Thin: parse, permit, call, render."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from corredor.core.models import Role
from corredor.core.permissions import has_role, refuse
from corredor.sync import post, selectors


@login_required
def sync_status(request: HttpRequest) -> HttpResponse:
    if settings.CORREDOR_MODE == "post":
        if not has_role(request.user, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR):
            raise refuse(
                request.user, _("Only the post's officers and supervisors can see its sync."), "sync"
            )
        return render(request, "sync/post.html", {"state": post.status()})
    rows = selectors.sync_overview(user=request.user)
    return render(
        request,
        "sync/overview.html",
        {
            "rows": rows,
            "silent_hours": settings.CORREDOR_SYNC_SILENT_HOURS,
            "silent": sum(1 for row in rows if row.silent),
        },
    )
