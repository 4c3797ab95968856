"""Plain rules for naming the same person, document and flight the same way whoever wrote them: the list,
the MRZ read at the desk, or an officer typing a flight number. No database."""

import hashlib
import json
import re
import unicodedata
from datetime import date

_FLIGHT = re.compile(r"([A-Z]{3}|[A-Z0-9]{2})0*([0-9]{1,4}[A-Z]?)")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def icao_code(code: str | None) -> str:
    """A country code as travel documents print it, and the border app stores it: Germany is D, not DEU."""
    code = (code or "").strip().upper().strip("<")
    return "D" if code == "DEU" else code


def document_number(number: str | None) -> str:
    """A document number without spaces, hyphens or MRZ fillers, in capitals."""
    return _NOT_ALNUM.sub("", (number or "").upper())


def name_key(name: str | None) -> str:
    """Letters and digits only, accents and case dropped: O'NEILL, O NEILL and o'neill are one name, as
    are DE LA CRUZ and DELACRUZ, and MUÑOZ (a list in UTF-8) and MUNOZ (an MRZ)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", plain.upper())


def given_names_agree(first: str, second: str) -> bool:
    """Given names that name the same person: equal, or one cut short where an MRZ ran out of room."""
    a, b = name_key(first), name_key(second)
    if not a or not b:
        return a == b
    return a.startswith(b) or b.startswith(a)


def person_key(
    *, role: str, documents: list[tuple[str, str]], surname: str, given_names: str, birth_date: date | None
) -> str:
    """Who a list entry is, to compare two versions of a list: the first document (issuing state and
    number) when there is one, otherwise the name and birth date."""
    if documents:
        state, number = documents[0]
        return f"{role}:doc:{icao_code(state)}:{document_number(number)}"
    born = birth_date.isoformat() if birth_date else ""
    return f"{role}:name:{name_key(surname)}:{name_key(given_names)}:{born}"


def fingerprint(values: dict[str, object]) -> str:
    """A hash of what a person's screening depends on: same fingerprint, same screening result."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def flight_designator(text: str | None) -> tuple[str, str] | None:
    """Carrier and number of a flight as typed at the desk (CM412, CM 0412, cmp412), or None when the
    text is not a flight designator (a bus company, a vessel's name)."""
    compact = re.sub(r"[\s-]", "", (text or "").upper())
    match = _FLIGHT.fullmatch(compact)
    if match is None:
        return None
    return match.group(1), match.group(2)
