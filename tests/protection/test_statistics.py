"""Protection in the statistics: the extract holds anonymised referrals and cases (no names, no ids), the
figures by type, sex, age group and nationality are protected like every table (small cells withheld), the
analyst sees them and downloads them as CSV, a supervisor sees their post's, caseworkers and officers are
refused (audited)."""

import csv
import datetime
import io
import shutil
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from django.test import Client, override_settings
from django.utils import timezone

from corredor.core.errors import PermissionDenied
from corredor.core.models import AuditEntry
from corredor.protection.models import Case, Transition
from corredor.statistics import disclosure
from corredor.statistics.engine import TOTAL
from corredor.statistics.extract import Manifest, extract_refresh
from corredor.statistics.protection import NEVER_EXTRACTED, protection_table
from tests.protection import ProtectionTestCase


def client_for(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


# (how many, kind, sex, birth date, nationality, referring post)
GROUPS = [
    (12, "child_protection", "F", datetime.date(2011, 2, 3), "HND", "SJO"),
    (9, "trafficking", "M", datetime.date(1990, 6, 1), "GTM", "PBL"),
    (2, "gbv", "F", datetime.date(1995, 1, 1), "NIC", "SJO"),
]


class ProtectionStatisticsTests(ProtectionTestCase):
    stats_dir: Path

    @classmethod
    def setUpClass(cls) -> None:
        cls.stats_dir = Path(tempfile.mkdtemp(prefix="corredor-protection-stats-"))
        cls._settings = override_settings(CORREDOR_STATS_DIR=str(cls.stats_dir))
        cls._settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._settings.disable()
        shutil.rmtree(cls.stats_dir, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        now = timezone.now() - datetime.timedelta(days=3)
        n = 0
        for count, kind, sex, birth, nationality, post in GROUPS:
            for _ in range(count):
                n += 1
                case = Case.objects.create(
                    reference=f"PR-T-{n:04d}",
                    surname=f"SECRETNAME{n}",
                    given_names="HIDDEN",
                    birth_date=birth,
                    sex=sex,
                    nationality_id=nationality,
                    kind=kind,
                    created_at=now,
                )
                Transition.objects.create(
                    kind="referral",
                    case=case,
                    created_by=cls.alice,
                    from_post_id=post,
                    to_provider=cls.pani,
                    consent_given=True,
                    consent_data=["identity"],
                    created_at=now,
                )
        cls.refresh = extract_refresh(full=True)

    def test_the_extract_holds_every_referral_and_case_and_nothing_personal(self) -> None:
        manifest = Manifest.load(self.stats_dir)
        assert manifest is not None
        total = sum(g[0] for g in GROUPS)
        for table in ("referrals", "cases"):
            (name,) = manifest.parts[f"protection_{table}"]
            data = pq.read_table(self.stats_dir / name)
            assert data.num_rows == total
            assert not set(data.column_names) & NEVER_EXTRACTED
            text = " ".join(str(v) for column in data.to_pydict().values() for v in column)
            assert "SECRETNAME" not in text and "HIDDEN" not in text and "PR-T-" not in text
            assert "2011-02-03" not in text  # no birth date: the age on the day instead
        assert self.refresh.total["protection_cases"] == total

    def test_the_extract_has_protections_anonymised_columns(self) -> None:
        from corredor.protection.selectors import ANONYMISED_CASE_COLUMNS, ANONYMISED_REFERRAL_COLUMNS
        from corredor.statistics.protection import CASE_SCHEMA, REFERRAL_SCHEMA

        assert tuple(REFERRAL_SCHEMA.names) == ANONYMISED_REFERRAL_COLUMNS
        assert tuple(CASE_SCHEMA.names) == ANONYMISED_CASE_COLUMNS

    def test_small_cells_are_withheld_with_a_complementary_cell(self) -> None:
        result = protection_table(user=self.ana, table="cases", by=["case_kind"])
        assert result.value_at("child_protection") == 12
        kinds = result.categories[0]
        assert result.status[kinds.index("gbv")] == disclosure.PRIMARY  # 2 women: withheld
        # ... and the smallest other cell with it, so that it cannot be worked out from the total.
        assert result.status[kinds.index("trafficking")] == disclosure.SECONDARY
        assert result.total() == 23
        published = result.values[result.status == disclosure.PUBLISHED]
        assert not [v for v in published if 0 < v < 5]

    def test_by_sex_age_group_and_nationality(self) -> None:
        result = protection_table(user=self.ana, table="referrals", by=["age_band", "sex"])
        assert result.value_at("12-17", "F") == 12
        assert result.value_at("30-44", "F") is None  # the 2 women of 30-44 are withheld
        assert result.value_at("12-17", TOTAL) == 12
        by_nationality = protection_table(user=self.ana, table="cases", by=["nationality"])
        assert by_nationality.value_at("HND") == 12 and by_nationality.value_at("NIC") is None

    def test_the_analyst_sees_the_figures_and_downloads_them_protected(self) -> None:
        client = client_for(self.ana)
        html = client.get("/statistics/protection/").content.decode()
        assert "Protection figures" in html and "Child protection" in html and "Honduras" in html
        assert "SECRETNAME" not in html and "PR-T-" not in html
        assert 'href="/statistics/protection/"' in client.get("/statistics/explore/").content.decode()
        response = client.get("/statistics/protection/download/", {"table": "cases", "by": "case_kind"})
        assert response.status_code == 200
        rows = {r["case_kind"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
        assert rows["child_protection"]["protection_cases"] == "12"
        assert rows["gbv"]["protection_cases"] == "" and rows["gbv"]["flag"] == "confidential"
        assert AuditEntry.objects.filter(action="export", object_type="statistics.protection").exists()

    def test_a_supervisor_sees_the_referrals_of_their_own_post(self) -> None:
        result = protection_table(user=self.sofia, table="referrals", by=["case_kind"])
        assert result.total() == 14 or result.total() is None
        assert result.value_at("trafficking") == 0  # PBL's referrals are not theirs
        with self.assertRaises(PermissionDenied):
            protection_table(user=self.sofia, table="referrals", by=["sex"], filters={"post": ["PBL"]})

    def test_caseworkers_and_officers_are_refused_and_audited(self) -> None:
        for user in (self.carla, self.alice):
            page = client_for(user).get("/statistics/protection/")
            assert page.status_code == 403
            download = client_for(user).get(
                "/statistics/protection/download/", {"table": "cases", "by": "nationality"}
            )
            assert download.status_code == 403
            assert AuditEntry.objects.filter(action="denied", username=user.username).count() >= 2

    def test_a_bad_breakdown_says_what_is_allowed(self) -> None:
        response = client_for(self.ana).get(
            "/statistics/protection/download/", {"table": "cases", "by": "surname"}
        )
        assert response.status_code == 400
        assert "Break these figures down by" in response.content.decode()
