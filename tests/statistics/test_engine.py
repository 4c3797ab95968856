"""The extract and the engine: the figures agree with the operational records (counted through the ORM
and the border's own selectors), corrections and extensions count as they should, refreshes are
incremental and never count a crossing twice."""

import io
from datetime import date, timedelta

import numpy as np
import pyarrow.parquet as pq
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone, translation

from corredor.border.models import Crossing, Stay, StayChange
from corredor.border.selectors import effective_crossings, overstay_rows
from corredor.border.services import crossing_correct
from corredor.core.errors import ApplicationError
from corredor.statistics import engine as engine_module
from corredor.statistics import exports
from corredor.statistics.engine import TOTAL, Engine, Query
from corredor.statistics.extract import Manifest, extract_refresh
from corredor.statistics.models import ExtractState
from tests.factories import DocumentInputFactory, record
from tests.statistics import StatisticsTestCase


class EngineAgreesWithTheRecords(StatisticsTestCase):
    def test_extract_holds_every_crossing_and_no_personal_names(self) -> None:
        manifest = Manifest.load(self.stats_dir)
        assert manifest is not None
        assert manifest.rows["crossings"] == Crossing.objects.count() > 500
        table = pq.read_table([str(self.stats_dir / p) for p in manifest.parts["crossings"]])
        assert "surname" not in table.column_names and "birth_date" not in table.column_names
        assert ExtractState.objects.get(table="crossings").rows == Crossing.objects.count()

    def test_entries_by_month_and_nationality_match_the_orm(self) -> None:
        engine = Engine()
        start, end = engine.default_range()
        result = engine.table("entries", by=["nationality"], date_from=start, date_to=end)
        orm = dict(
            effective_crossings()
            .filter(direction="entry", decision="admitted")
            .filter(occurred_at__date__gte=start - timedelta(days=1))
            .values_list("document__nationality")
            .annotate(n=Count("id"))
        )
        # The ORM side in the post's local day: every demo post is in the installation's time zone.
        local = {}
        for nationality, at in (
            effective_crossings()
            .filter(direction="entry", decision="admitted")
            .values_list("document__nationality", "occurred_at")
        ):
            if start <= timezone.localdate(at) <= end:
                code = "DEU" if nationality == "D" else nationality
                local[code] = local.get(code, 0) + 1
        assert orm  # the ORM query ran
        assert dict(result.series()) == local
        assert result.total() == sum(local.values())

    def test_margins_are_exact_also_for_distinct_travellers(self) -> None:
        engine = Engine()
        result = engine.table("travellers", by=["post", "sex"])
        inner = result.values[:-1, :-1]
        # A traveller who crossed at two posts is one person in the total, not two.
        assert result.values[-1, -1] <= inner.sum()
        expected = len({t for t in Crossing.objects.values_list("traveller_id", flat=True)})
        start, end = engine.default_range()
        in_range = {
            t
            for t, at in Crossing.objects.filter(corrected_by__isnull=True).values_list(
                "traveller_id", "occurred_at"
            )
            if start <= timezone.localdate(at) <= end
        }
        assert result.values[-1, -1] == len(in_range) <= expected

    def test_period_totals_are_the_sum_of_the_periods(self) -> None:
        result = Engine().table("entries", by=["month", "sex"])
        assert result.categories[0][-1] == TOTAL
        assert np.array_equal(result.values[:-1].sum(axis=0), result.values[-1])

    def test_overstays_match_the_border_overstay_list(self) -> None:
        engine = Engine()
        day = engine.last_day
        stock = engine.table("overstays", date_from=day, date_to=day)
        assert stock.values[()] == len(overstay_rows(as_of=day)) > 0

    def test_people_in_the_country_are_foreigners_with_an_open_entry(self) -> None:
        engine = Engine()
        day = engine.last_day
        result = engine.table("in_country", by=["nationality"], date_from=day, date_to=day)
        assert "CRI" not in result.categories[0]  # nationals are not counted as present foreigners
        assert result.total() > 0

    def test_overstay_rate_is_a_share(self) -> None:
        result = Engine().table("overstay_rate", by=["month"])
        shares = [v for _c, v in result.series() if v is not None]
        assert shares and all(0 <= v <= 1 for v in shares)
        assert result.denominator is not None and result.denominator[-1] >= result.support[-1]

    def test_periods_the_records_do_not_reach_are_absent_not_zero(self) -> None:
        engine = Engine()
        first, last = engine.first_day, engine.last_day
        wide = {"date_from": first - timedelta(days=400), "date_to": last + timedelta(days=70)}
        for measure in ("entries", "in_country", "overstay_rate"):
            months = engine.table(measure, by=["month"], **wide).categories[0]
            months = [m for m in months if m != TOTAL]
            assert months[0] == first.replace(day=1) and months[-1] == last.replace(day=1), measure
        # A range the records do not reach at all is refused, saying where the records are.
        with (
            translation.override("en"),
            self.assertRaisesRegex(ApplicationError, f"The records run from {first} to {last}"),
        ):
            engine.table(
                "entries",
                by=["month"],
                date_from=first - timedelta(days=400),
                date_to=first - timedelta(days=40),
            )

    def test_a_rate_where_no_stay_fell_due_is_not_available_rather_than_zero(self) -> None:
        engine = Engine()
        first = engine.first_day
        result = engine.table(
            "overstay_rate", by=["day"], date_from=first, date_to=first + timedelta(days=40)
        )
        assert result.denominator is not None
        values = dict(result.series())
        nothing_due = [d for i, d in enumerate(result.categories[0][:-1]) if result.denominator[i] == 0]
        assert nothing_due and all(values[d] is None for d in nothing_due)
        assert all(values[d] is not None for d in values if d not in nothing_due)
        written = exports.write_csv(result.protect(5)).decode()
        assert "nan" not in written.lower()
        # Not a withheld cell: flagged for what it is.
        first_due = nothing_due[0].isoformat()
        row = next(line for line in written.splitlines() if line.startswith(first_due))
        assert row.endswith(",,not applicable")

    def test_disaggregated_by_sex_and_age(self) -> None:
        result = Engine().table("entries", by=["sex", "age_band"])
        assert set(result.categories[0]) >= {"F", "M", TOTAL}
        assert "0-11" in result.categories[1] and "18-29" in result.categories[1]

    def test_dimensions_that_do_not_apply_are_refused(self) -> None:
        with self.assertRaises(ApplicationError):
            Engine().table("in_country", by=["direction"])
        with self.assertRaises(ApplicationError):
            Engine().table("entries", by=["month", "year"])
        with self.assertRaises(ApplicationError):
            Engine().table("nonsense")

    def test_filters_narrow_the_figures(self) -> None:
        engine = Engine()
        everyone = engine.table("entries").total()
        sjo = engine.table("entries", filters={"post": ["SJO"]}).total()
        women = engine.table("entries", filters={"sex": ["F"]}).total()
        assert 0 < sjo < everyone and 0 < women < everyone
        by_post = engine.table("entries", by=["post"])
        assert by_post.value_at("SJO") == sjo


