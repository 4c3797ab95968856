from datetime import datetime
from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class BorderConfig(AppConfig):
    name = "corredor.border"
    label = "border"
    verbose_name = _("Border crossings")

    def ready(self) -> None:
        # Retention (registered by the `security` helper): a traveller's file, as the EU Entry/Exit System
        # keeps it, until three years after the last crossing, five when that is an entry without an exit.
        from corredor.core.retention import RetentionPolicy, retention_register

        retention_register(
            RetentionPolicy(
                name="traveller",
                model="border.traveller",
                description="a traveller's file: 3 years after the last crossing, 5 after an open entry",
                due=travellers_due,
                guarded=("border.traveldocument", "border.crossing", "border.stay", "border.staychange"),
            )
        )
        # Sync: what a post records travels to central; the refusal grounds and policies come from central.
        from corredor.sync.registry import outbound_register, published_register

        outbound_register("border.traveller", mutable=True)
        outbound_register("border.traveldocument", mutable=True)
        outbound_register("border.crossing", post_field="post")
        outbound_register("border.stay")
        outbound_register("border.staychange")
        published_register("border.refusalground")
        published_register("border.borderpolicy")
        # Sync, part 3: central answers a post's question for a traveller's national history, and the desk
        # at a post asks it (it falls back to the post's own history, labelled, when central does not answer).
        from corredor.border import hooks
        from corredor.border.national import NationalHistoryHook, history_answer
        from corredor.sync.registry import history_register

        history_register(history_answer)
        hooks.register(NationalHistoryHook())


def travellers_due(now: datetime, days: dict[str, int]) -> QuerySet[Any]:
    from datetime import timedelta

    from django.db.models import OuterRef, Q, Subquery

    from corredor.border.models import Crossing, Traveller

    last = Crossing.objects.filter(traveller=OuterRef("pk")).order_by("-occurred_at")
    files = Traveller.objects.annotate(
        last_at=Subquery(last.values("occurred_at")[:1]),
        last_direction=Subquery(last.values("direction")[:1]),
        last_decision=Subquery(last.values("decision")[:1]),
    )
    open_entry = Q(last_direction="entry", last_decision="admitted")
    due = Q(pk__in=[])
    if days.get("entry_without_exit"):
        due |= open_entry & Q(last_at__lt=now - timedelta(days=days["entry_without_exit"]))
    if days.get("crossing"):
        due |= ~open_entry & Q(last_at__lt=now - timedelta(days=days["crossing"]))
    if days.get("traveller"):
        due |= Q(last_at__isnull=True, created_at__lt=now - timedelta(days=days["traveller"]))
    return files.filter(due)
