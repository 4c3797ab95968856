"""Remittance prices from a CSV in the shape of the World Bank's Remittance Prices Worldwide."""

from pathlib import Path

import pytest

from corredor.core.errors import ApplicationError
from corredor.infohub import importers, services
from corredor.infohub.models import RemittancePrice
from tests.infohub import HubTestCase

DEMO = Path(importers.__file__).parent / "data" / "remittances_demo_rpw.csv"
HEADER = (
    "period,source_code,source_name,destination_code,destination_name,firm_type,firm,product,speed_actual,"
    "cc1 denomination amount,cc1 lcu fee,cc1 fx margin,cc1 total cost %,"
    "cc2 denomination amount,cc2 lcu fee,cc2 fx margin,cc2 total cost %\n"
)


def test_reads_both_amounts_and_flags_unsurveyed_rows() -> None:
    data = (
        HEADER
        + "2023_3Q,USA,United States,HND,Honduras,Bank,Banco X,Account,3-5 days,"
        + "200,10,1.5,6.5,500,12,1.5,3.9\n"
        + "2023_3Q,USA,United States,HND,Honduras,MTO,Remesas Y,Cash,Same day,200,,,,500,8,0.5,2.1\n"
        + "2023_3Q,USA,United States,HND,Honduras,MTO,Z,Cash,Same day,200,5,-1,-1,,,,\n"
        + "2023_3Q,USA,United States,ZZZ,Nowhere,MTO,Q,Cash,Same day,200,5,1,3,500,5,1,2\n"
    ).encode()
    result = importers.read_rpw(data)
    assert [(r["provider"], str(r["amount_usd"]), str(r["total_cost"])) for r in result.rows] == [
        ("Banco X", "200.00", "6.500"),
        ("Banco X", "500.00", "3.900"),
        ("Remesas Y", "500.00", "2.100"),
    ]
    assert {item["line"] for item in result.skipped} == {3, 4, 5}


def test_semicolons_and_a_byte_order_mark() -> None:
    data = (
        "\ufeff" + HEADER.replace(",", ";") + "2023_1Q;CRI;CR;NIC;NI;Bank;B;A;1d;200;4;1;3;;;;\n"
    ).encode()
    assert len(importers.read_rpw(data).rows) == 1


def test_a_header_without_the_cost_columns_is_refused() -> None:
    assert "Missing columns" in importers.read_rpw(b"period,firm\n2023,X\n").header_problem


class RemittanceImportTests(HubTestCase):
    def test_the_demo_file_replaces_the_prices_and_is_audited(self) -> None:
        result = services.remittances_import(user=self.elena, data=DEMO.read_bytes(), source_name=DEMO.name)
        assert RemittancePrice.objects.count() == len(result.rows) > 50
        assert result.skipped  # the demo file carries the dataset's unsurveyed rows too

    def test_a_wrong_file_changes_nothing(self) -> None:
        services.remittances_import(user=self.elena, data=DEMO.read_bytes())
        before = RemittancePrice.objects.count()
        with pytest.raises(ApplicationError, match="Remittance Prices Worldwide"):
            services.remittances_import(user=self.elena, data=b"a,b\n1,2\n")
        assert RemittancePrice.objects.count() == before