class RefreshIsIncremental(StatisticsTestCase):
    TRAVELLERS = 60

    def test_corrections_extensions_and_new_crossings(self) -> None:
        engine = Engine()
        day = engine.last_day
        before_entries = engine.table("entries", date_from=day, date_to=day).values[()]
        overstays_before = engine.table("overstays", date_from=day, date_to=day).values[()]
        rows_before = Manifest.load(self.stats_dir).rows["crossings"]

        # A new admitted entry today, then a correction of it to a refusal: only the correction counts.
        today = timezone.localdate()
        doc = DocumentInputFactory(nationality="HND")
        entry = record(self.alice, doc, occurred_at=timezone.now()).crossing
        crossing_correct(
            officer=self.sofia,
            crossing_id=entry.pk,
            reason="wrong decision",
            decision="refused",
            refusal_ground="E",
        )
        # An overstay extended: it stops being one.
        overstay = overstay_rows(as_of=day)[0]
        stay = Stay.objects.filter(traveller_id=overstay.traveller_id).order_by("-created_at").first()
        StayChange.objects.create(
            stay=stay,
            kind="extension",
            category_id=stay.category_id,
            authorised_until=today + timedelta(days=30),
            reason="test",
            officer=self.sofia,
        )
        result = extract_refresh()
        assert not result.full
        added = Crossing.objects.count() - rows_before
        assert result.added["crossings"] == added >= 1
        assert result.added["stay_changes"] == 2  # the extension, and the end of the corrected entry's stay
        # Refreshing again adds nothing: nothing is counted twice, even inside the late window.
        again = extract_refresh()
        assert again.added == {"crossings": 0, "stay_changes": 0}
        assert Manifest.load(self.stats_dir).rows["crossings"] == Crossing.objects.count()

        engine = Engine()
        assert engine.table("overstays", date_from=day, date_to=day).values[()] == overstays_before - 1
        effective_today = effective_crossings().filter(
            direction="entry", decision="admitted", occurred_at__date__gte=today - timedelta(days=1)
        )
        counted = sum(1 for c in effective_today if timezone.localdate(c.occurred_at) == today)
        assert engine.table("entries", date_from=today, date_to=today).values[()] == counted
        del before_entries

    def test_late_rows_from_an_offline_post_are_caught_up(self) -> None:
        # A crossing made at an offline post before the last refresh (its created_at is the time it was made
        # there) reaches central only now.
        state = ExtractState.objects.get(table="crossings")
        late_time = state.watermark - timedelta(days=1)
        crossing = record(
            self.bob, DocumentInputFactory(nationality="PAN"), occurred_at=timezone.now()
        ).crossing
        Crossing.objects.filter(pk=crossing.pk).update(created_at=late_time)
        result = extract_refresh()
        assert result.added["crossings"] >= 1
        manifest = Manifest.load(self.stats_dir)
        ids = pq.read_table([str(self.stats_dir / p) for p in manifest.parts["crossings"]], columns=["id"])
        assert crossing.pk.bytes in set(ids.column("id").to_pylist())
        assert len(ids) == Crossing.objects.count()

    def test_full_refresh_rebuilds_the_same_extract(self) -> None:
        result = extract_refresh(full=True)
        assert result.full and result.total["crossings"] == Crossing.objects.count()

    def test_refresh_command(self) -> None:
        out = io.StringIO()
        call_command("stats", "refresh", stdout=out)
        assert "refresh" in out.getvalue().lower()


