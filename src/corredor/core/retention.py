"""Retention: each app declares, in its AppConfig.ready, which of its records are kept how long
(`retention_register`); `corredor purge` removes what is due, writes the audit log and leaves a tombstone
(`core.Tombstone`) for every record with a post-made UUID, so that no copy held by an offline post, a sync
or a re-import can bring it back (`tombstone_guard`).

The periods are settings (CORREDOR_RETENTION_DAYS, one environment variable per record type); the audit log
itself is not purged here: it is kept longer than every record it speaks of.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError
from corredor.core.models import Tombstone


@dataclass(frozen=True)
class RetentionPolicy:
    """Which records of one kind are due for purging.

    `due(now, days)` returns the root records (a queryset of `model`) whose retention period has ended at
    `now`, given the configured periods in days (`settings.CORREDOR_RETENTION_DAYS`); a purge removes each
    root with every record that points at it (its documents, crossings, stays, hits ...). `guarded` are the
    models whose purged ids may never be written again.
    """

    name: str
    model: str
    description: str
    due: Callable[[datetime, dict[str, int]], models.QuerySet[Any]]
    guarded: tuple[str, ...] = ()


_policies: dict[str, RetentionPolicy] = {}


def retention_register(policy: RetentionPolicy) -> None:
    """Declare a policy (from an AppConfig.ready); guarded models refuse to re-create a purged record."""
    _policies[policy.name] = policy
    for label in (policy.model, *policy.guarded):
        pre_save.connect(tombstone_guard, sender=apps.get_model(label), dispatch_uid=f"tombstone:{label}")


def retention_policies() -> list[RetentionPolicy]:
    return list(_policies.values())


class PurgedRecord(ApplicationError):
    """A record that retention removed is offered again (an offline post's copy, a re-import)."""

    def __init__(self, label: str, pk: Any) -> None:
        super().__init__(
            _("Record %(id)s (%(type)s) was removed under the retention policy and cannot be recorded again.")
            % {"id": pk, "type": label},
            detail={"record_type": label, "id": str(pk)},
            status=410,
        )


def tombstone_guard(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    if not instance._state.adding or instance.pk is None:
        return
    label = sender._meta.label_lower
    if Tombstone.objects.filter(model_label=label, object_id=instance.pk).exists():
        raise PurgedRecord(label, instance.pk)


def purged_ids(label: str, ids: Iterable[Any]) -> set[str]:
    """Which of these ids were purged (for bulk loaders, which bypass `tombstone_guard`)."""
    from corredor.core.queries import matching

    found = matching(Tombstone, "object_id", ids, ["object_id"], model_label=label.lower())
    return {str(row[0]) for row in found}


def _dependents(model: type[models.Model], pks: set[Any], found: dict[type[models.Model], set[Any]]) -> None:
    """Every row that points, directly or through others, at these rows (reverse foreign keys and one-to-one
    relations, whatever their on_delete)."""
    new = pks - found.setdefault(model, set())
    if not new:
        return
    found[model] |= new
    for relation in model._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        related = relation.related_model
        rows = set(
            related._default_manager.filter(**{f"{relation.field.name}__in": list(new)}).values_list(
                "pk", flat=True
            )
        )
        if rows:
            _dependents(related, rows, found)


@transaction.atomic
def purge_record(*, root: models.Model, policy: RetentionPolicy, now: datetime) -> Counter[str]:
    """Remove one root record with everything that points at it; tombstones and one audit entry."""
    found: dict[type[models.Model], set[Any]] = {}
    _dependents(type(root), {root.pk}, found)
    counts: Counter[str] = Counter()
    tombstones: list[Tombstone] = []
    for model, pks in found.items():
        label = model._meta.label_lower
        if isinstance(model._meta.pk, models.UUIDField):
            tombstones.extend(Tombstone(model_label=label, object_id=pk, purged_at=now) for pk in pks)
        # Foreign keys are checked at commit (deferred), so the order does not matter within this
        # transaction; the raw delete skips the PROTECT that guards these records against everything else.
        counts[label] = model._default_manager.filter(pk__in=list(pks))._raw_delete(model._default_manager.db)
    Tombstone.objects.bulk_create(tombstones, ignore_conflicts=True)
    audit_write(
        action="purge",
        object_type=root._meta.label_lower,
        object_id=root.pk,
        summary=f"retention ({policy.name}): "
        + ", ".join(f"{n} {label}" for label, n in sorted(counts.items())),
    )
    return counts


@dataclass
class PurgeReport:
    policy: RetentionPolicy
    due: int
    removed: Counter[str]


def purge_run(*, dry_run: bool, now: datetime | None = None) -> list[PurgeReport]:
    """Apply every registered policy; with `dry_run`, only count what is due."""
    moment = now or timezone.now()
    days = dict(settings.CORREDOR_RETENTION_DAYS)
    reports = []
    for policy in retention_policies():
        due = policy.due(moment, days)
        if dry_run:
            reports.append(PurgeReport(policy, due.count(), Counter()))
            continue
        removed: Counter[str] = Counter()
        count = 0
        for root in due.iterator(chunk_size=500):
            removed += purge_record(root=root, policy=policy, now=moment)
            count += 1
        reports.append(PurgeReport(policy, count, removed))
    return reports
