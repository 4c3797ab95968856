"""What real senders get wrong: read anyway, and say so in a located warning."""

from __future__ import annotations

import datetime
import re

import pytest

from corredor.paxlst import ParseResult, PaxlstError, read_paxlst
from tests.paxlst.samples import codes, envelope, minimal, sample

PERSON = (
    "NAD+FL+++DOE:JANE'\nATT+2++F'\nDTM+329:800101'\nNAT+2+USA'\n"
    "DOC+P:110:111+123456789'\nDTM+36:300101'\nLOC+91+USA'\n"
)


class TestSloppySample:
    """``sloppy_utf8.edi`` has most of it at once; every fault is found where it is."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls) -> ParseResult:
        return read_paxlst(sample("sloppy_utf8.edi"))

    def test_the_people_are_read(self, result: ParseResult) -> None:
        persons = result.messages[0].persons
        assert [(person.surname, person.given_names) for person in persons] == [
            ("DELA CRUZ", "JUAN MIGUEL"),
            ("MUÑOZ", "ANA LUCÍA"),
            ("TORRES", "ERICK ALEJANDRO"),
        ]
        assert persons[0].birth_date == datetime.date(1977, 6, 15)
        assert [person.nationality for person in persons] == ["PHL", "MEX", "MEX"]
        assert persons[2].sex == "X"  # U, unknown
        assert persons[1].documents[0].expiry_date == datetime.date(2028, 11, 10)

    @pytest.mark.parametrize(
        ("code", "segment", "tag", "words"),
        [
            ("whitespace", 1, None, "before the first segment"),
            ("lower-case-name", 11, "NAD", "upper-cased"),
            ("tag", 13, "DTM", "'dtm'"),
            ("country-code", 14, "NAT", "PH read as PHL"),
            ("tag", 18, "NAD", "stray space"),
            ("decoding", 18, "NAD", "read as UTF-8"),
            ("charset", 18, "NAD", "'Ñ' is outside the declared character set UNOA"),
            ("empty-segment", 22, None, "two terminators"),
            ("line-break", 25, "NAD", "inside the segment"),
            ("count-mismatch", 32, "CNT", "declares 4 passengers"),
            ("segment-count", 33, "UNT", "counts 29 segments, but the message has 31"),
            ("junk", 35, None, "text after UNZ"),
        ],
    )
    def test_each_fault_is_a_located_warning(
        self, result: ParseResult, code: str, segment: int | None, tag: str | None, words: str
    ) -> None:
        assert any(
            warning.code == code
            and warning.segment == segment
            and warning.tag == tag
            and words in warning.message
            for warning in result.warnings
        ), result.warnings


def test_leading_spaces_and_blank_lines_between_segments() -> None:
    text = minimal(PERSON).replace("NAD+FL", "\n\n    NAD+FL")

    result = read_paxlst(text)

    assert codes(result.warnings) == ["whitespace"]
    assert result.messages[0].persons[0].surname == "DOE"


def test_one_line_break_after_each_terminator_is_normal() -> None:
    assert read_paxlst(minimal(PERSON)).warnings == []
    assert read_paxlst(minimal(PERSON).replace("'\n", "'\r\n")).warnings == []
    assert read_paxlst(minimal(PERSON).replace("'\n", "'")).warnings == []


def test_a_name_wrapped_over_two_lines_is_joined() -> None:
    text = minimal(PERSON.replace("DOE:JANE", "DOE:JANE ELIZA\nBETH"))

    result = read_paxlst(text)

    assert result.messages[0].persons[0].given_names == "JANE ELIZABETH"
    assert codes(result.warnings) == ["line-break"]


def test_wrong_unt_count_and_reference() -> None:
    text = re.sub(r"UNT\+\d+\+1'", "UNT+99+7'", minimal(PERSON))

    result = read_paxlst(text)

    assert codes(result.warnings) == ["segment-count", "envelope"]
    assert result.warnings[0].tag == "UNT"
    assert "99" in result.warnings[0].message


def test_cnt_that_does_not_add_up() -> None:
    text = minimal(PERSON + "CNT+42:2'\n")

    result = read_paxlst(text)

    warning = result.warnings[0]
    assert (warning.code, warning.tag) == ("count-mismatch", "CNT")
    assert "declares 2 passengers" in warning.message and "1 were read" in warning.message
    assert result.messages[0].declared_passengers == 2


def test_lower_case_names_are_upper_cased() -> None:
    result = read_paxlst(minimal(PERSON.replace("DOE:JANE", "Doe:jane marie")))

    person = result.messages[0].persons[0]
    assert (person.surname, person.given_names) == ("DOE", "JANE MARIE")
    assert codes(result.warnings) == ["lower-case-name"]


def test_many_warnings_of_one_kind_are_summed_up() -> None:
    people = "".join(f"NAD+FL+++doe:person {index}'\n" for index in range(30))

    result = read_paxlst(minimal(people))

    lower = [warning for warning in result.warnings if warning.code == "lower-case-name"]
    assert len(lower) == 11
    assert lower[-1].segment is None
    assert "20 more" in lower[-1].message
    assert len(result.messages[0].persons) == 30


def test_junk_after_unz_is_ignored() -> None:
    text = minimal(PERSON) + "\n\n--\nSent from the APIS gateway\n\x1a"

    result = read_paxlst(text)

    assert codes(result.warnings) == ["junk"]
    assert len(result.messages[0].persons) == 1


def test_a_second_interchange_after_unz_is_read_too_even_with_other_separators() -> None:
    second = sample("una_custom_release.edi").decode()

    result = read_paxlst(minimal(PERSON) + second)

    assert [message.flight.designator for message in result.messages] == ["AM650", "DM4471"]
    assert result.warnings == []


def test_missing_final_terminator_and_missing_unz() -> None:
    text = minimal(PERSON).replace("UNZ+1+1'\n", "")
    text = text.rstrip().rstrip("'")

    result = read_paxlst(text)

    assert "unterminated" in codes(result.warnings)
    assert "trailer" in codes(result.warnings)
    assert len(result.messages[0].persons) == 1


def test_missing_unt_is_noticed_at_the_next_message() -> None:
    body = minimal(PERSON)
    first = re.sub(r"UNT\+\d+\+1'\n", "", body)
    text = first + sample("d02b_passengers.edi").decode()

    result = read_paxlst(text)

    assert len(result.messages) == 2
    assert any("has no UNT" in warning.message for warning in result.warnings)


def test_a_message_without_una_and_unb() -> None:
    body = minimal(PERSON)
    bare = body[body.index("UNH") : body.index("UNZ")]

    result = read_paxlst(bare)

    assert codes(result.warnings) == ["envelope"]
    assert "no UNB" in result.warnings[0].message
    assert result.messages[0].persons[0].surname == "DOE"


def test_release_character_before_the_end_and_doubled() -> None:
    text = minimal(PERSON.replace("DOE:JANE", "DOE??:JANE?'S")) + "?"

    result = read_paxlst(text)

    person = result.messages[0].persons[0]
    assert (person.surname, person.given_names) == ("DOE?", "JANE'S")
    assert "dangling-release" in codes(result.warnings)


def test_unknown_segments_and_misplaced_ones_are_skipped() -> None:
    text = minimal("DOC+P:110:111+X1'\n" + PERSON + "XYZ+1'\nGEI+4+173'\n")

    result = read_paxlst(text)

    assert codes(result.warnings) == ["misplaced", "unknown-segment"]
    person = result.messages[0].persons[0]
    assert [document.number for document in person.documents] == ["123456789"]


def test_a_bad_date_is_left_empty_with_a_warning() -> None:
    result = read_paxlst(minimal(PERSON.replace("DTM+329:800101", "DTM+329:801332")))

    assert result.messages[0].persons[0].birth_date is None
    assert codes(result.warnings) == ["date"]


def test_format_code_that_does_not_fit_the_value() -> None:
    text = minimal(PERSON).replace("DTM+189:2503141205:201", "DTM+189:202503141205:201")

    result = read_paxlst(text)

    assert result.messages[0].flight.departure_time == datetime.datetime(2025, 3, 14, 12, 5)
    assert codes(result.warnings) == ["date"]


def test_names_written_surname_slash_given_names() -> None:
    result = read_paxlst(minimal(PERSON.replace("DOE:JANE", "DOE/JANE")))

    person = result.messages[0].persons[0]
    assert (person.surname, person.given_names) == ("DOE", "JANE")


def test_unknown_list_type_and_person_qualifier() -> None:
    text = minimal(PERSON.replace("NAD+FL", "NAD+ZZ"), bgm="BGM+999'\n")

    result = read_paxlst(text)

    assert codes(result.warnings) == ["list-type", "qualifier"]
    assert result.messages[0].list_type == "passenger"
    assert result.messages[0].persons[0].role == "passenger"


def test_unknown_country_code_is_kept() -> None:
    result = read_paxlst(minimal(PERSON.replace("NAT+2+USA", "NAT+2+QQQ")))

    assert result.messages[0].persons[0].nationality == "QQQ"
    assert codes(result.warnings) == ["country-code"]


def test_other_message_types_are_skipped_when_a_paxlst_is_there() -> None:
    cusres = sample("cusres_response.edi").decode()

    result = read_paxlst(cusres + sample("d02b_passengers.edi").decode())

    assert result.skipped_message_types == ["CUSRES"]
    assert codes(result.warnings) == ["not-paxlst"]
    assert len(result.messages) == 1


class TestRejected:
    """Only what cannot be understood is rejected, with where and what was expected."""

    def test_a_cusres_says_so_by_name(self) -> None:
        with pytest.raises(PaxlstError) as caught:
            read_paxlst(sample("cusres_response.edi"))

        assert caught.value.message_type == "CUSRES"
        assert str(caught.value) == "segment 4 (UNH): this is a CUSRES message, not PAXLST"

    def test_another_message_type(self) -> None:
        with pytest.raises(PaxlstError, match="this is a CUSCAR message, not PAXLST"):
            read_paxlst(envelope("UNH+1+CUSCAR:D:95B:UN'\nBGM+85'\nUNT+3+1'\n"))

    @pytest.mark.parametrize("data", [b"", b"   \n", ""])
    def test_empty_input(self, data: bytes | str) -> None:
        with pytest.raises(PaxlstError, match="empty"):
            read_paxlst(data)

    @pytest.mark.parametrize(
        "data",
        [b"<?xml version='1.0'?><PassengerList/>", b'{"messages": []}', b"\x89PNG\r\n\x1a\n", "hello"],
    )
    def test_not_edifact(self, data: bytes | str) -> None:
        with pytest.raises(PaxlstError) as caught:
            read_paxlst(data)

        assert caught.value.segment == 1
        assert "not an EDIFACT interchange" in str(caught.value)

    def test_an_unusable_una(self) -> None:
        with pytest.raises(PaxlstError) as caught:
            read_paxlst("UNA:::::'UNB+UNOA:4+A+B+250101:0000+1'")

        assert (caught.value.segment, caught.value.tag) == (1, "UNA")

    def test_an_interchange_without_any_message(self) -> None:
        with pytest.raises(PaxlstError, match="no UNH"):
            read_paxlst("UNA:+.? 'UNB+UNOA:4+A+B+250101:0000+1'UNZ+0+1'")


def test_a_una_without_release_character() -> None:
    text = minimal(PERSON.replace("DOE:JANE", "O?DOE:JANE")).replace("UNA:+.? '", "UNA:+.  '")

    result = read_paxlst(text)

    assert result.separators.release is None
    assert result.messages[0].persons[0].surname == "O?DOE"
    assert result.warnings == []


def test_syntax_level_b_default_separators_without_una() -> None:
    text = minimal(PERSON)
    text = text[text.index("UNB") :].replace("UNOA", "UNOB")
    text = text.replace("+", "\x1d").replace(":", "\x1f").replace("'", "\x1c")

    result = read_paxlst(text)

    assert (result.separators.data, result.separators.terminator) == ("\x1d", "\x1c")
    assert result.messages[0].persons[0].surname == "DOE"
    assert result.warnings == []


def test_utf8_bytes_in_a_file_declared_latin1() -> None:
    text = minimal(PERSON.replace("DOE:JANE", "MUÑOZ:JOSÉ")).replace("UNOA", "UNOC")

    result = read_paxlst(text.encode("utf-8"))

    assert result.messages[0].persons[0].surname == "MUÑOZ"
    assert codes(result.warnings) == ["decoding"]
    assert result.warnings[0].tag == "NAD"


def test_latin1_bytes_in_a_file_declared_unoa() -> None:
    text = minimal(PERSON.replace("DOE:JANE", "MUÑOZ:JOSÉ"))

    result = read_paxlst(text.encode("latin-1"))

    assert result.messages[0].persons[0].surname == "MUÑOZ"
    assert codes(result.warnings) == ["decoding", "charset"]
    assert "Latin-1" in result.warnings[0].message


def test_digits_of_other_scripts_are_not_numbers() -> None:
    # str.isdigit() says yes to "²"; int() then fails. Found by fuzzing.
    text = re.sub(r"UNT\+\d+", "UNT+²1", minimal(PERSON + "CNT+42:¹'\n"))

    result = read_paxlst(text)

    assert [warning.message for warning in result.warnings if warning.code != "charset"] == [
        "CNT count '¹' is not a number",
        "UNT segment count '²1' is not a number",
    ]


class TestCompleteRefusesWhatMayBeCutShort:
    """``complete=True`` (how lists are received): a list cut in transit is an error, not a warning."""

    def test_a_whole_list_reads_the_same(self) -> None:
        text = minimal(PERSON)

        assert read_paxlst(text, complete=True).messages[0].persons[0].surname == "DOE"

    def test_cut_in_the_middle_of_a_segment(self) -> None:
        whole = sample("d02b_passengers.edi").decode("latin-1")
        cut = whole[: whole.index("DOC+P", whole.index("NAD+FL", whole.index("NAD+FL") + 1)) + 7]

        tolerant = read_paxlst(cut)  # read anyway by the inspecting command, and said
        assert "trailer" in codes(tolerant.warnings)
        with pytest.raises(PaxlstError) as raised:
            read_paxlst(cut, complete=True)

        error = raised.value
        last = len(tolerant.warnings) and max(w.segment or 0 for w in tolerant.warnings)
        assert (error.segment, error.tag) == (last, "DOC")
        assert "has no UNT" in error.message and "cut short" in error.message
        assert str(error).startswith(f"segment {last} (DOC): ")

    def test_cut_after_a_message_before_the_unz(self) -> None:
        text = minimal(PERSON).replace("UNZ+1+1'\n", "")

        with pytest.raises(PaxlstError, match="no UNZ trailer") as raised:
            read_paxlst(text, complete=True)

        assert raised.value.tag == "UNT"

    def test_a_wrong_unt_segment_count(self) -> None:
        text = re.sub(r"UNT\+\d+\+1'", "UNT+40+1'", minimal(PERSON + PERSON))

        with pytest.raises(PaxlstError, match="UNT counts 40 segments, but the message has 22") as raised:
            read_paxlst(text, complete=True)

        assert raised.value.tag == "UNT" and raised.value.expected is not None
        assert "UNT" in raised.value.expected

    def test_a_wrong_unz_message_count(self) -> None:
        text = minimal(PERSON).replace("UNZ+1+1'", "UNZ+2+1'")

        with pytest.raises(PaxlstError, match="UNZ counts 2, but 1 were read") as raised:
            read_paxlst(text, complete=True)

        assert raised.value.tag == "UNZ"

    def test_a_bare_message_without_an_interchange_needs_no_unz(self) -> None:
        body = minimal(PERSON)

        result = read_paxlst(body[body.index("UNH") : body.index("UNZ")], complete=True)

        assert result.messages[0].persons[0].surname == "DOE"
