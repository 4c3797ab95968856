"""What travels, declared by the apps that own it (from their AppConfig.ready); the sync app names no model.

- `outbound_register`: rows a border post makes (crossings, stays, adjudicated hits ...). Each is an
  append-only fact owned by the post, with a UUID made there: the post's outbox pushes them to central,
  which stores each once. `post_field` names the field holding the owning post's code (central refuses a
  device that pushes another post's records); `mutable` rows may be pushed again with a later state (a
  hit's verdict) and central keeps the latest; others are facts, and a different body for the same id is
  flagged as a conflict, never overwritten.
- `published_register`: reference data and watchlists, which flow only from central to the posts as an
  ordered feed. `queryset` says which rows travel (default: all), `post_field` keeps a row for one post (the
  users of that post), `exclude` leaves fields out (they keep the post's own value), `on_applied` tells the
  owning app which of its rows a post just received (the screening index refreshes from it).
- `history_register`: the app that keeps travellers' crossings answers central's side of a post's "national
  history" question (a post holds only its own crossings; central holds every post's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Outbound:
    label: str
    post_field: str | None = None
    device_field: str = "device_id"
    mutable: bool = False
    # Central stores these rows elsewhere than in the model's own table (a post's audit entries cannot join
    # central's chain): `ingest(device, {pk: payload})` returns how many it stored.
    ingest: Callable[[Any, dict[str, dict[str, Any]]], int] | None = field(default=None, compare=False)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


@dataclass(frozen=True)
class Published:
    label: str
    queryset: Callable[[], models.QuerySet[Any]] | None = None
    post_field: str | None = None
    exclude: tuple[str, ...] = ()
    append_only: bool = False
    on_applied: Callable[[Sequence[Any], Sequence[Any]], None] | None = field(default=None, compare=False)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def rows(self) -> models.QuerySet[Any]:
        return self.queryset() if self.queryset is not None else self.model._default_manager.all()


_outbound: dict[str, Outbound] = {}
_published: dict[str, Published] = {}


def outbound_register(
    label: str,
    *,
    post_field: str | None = None,
    device_field: str = "device_id",
    mutable: bool = False,
    ingest: Callable[[Any, dict[str, dict[str, Any]]], int] | None = None,
) -> None:
    """Declare that a post's rows of this model (``app.model``) are pushed to central."""
    apps.get_model(label)  # fail at start-up on a typo, not at the first push
    _outbound[label.lower()] = Outbound(label.lower(), post_field, device_field, mutable, ingest)


def published_register(
    label: str,
    *,
    queryset: Callable[[], models.QuerySet[Any]] | None = None,
    post_field: str | None = None,
    exclude: tuple[str, ...] = (),
    append_only: bool = False,
    on_applied: Callable[[Sequence[Any], Sequence[Any]], None] | None = None,
) -> None:
    """Declare that central publishes this model's rows to the posts. `on_applied(changed_pks, removed_pks)`
    runs at the post, in the transaction that applied them."""
    apps.get_model(label)
    _published[label.lower()] = Published(
        label.lower(), queryset, post_field, exclude, append_only, on_applied
    )


def outbound(label: str) -> Outbound | None:
    return _outbound.get(label.lower())


def outbound_models() -> list[Outbound]:
    return list(_outbound.values())


def published(label: str) -> Published | None:
    return _published.get(label.lower())


def published_models() -> list[Published]:
    """The published models, each after the models it points at (so a post applies parents first)."""
    entries = dict(_published)
    ordered: list[Published] = []
    seen: set[str] = set()

    def visit(label: str, trail: frozenset[str]) -> None:
        if label in seen or label in trail:
            return
        meta = entries[label].model._meta
        for relation in [*meta.concrete_fields, *meta.many_to_many]:
            target = relation.related_model if relation.is_relation else None
            if target is not None and not isinstance(target, str):
                parent = target._meta.label_lower
                if parent != label and parent in entries:
                    visit(parent, trail | {label})
        seen.add(label)
        ordered.append(entries[label])

    for label in sorted(entries):
        visit(label, frozenset())
    return ordered


# --- the national history -----------------------------------------------------------------------------------

#: `answer(user, issuing_state=..., number=..., traveller_id=...)` -> the traveller's history as plain data
#: (the shape of `api.SyncHistoryOut`). It runs at central, as the asking officer: it checks their role and
#: writes the audit log as every read of a traveller's record does.
HistoryAnswer = Callable[..., dict[str, Any]]
_history: list[HistoryAnswer] = []


def history_register(answer: HistoryAnswer) -> None:
    """Declare who answers a post's question for a traveller's national history (one app: the last wins)."""
    _history[:] = [answer]


def history_answer() -> HistoryAnswer | None:
    return _history[0] if _history else None
