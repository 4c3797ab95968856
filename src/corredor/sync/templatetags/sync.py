"""`{% sync_nav %}`: the sync page's link for those who may open it, and at a post, for every officer,
"watchlists as of <time>" (what the desk screens against while the link is down)."""

from typing import Any

from django import template
from django.conf import settings

from corredor.sync.models import PostState

register = template.Library()

CENTRAL_ROLES = ("supervisor", "administrator")
POST_ROLES = ("officer", "supervisor", "administrator")


@register.inclusion_tag("sync/_nav_link.html", takes_context=True)
def sync_nav(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    role = getattr(user, "role", "")
    post_mode = settings.CORREDOR_MODE == "post"
    link = role in (POST_ROLES if post_mode else CENTRAL_ROLES)
    as_of = None
    if post_mode and link:
        as_of = PostState.objects.filter(pk=1).values_list("feed_as_of", flat=True).first()
    return {"link": link, "post_mode": post_mode, "as_of": as_of}
