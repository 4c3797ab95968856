"""Name normalisation: folding, ICAO transliteration, particles, roles, MRZ and comma forms."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from corredor.matching.normalise import Role, fold, normalise_name, normalise_token


def texts(full_name: str = "", surname: str = "", given_names: str = "") -> list[tuple[str, ...]]:
    return [parsed.texts for parsed in normalise_name(full_name, surname, given_names)]


def test_accents_and_enye_fold_to_the_plain_letter() -> None:
    assert fold("José Ñúñez Gómez") == "JOSE NUNEZ GOMEZ"


def test_letters_without_decomposition_are_spelled_out() -> None:
    assert fold("Strauß Ægir Þór Łukasz Đorđe") == "STRAUSS AEGIR THOR LUKASZ DORDE"


def test_turkish_dotless_and_dotted_i() -> None:
    assert fold("Yıldız İsmail") == "YILDIZ ISMAIL"


def test_icao_two_letter_spelling_is_a_second_spelling() -> None:
    assert texts(surname="Müller", given_names="Jürgen") == [("MULLER", "JURGEN"), ("MUELLER", "JUERGEN")]
    assert texts("Søren Åberg") == [("SOREN", "ABERG"), ("SOEREN", "AABERG")]


def test_cyrillic_follows_icao_9303() -> None:
    assert fold("Щербаков Юрий Хабибуллин Цветкова Жанна") == "SHCHERBAKOV IURII KHABIBULLIN TSVETKOVA ZHANNA"


def test_greek_and_arabic_and_chinese_become_latin() -> None:
    assert fold("Ελένη Παπαδοπούλου") == "ELENI PAPADOPOULOU"
    assert fold("حسن") == "HSN"  # no short vowels in the script
    assert fold("李小明") == "LI XIAOMING"
    assert texts(surname="王", given_names="子轩") == [("WANG", "ZIXUAN")]


def test_icao_nxx_spelling_of_enye() -> None:
    assert texts("MUNXXOZ<<JOSE") == texts(surname="Muñoz", given_names="José")


def test_digits_read_as_the_letters_ocr_confuses() -> None:
    assert fold("GARC1A L0PEZ") == "GARCIA LOPEZ"


def test_apostrophes_join_and_hyphens_separate() -> None:
    assert fold("O'Brien Jean-Baptiste") == "OBRIEN JEAN BAPTISTE"


def test_roles_from_fields_mrz_and_comma() -> None:
    for parsed in (
        normalise_name(surname="García López", given_names="José Luis")[0],
        normalise_name("GARCIA<LOPEZ<<JOSE<LUIS")[0],
        normalise_name("García López, José Luis")[0],
    ):
        assert [(p.text, p.role) for p in parsed.parts] == [
            ("GARCIA", Role.SURNAME),
            ("LOPEZ", Role.SURNAME),
            ("JOSE", Role.GIVEN),
            ("LUIS", Role.GIVEN),
        ]
    free = normalise_name("José Luis García López")[0]
    assert {p.role for p in free.parts} == {Role.UNKNOWN}


def test_particles_are_kept_apart_with_the_name_they_belong_to() -> None:
    parsed = normalise_name(surname="de la Cruz y Hernández", given_names="María de los Ángeles")[0]
    assert [(p.text, p.particle) for p in parsed.parts] == [
        ("CRUZ", "DELA"),
        ("HERNANDEZ", "Y"),
        ("MARIA", ""),
        ("ANGELES", "DELOS"),
    ]


def test_a_particle_that_is_also_a_name_stays_a_name() -> None:
    # Lê and Đỗ are Vietnamese surnames, Ben is a given name: not particles at the start.
    assert texts("Le Van Thanh") == [("LE", "THANH")]
    assert texts("Ben Smith") == [("BEN", "SMITH")]
    assert texts(surname="Do") == [("DO",)]
    assert texts("Mohamed ben Ali") == [("MOHAMED", "ALI")]


def test_trailing_particle_of_a_cut_mrz_name_is_dropped() -> None:
    assert texts("AGUIRRE<CUADEMAN<<MARIA<DE<LOS") == [("AGUIRRE", "CUADEMAN", "MARIA")]


def test_given_names_left_with_a_leading_particle() -> None:
    assert texts(surname="Iznito", given_names="de Jesús") == [("IZNITO", "JESUS")]


def test_a_name_with_no_letters_gives_nothing() -> None:
    assert normalise_name("  -- ") == ()
    assert normalise_name("3 4 7 9 <<") == ()  # digits OCR does not confuse with letters


def test_mrz_length_counts_fillers() -> None:
    assert normalise_name(surname="García López", given_names="José")[0].mrz_length == len(
        "GARCIA<LOPEZ<<JOSE"
    )


names_text = st.text(
    alphabet=st.sampled_from(string.ascii_letters + " -'<,ÁÉÍÓÚÑÜÄÖßÆØıİŁÇñçáéíóúüäöЖЩЮЯαβγ李王"), max_size=40
)


@given(names_text)
def test_fold_is_idempotent_and_ascii(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert set(folded) <= set(string.ascii_uppercase + " ")
    assert folded == folded.strip()
    assert "  " not in folded


@given(names_text)
def test_normalised_parts_are_uppercase_letters(text: str) -> None:
    for parsed in normalise_name(text):
        assert parsed.parts
        for part in parsed.parts:
            assert part.text and part.text.isascii() and part.text.isalpha() and part.text.isupper()


@given(names_text)
def test_normalise_token_has_no_spaces(text: str) -> None:
    assert " " not in normalise_token(text)
