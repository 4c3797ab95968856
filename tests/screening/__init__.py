"""Screening's tests share a watchlist manager persona (wendy), one national list with a few alerts, and
the documents of travellers who match them.

The list (code ``nat``), imported through the real importer:

- ``W-WANTED``  Pérez Castillo, Juan Carlos, born 1980-02-03, NIC, M: wanted, with a note for officers
- ``W-REFUSED`` González Ulate, Pedro, born 1975, COL, M: refused entry
- ``W-CHILD``   María José Ruiz Mora, born 2015-06-01, HND, F: missing child (protective)
- ``W-NOTIFY``  Chen, Wei, born 1990-10, CHN, M: notify on arrival
- ``D-STOLEN``  passport NIC C00123456: stolen
"""

import datetime
from typing import Any

from corredor.border.documents import DocumentInput
from corredor.screening import services
from corredor.screening.models import Watchlist
from tests.factories import DocumentInputFactory, UserFactory
from tests.personas import PersonaTestCase

PERSONS_CSV = """\
entry_id,full_name,surname,given_names,aliases,birth_date,nationality,sex,category,action,note
W-WANTED,,Pérez Castillo,Juan Carlos,Juancho Pérez,1980-02-03,NIC,M,wanted,,Armed and dangerous: call backup.
W-REFUSED,,González Ulate,Pedro,,1975,Colombia,male,refused_entry,,
W-CHILD,María José Ruiz Mora,,,,2015-06-01,Honduras,F,missing_child,,Reported missing in Tegucigalpa.
W-NOTIFY,,Chen,Wei,,1990-10,CHN,M,notify_on_arrival,Notify the liaison office.,
"""
DOCUMENTS_CSV = """entry_id,issuing_state,document_type,number,reason,date
D-STOLEN,NIC,P,C00123456,stolen,2024-05-01
"""


def wanted_document(**overrides: Any) -> DocumentInput:
    """The passport of the man the list wants (as his MRZ prints it: no accents)."""
    values: dict[str, Any] = {
        "surname": "PEREZ CASTILLO",
        "given_names": "JUAN CARLOS",
        "birth_date": datetime.date(1980, 2, 3),
        "nationality": "NIC",
        "sex": "M",
        "number": "A7654321",
    }
    values.update(overrides)
    return DocumentInputFactory(**values)


def refused_document(**overrides: Any) -> DocumentInput:
    values: dict[str, Any] = {
        "surname": "GONZALEZ ULATE",
        "given_names": "PEDRO",
        "birth_date": datetime.date(1975, 8, 14),
        "nationality": "COL",
        "sex": "M",
        "number": "CC998877",
    }
    values.update(overrides)
    return DocumentInputFactory(**values)


def child_document(**overrides: Any) -> DocumentInput:
    values: dict[str, Any] = {
        "surname": "RUIZ MORA",
        "given_names": "MARIA JOSE",
        "birth_date": datetime.date(2015, 6, 1),
        "nationality": "HND",
        "sex": "F",
        "number": "H1234567",
    }
    values.update(overrides)
    return DocumentInputFactory(**values)


def stolen_document(**overrides: Any) -> DocumentInput:
    values: dict[str, Any] = {
        "surname": "LOPEZ",
        "given_names": "ANA",
        "birth_date": datetime.date(1990, 1, 9),
        "nationality": "NIC",
        "sex": "F",
        "number": "C00123456",
    }
    values.update(overrides)
    return DocumentInputFactory(**values)


def clean_document(**overrides: Any) -> DocumentInput:
    values: dict[str, Any] = {
        "surname": "SOLANO ARAYA",
        "given_names": "ELENA",
        "birth_date": datetime.date(1988, 4, 4),
        "nationality": "CRI",
        "sex": "F",
        "number": "111222333",
    }
    values.update(overrides)
    return DocumentInputFactory(**values)


class ScreeningTestCase(PersonaTestCase):
    """The personas, wendy the watchlist manager, and the national list ``nat`` with its alerts."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.wendy = UserFactory(username="wendy", role="watchlist_manager")
        cls.watchlist = services.watchlist_create(
            user=cls.wendy, code="nat", name="National list", owner="DGME", source="national"
        )
        for data, name in ((PERSONS_CSV, "persons.csv"), (DOCUMENTS_CSV, "documents.csv")):
            report = services.watchlist_import(
                user=cls.wendy, watchlist=cls.watchlist, data=data.encode(), filename=name
            )
            assert report.ok, report.errors

    def import_csv(
        self, text: str, *, mode: str = "incremental", watchlist: Watchlist | None = None, **kwargs: Any
    ) -> services.ImportReport:
        return services.watchlist_import(
            user=self.wendy,
            watchlist=watchlist or self.watchlist,
            data=text.encode(),
            filename=kwargs.pop("filename", "file.csv"),
            mode=mode,  # type: ignore[arg-type]
            **kwargs,
        )
