"""The watchlist CSV format: entries read, problems located."""

from __future__ import annotations

from pathlib import Path

from corredor.matching.attributes import parse_nationality, parse_sex
from corredor.matching.records import Name, PartialDate
from corredor.matching.watchlist_csv import CsvError, entry_from_row, parse_watchlist_csv

HEADER = "entry_id,full_name,surname,given_names,aliases,birth_date,nationality,sex,category\n"


def test_a_good_file() -> None:
    result = parse_watchlist_csv(
        "\ufeff"
        + HEADER
        + "W1,,García López,José Luis,Pepe el Toro|José García,1985-03-12,México,male,wanted\n"
        + "\n"
        + 'W2,"Pierre-Louis, Jean-Baptiste",,,,1990-04,HT,M,refused\n'
        + "W3,Xóchitl Tzompantzi,,,,,,,\n"
    )
    assert result.ok
    first, second, third = result.entries
    assert first.entry_id == "W1"
    assert first.names == (
        Name(surname="García López", given_names="José Luis"),
        Name(full_name="Pepe el Toro"),
        Name(full_name="José García"),
    )
    assert (first.birth_date, first.nationality, first.sex, first.category) == (
        PartialDate(1985, 3, 12),
        "MEX",
        "M",
        "wanted",
    )
    assert (second.birth_date, second.nationality) == (PartialDate(1990, 4), "HTI")
    assert third.birth_date is None and third.nationality is None and third.sex is None
    assert result.lines == {"W1": 2, "W2": 4, "W3": 5}


def test_every_bad_field_is_reported_with_line_and_column() -> None:
    result = parse_watchlist_csv(
        HEADER
        + "W1,,García,José,,1985-13-12,Narnia,q,\n"
        + "W2,,,,,,,,\n"
        + "W1,Juan,,,,,,,\n"
        + "W4,,,Juan,,,,,\n"
        + "W5,too,many,fields,,,,,,,\n"
        + ",Ana,,,,,,,\n"
    )
    assert not result.ok
    # Attributes fail open: warnings on their line, the entry kept (here refused for its duplicate id).
    assert [(e.line, e.column, e.code) for e in result.warnings] == [
        (2, "birth_date", "bad_birth_date"),
        (2, "nationality", "bad_nationality"),
        (2, "sex", "bad_sex"),
    ]
    assert str(result.warnings[0]) == (
        "line 2, column birth_date: birth date '1985-13-12' is not a real date (month 13 does not exist)"
    )
    found = [(e.line, e.column, e.code) for e in result.errors]
    assert found == [
        (3, "full_name", "missing_name"),
        (4, "entry_id", "duplicate_entry_id"),
        (5, "surname", "missing_surname"),
        (6, None, "wrong_field_count"),
        (7, "entry_id", "missing_entry_id"),
    ]
    assert str(result.errors[1]) == "line 4, column entry_id: entry_id 'W1' already on line 2"
    assert [e.entry_id for e in result.entries] == ["W1"]
    kept = result.entries[0]
    assert (kept.birth_date, kept.nationality, kept.sex) == (None, None, None)


def test_one_bad_attribute_never_refuses_the_list() -> None:
    rows = "".join(f"W{i},Persona Número {i},,,,1970-01-0{1 + i % 9},Mexico,M,\n" for i in range(200))
    result = parse_watchlist_csv(
        HEADER
        + rows
        + "B1,Muthanna Harith Al-Dari,,,,1969-7-16,Ivory Coast,male,\n"
        + "B2,Abdul Rosyid Ridho Ba'asyir,,,,1974-01-32,Democratic Republic of the Congo,F,\n"
        + "B3,Hans Friedrich,,,,circa 1957,Mixed/Unknown,Q,\n"
    )
    assert result.ok and len(result.entries) == 203
    by_id = {e.entry_id: e for e in result.entries}
    assert str(by_id["B1"].birth_date) == "1969-07-16" and by_id["B1"].nationality == "CIV"
    assert by_id["B2"].birth_date is None and by_id["B2"].nationality == "COD"
    assert by_id["B3"].birth_date is not None and by_id["B3"].birth_date.year == 1957
    assert (by_id["B3"].nationality, by_id["B3"].sex) == (None, None)
    assert [(w.line, w.code, w.value) for w in result.warnings] == [
        (203, "bad_birth_date", "1974-01-32"),
        (204, "bad_nationality", "Mixed/Unknown"),
        (204, "bad_sex", "Q"),
    ]


def test_entry_from_row_refuses_bad_attributes_without_a_warnings_list() -> None:
    row = {"entry_id": "W1", "full_name": "Ana Pérez", "birth_date": "1974-01-32", "nationality": "Narnia"}
    entry, errors = entry_from_row(row, 7)
    assert entry is None and [e.code for e in errors] == ["bad_birth_date", "bad_nationality"]
    warnings: list[CsvError] = []
    entry, errors = entry_from_row(row, 7, warnings=warnings)
    assert entry is not None and errors == [] and [w.line for w in warnings] == [7, 7]
    loose = {"entry_id": "W2", "full_name": "Ana Pérez", "birth_date": "1980-1-1"}
    assert [e.code for e in entry_from_row(loose, 8)[1]] == ["bad_birth_date"]  # refusing: strict format
    entry, errors = entry_from_row(loose, 8, warnings=[])
    assert entry is not None and str(entry.birth_date) == "1980-01-01"


def test_header_problems() -> None:
    result = parse_watchlist_csv("entry_id,name,birthdate\nW1,Juan,1980\n")
    assert [(e.line, e.column, e.code) for e in result.errors] == [
        (1, "name", "unknown_column"),
        (1, "birthdate", "unknown_column"),
        (1, "full_name", "missing_column"),
    ]
    assert parse_watchlist_csv("").errors[0].code == "empty_file"
    assert parse_watchlist_csv("full_name\nJuan\n").errors[0].code == "missing_column"


def test_a_subset_of_columns_in_another_order() -> None:
    result = parse_watchlist_csv("full_name,entry_id\nJuan Pérez,A1\n")
    assert result.ok and result.entries[0].names == (Name(full_name="Juan Pérez"),)


def test_full_name_written_differently_from_the_fields_is_kept_as_well() -> None:
    result = parse_watchlist_csv(HEADER + "W1,Pepe García,García,José,,,,,\n")
    assert result.entries[0].names == (Name("Pepe García", "García", "José"), Name(full_name="Pepe García"))


def test_nationality_spellings() -> None:
    for text in ("MEX", "mx", "Mexico", "México", "mexicana"):
        assert parse_nationality(text) == "MEX"
    assert parse_nationality("Estados Unidos") == parse_nationality("United States") == "USA"
    assert parse_nationality("Haití") == "HTI"
    assert parse_nationality("XXA") == "XXA"
    assert parse_nationality("") is None


def test_sex_spellings() -> None:
    assert [parse_sex(t) for t in ("M", "male", "F", "Female", "X", "")] == ["M", "M", "F", "F", "X", None]


def test_reads_an_open_file(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(HEADER + "W1,Juan Pérez,,,,,,,\n", encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as handle:
        assert parse_watchlist_csv(handle).entries[0].entry_id == "W1"