def test_query_is_hashable_and_normalises_filters() -> None:
    a = Query.make(
        measures=["entries"],
        by=["sex"],
        date_from=date(2025, 1, 1),
        date_to=date(2025, 1, 31),
        filters={"post": ["SJO", "LIR"]},
    )
    b = Query.make(
        measures=["entries"],
        by=["sex"],
        date_from=date(2025, 1, 1),
        date_to=date(2025, 1, 31),
        filters={"post": ["LIR", "SJO"]},
    )
    assert a == b and hash(a) == hash(b)


class OneScanForManyBreakdowns(StatisticsTestCase):
    TRAVELLERS = 120

    def test_run_many_answers_exactly_what_separate_queries_answer(self) -> None:
        engine = Engine()
        start, end = engine.default_range()
        flows = ["entries", "exits", "net_flow", "refusals", "referrals"]
        breakdowns = [["month"], ["nationality"], ["post", "sex"], ["sex", "age_band"], []]
        queries = [Query.make(measures=flows, by=by, date_from=start, date_to=end) for by in breakdowns]
        together = engine.run_many(queries)
        for query, answer in zip(queries, together, strict=True):
            engine_module._CACHE.clear()
            alone = engine.run(query)
            for code in flows:
                assert answer[code].categories == alone[code].categories
                assert np.array_equal(answer[code].values, alone[code].values), (query.by, code)
        distinct = [
            Query.make(measures=["travellers"], by=by, date_from=start, date_to=end)
            for by in (["sex"], ["post"])
        ]
        for query, answer in zip(distinct, engine.run_many(distinct), strict=True):
            engine_module._CACHE.clear()
            assert np.array_equal(answer["travellers"].values, engine.run(query)["travellers"].values)
