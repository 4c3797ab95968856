"""Refusal grounds in statistics (desk's Crossing.refusal_ground): extracted, and a dimension of the
tables (refusals by ground), labelled by the refusal form's names; an extract written before the column
existed is rebuilt whole."""

import csv
import io
import json

from corredor.border.models import Crossing
from corredor.statistics.engine import TOTAL, UNKNOWN, Engine
from corredor.statistics.extract import SCHEMA_VERSION, Manifest, extract_refresh, stats_dir
from tests.statistics import StatisticsTestCase
from tests.statistics.test_publishing import client_for


class RefusalGrounds(StatisticsTestCase):
    TRAVELLERS = 400

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        refused = list(
            Crossing.objects.filter(decision="refused").order_by("pk").values_list("pk", flat=True)
        )
        cls.grounds = {"C": refused[: len(refused) // 2], "E": refused[len(refused) // 2 :][:6]}
        for code, pks in cls.grounds.items():
            Crossing.objects.filter(pk__in=pks).update(refusal_ground=code)
        cls.unstated = len(refused) - sum(len(pks) for pks in cls.grounds.values())
        cls.refresh = extract_refresh(full=True)

    def test_refusals_by_ground(self) -> None:
        engine = Engine()
        first, last = engine.first_day, engine.last_day
        result = engine.table("refusals", by=["refusal_ground"], date_from=first, date_to=last)
        values = dict(zip(result.categories[0], result.values.tolist(), strict=True))
        assert values["C"] == len(self.grounds["C"]) and values["E"] == len(self.grounds["E"])
        assert values.get(UNKNOWN, 0) == self.unstated
        assert values[TOTAL] == sum(len(p) for p in self.grounds.values()) + self.unstated
        crossings = engine.table("crossings", by=["refusal_ground"], date_from=first, date_to=last)
        assert "_Z" in crossings.categories[0]  # every crossing that is no refusal

    def test_a_table_and_a_file_by_ground_for_an_analyst(self) -> None:
        client = client_for(self.ana)
        table = client.get("/api/v1/statistics/table", {"measure": "refusals", "by": "refusal_ground"})
        assert table.status_code == 200
        grounds = {c["categories"]["refusal_ground"] for c in table.json()["cells"]}
        assert "C" in grounds
        response = client.get(
            "/statistics/download/", {"measure": "refusals", "by": "refusal_ground", "format": "xlsx"}
        )
        assert response.status_code == 200
        page = client.get("/statistics/explore/", {"measure": "refusals", "by": ["refusal_ground"]})
        assert "C No valid visa" in page.content.decode() or "C " in page.content.decode()
        csv_text = client.get(
            "/statistics/download/", {"measure": "refusals", "by": "refusal_ground", "format": "csv"}
        ).content.decode()
        assert next(csv.reader(io.StringIO(csv_text)))[0] == "refusal_ground"
        assert (
            client.get(
                "/api/v1/statistics/table", {"measure": "refusals", "filter": "refusal_ground=Q9"}
            ).status_code
            == 400
        )

    def test_an_extract_of_an_older_version_is_rebuilt(self) -> None:
        root = stats_dir()
        manifest = Manifest.load(root)
        assert manifest is not None and manifest.schema_version == SCHEMA_VERSION
        data = json.loads((root / "manifest.json").read_text())
        data["schema_version"] = 1
        (root / "manifest.json").write_text(json.dumps(data))
        result = extract_refresh()
        assert result.full
        assert Manifest.load(root).schema_version == SCHEMA_VERSION
