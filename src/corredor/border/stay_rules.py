"""Stay arithmetic, pure: how many days a stay may last under a rule, and when a stay is overstayed.

No Django here: the rules come in as plain data so that they can be tested in milliseconds.
Days are counted inclusively: entering on 1 March with 30 days authorises the stay until 30 March.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Rule:
    """Days per entry, and optionally a rolling window: at most `window_days` days in any `window_length`."""

    days_per_entry: int
    window_days: int | None = None
    window_length: int | None = None


@dataclass(frozen=True)
class Period:
    """Days present in the country (or common area), both ends included."""

    start: date
    end: date


@dataclass(frozen=True)
class Allowance:
    """What a rule allows for a stay starting on `entry_date`, and why (for the officer)."""

    days: int
    authorised_until: date | None
    limited_by: str  # "per_entry", "common_area", "window" or "exhausted"


def last_day(entry_date: date, days: int) -> date:
    """The last authorised day of a stay of `days` days starting on `entry_date` (entry day included)."""
    return entry_date + timedelta(days=days - 1)


def allowed_days(
    rule: Rule,
    *,
    entry_date: date,
    earlier: Iterable[Period] = (),
    area_entered_on: date | None = None,
) -> Allowance:
    """The most days a stay starting on `entry_date` may last under `rule`.

    `earlier` are earlier stays that count against the rolling window (in this country, or anywhere in the
    common area when the rule's days add up across it). `area_entered_on` is the first day in a common area
    when the traveller comes from another member country: the per-entry days run from then.
    """
    limit = rule.days_per_entry
    limited_by = "per_entry"
    if area_entered_on is not None and area_entered_on < entry_date:
        used = (entry_date - area_entered_on).days
        if rule.days_per_entry - used < limit:
            limit = max(0, rule.days_per_entry - used)
            limited_by = "common_area"
    if rule.window_days is not None and rule.window_length is not None and limit > 0:
        window_limit = _window_limit(rule.window_days, rule.window_length, entry_date, limit, earlier)
        if window_limit < limit:
            limit = window_limit
            limited_by = "window"
    if limit <= 0:
        return Allowance(
            days=0, authorised_until=None, limited_by="exhausted" if limited_by != "per_entry" else limited_by
        )
    return Allowance(days=limit, authorised_until=last_day(entry_date, limit), limited_by=limited_by)


def _window_limit(n: int, m: int, entry_date: date, cap: int, earlier: Iterable[Period]) -> int:
    # Mark every earlier day that falls in the span the windows can reach, then grow the new stay one day
    # at a time while every window ending on a day of the new stay holds at most n days.
    span_start = entry_date - timedelta(days=m - 1)
    present = [False] * (m - 1 + cap)
    for period in earlier:
        first = max(period.start, span_start)
        last = min(period.end, entry_date - timedelta(days=1))
        day = first
        while day <= last:
            present[(day - span_start).days] = True
            day += timedelta(days=1)
    in_window = sum(present[: m - 1])
    allowed = 0
    for k in range(cap):
        index = m - 1 + k  # the k-th day of the new stay
        present[index] = True
        in_window += 1
        if index - m >= 0 and present[index - m]:
            in_window -= 1
        if in_window > n:
            break
        allowed = k + 1
    return allowed


def days_present(periods: Iterable[Period], *, window_end: date, window_length: int) -> int:
    """How many distinct days of `periods` fall in the `window_length` days ending on `window_end`."""
    start = window_end - timedelta(days=window_length - 1)
    days: set[date] = set()
    for period in periods:
        day = max(period.start, start)
        while day <= min(period.end, window_end):
            days.add(day)
            day += timedelta(days=1)
    return len(days)


def overstay_days(authorised_until: date | None, as_of: date) -> int:
    """Days past the authorised stay on `as_of` (0 when within it or open-ended)."""
    if authorised_until is None or as_of <= authorised_until:
        return 0
    return (as_of - authorised_until).days
