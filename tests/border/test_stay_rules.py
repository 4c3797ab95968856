"""Stay arithmetic, pure (no database): days per entry, rolling windows, common areas, overstays."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.border.stay_rules import (
    Allowance,
    Period,
    Rule,
    allowed_days,
    days_present,
    last_day,
    overstay_days,
)

TOURIST = Rule(days_per_entry=90, window_days=180, window_length=365)
BUSINESS = Rule(days_per_entry=30)


def days(first: date, count: int) -> Period:
    """`count` days present starting on `first` (both ends included)."""
    return Period(first, first + timedelta(days=count - 1))


# --- per entry -------------------------------------------------------------------------------------------


def test_entry_on_1_march_with_30_days_is_authorised_until_30_march() -> None:
    assert allowed_days(BUSINESS, entry_date=date(2025, 3, 1)) == Allowance(
        30, date(2025, 3, 30), "per_entry"
    )


def test_last_day_counts_the_entry_day() -> None:
    assert last_day(date(2025, 3, 1), 1) == date(2025, 3, 1)
    assert last_day(date(2024, 2, 1), 29) == date(2024, 2, 29)  # leap year
    assert last_day(date(2025, 12, 15), 90) == date(2026, 3, 14)


def test_without_earlier_stays_the_window_rule_gives_the_days_per_entry() -> None:
    allowance = allowed_days(TOURIST, entry_date=date(2025, 1, 10))
    assert allowance == Allowance(90, date(2025, 4, 9), "per_entry")


def test_earlier_stays_outside_the_window_do_not_count() -> None:
    entry = date(2025, 6, 1)
    # 180 days that ended just before the window of the first day of the new stay opens.
    old = Period(entry - timedelta(days=365 + 180), entry - timedelta(days=365))
    assert allowed_days(TOURIST, entry_date=entry, earlier=[old]).days == 90


# --- rolling window -------------------------------------------------------------------------------------


def test_two_90_day_stays_leave_nothing_in_the_window() -> None:
    first = days(date(2025, 1, 1), 90)
    second = days(date(2025, 4, 15), 90)
    allowance = allowed_days(TOURIST, entry_date=date(2025, 8, 1), earlier=[first, second])
    assert allowance == Allowance(0, None, "exhausted")


def test_the_window_leaves_the_rest_of_n_days() -> None:
    earlier = [days(date(2025, 1, 1), 150)]  # 150 of 180 used
    allowance = allowed_days(TOURIST, entry_date=date(2025, 7, 1), earlier=earlier)
    assert allowance == Allowance(30, date(2025, 7, 30), "window")


def test_a_day_exactly_m_days_back_has_left_the_window() -> None:
    rule = Rule(days_per_entry=10, window_days=10, window_length=30)
    entry = date(2025, 5, 31)
    stay_end = entry + timedelta(days=9)
    # The 30-day window ending on the stay's last day starts 29 days before it: a day 30 days back is out.
    just_outside = Period(stay_end - timedelta(days=30), stay_end - timedelta(days=30))
    just_inside = Period(stay_end - timedelta(days=29), stay_end - timedelta(days=29))
    assert allowed_days(rule, entry_date=entry, earlier=[just_outside]).days == 10
    assert allowed_days(rule, entry_date=entry, earlier=[just_inside]) == Allowance(
        9, date(2025, 6, 8), "window"
    )


def test_the_new_stays_own_days_fill_the_window() -> None:
    # 5 of 10 days used 20-24 days back; the stay's own days count in every window that ends during it.
    rule = Rule(days_per_entry=30, window_days=10, window_length=30)
    entry = date(2025, 5, 31)
    earlier = [days(entry - timedelta(days=24), 5)]
    allowance = allowed_days(rule, entry_date=entry, earlier=earlier)
    assert allowance == Allowance(5, date(2025, 6, 4), "window")


# --- common area ---------------------------------------------------------------------------------------


def test_days_since_entering_the_common_area_count() -> None:
    rule = Rule(days_per_entry=90)
    allowance = allowed_days(rule, entry_date=date(2025, 3, 31), area_entered_on=date(2025, 3, 1))
    assert allowance == Allowance(60, date(2025, 5, 29), "common_area")


def test_entering_the_area_the_same_day_changes_nothing() -> None:
    rule = Rule(days_per_entry=90)
    assert allowed_days(rule, entry_date=date(2025, 3, 1), area_entered_on=date(2025, 3, 1)).days == 90


def test_90_days_in_the_area_already_leave_none() -> None:
    rule = Rule(days_per_entry=90)
    allowance = allowed_days(rule, entry_date=date(2025, 3, 31), area_entered_on=date(2024, 12, 31))
    assert allowance == Allowance(0, None, "exhausted")


def test_common_area_and_window_together_take_the_smaller() -> None:
    earlier = [days(date(2025, 1, 1), 170)]  # 10 days left in the window
    allowance = allowed_days(
        TOURIST, entry_date=date(2025, 7, 1), earlier=earlier, area_entered_on=date(2025, 6, 1)
    )
    assert allowance.days == 10
    assert allowance.limited_by == "window"


# --- overstay and days present -------------------------------------------------------------------------


def test_overstay_days() -> None:
    until = date(2025, 3, 30)
    assert overstay_days(until, date(2025, 3, 1)) == 0
    assert overstay_days(until, until) == 0  # the last authorised day is no overstay
    assert overstay_days(until, date(2025, 3, 31)) == 1
    assert overstay_days(until, date(2025, 4, 30)) == 31
    assert overstay_days(None, date(2099, 1, 1)) == 0  # open-ended stays never overstay


def test_days_present_counts_each_day_once_inside_the_window() -> None:
    periods = [days(date(2025, 1, 1), 10), days(date(2025, 1, 5), 10), days(date(2024, 1, 1), 400)]
    # Window of 10 days ending 14 January: 5..14 January.
    assert days_present(periods, window_end=date(2025, 1, 14), window_length=10) == 10
    assert days_present([days(date(2025, 1, 1), 10)], window_end=date(2025, 1, 14), window_length=10) == 6
    assert days_present([days(date(2025, 1, 15), 3)], window_end=date(2025, 1, 14), window_length=10) == 0
    assert days_present([], window_end=date(2025, 1, 14), window_length=10) == 0


# --- properties ----------------------------------------------------------------------------------------

ENTRY = date(2025, 6, 1)

rules = st.builds(
    lambda per_entry, window: Rule(per_entry, *window) if window else Rule(per_entry),
    st.integers(1, 120),
    st.one_of(
        st.none(),
        st.integers(1, 200).flatmap(lambda m: st.tuples(st.integers(1, m), st.just(m))),
    ),
)


@st.composite
def earlier_periods(draw: st.DrawFn, max_back: int = 400) -> list[Period]:
    """Non-overlapping stays that all ended before ENTRY."""
    periods: list[Period] = []
    end_back = draw(st.integers(1, 40))  # days before ENTRY that the latest stay ended
    for _ in range(draw(st.integers(0, 5))):
        length = draw(st.integers(1, 120))
        start_back = end_back + length - 1
        if start_back > max_back:
            break
        periods.append(Period(ENTRY - timedelta(days=start_back), ENTRY - timedelta(days=end_back)))
        end_back = start_back + draw(st.integers(2, 90))
    return periods


@settings(max_examples=200, deadline=None)
@given(rule=rules, earlier=earlier_periods(), area_back=st.one_of(st.none(), st.integers(0, 150)))
def test_allowance_never_exceeds_days_per_entry(
    rule: Rule, earlier: list[Period], area_back: int | None
) -> None:
    area = ENTRY - timedelta(days=area_back) if area_back is not None else None
    allowance = allowed_days(rule, entry_date=ENTRY, earlier=earlier, area_entered_on=area)
    assert 0 <= allowance.days <= rule.days_per_entry
    if allowance.days:
        assert allowance.authorised_until == last_day(ENTRY, allowance.days)
    else:
        assert allowance.authorised_until is None


@settings(max_examples=200, deadline=None)
@given(rule=rules.filter(lambda r: r.window_days is not None), earlier=earlier_periods())
def test_the_granted_stay_keeps_every_window_within_n(rule: Rule, earlier: list[Period]) -> None:
    assert rule.window_days is not None and rule.window_length is not None
    allowance = allowed_days(rule, entry_date=ENTRY, earlier=earlier)
    if allowance.days == 0:
        return
    stay = days(ENTRY, allowance.days)
    for k in range(allowance.days):
        window_end = ENTRY + timedelta(days=k)
        assert days_present([*earlier, stay], window_end=window_end, window_length=rule.window_length) <= (
            rule.window_days
        )
    if allowance.limited_by == "window":
        # And it is the most: one day more would break a window.
        longer = days(ENTRY, allowance.days + 1)
        assert any(
            days_present(
                [*earlier, longer], window_end=ENTRY + timedelta(days=k), window_length=rule.window_length
            )
            > rule.window_days
            for k in range(allowance.days + 1)
        )


@settings(max_examples=200, deadline=None)
@given(rule=rules, earlier=earlier_periods(), data=st.data())
def test_more_earlier_days_never_give_more(rule: Rule, earlier: list[Period], data: st.DataObject) -> None:
    fewer = data.draw(st.lists(st.sampled_from(earlier), unique=True) if earlier else st.just([]))
    with_all = allowed_days(rule, entry_date=ENTRY, earlier=earlier).days
    with_fewer = allowed_days(rule, entry_date=ENTRY, earlier=fewer).days
    assert with_all <= with_fewer
