"""Reading watchlist files (CSV or XLSX) into checked records, with every problem located.

No database here: a file becomes a header and rows, a column mapping renames the file's columns to ours,
and each row becomes a :class:`PersonRecord` or :class:`DocumentRecord` or located :class:`RowError`s.
``services.watchlist_import`` then writes the records, all or nothing.

Person files use the columns of the matching core's CSV format (``entry_id, full_name, surname,
given_names, aliases, birth_date, nationality, sex, category``) plus ``action, note, valid_from,
valid_until, remove``. Document files use ``entry_id, issuing_state, document_type, number, reason, date,
note, remove``. A row whose ``remove`` is ``yes``/``1``/``x``/``true``/``sí`` withdraws the entry.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from corredor.icao.resolve import resolve_country
from corredor.matching.documents import normalise_document_number
from corredor.matching.watchlist_csv import COLUMNS as MATCHING_COLUMNS
from corredor.matching.watchlist_csv import CsvError, entry_from_row

Kind = Literal["persons", "documents"]
FileFormat = Literal["csv", "xlsx"]

PERSON_COLUMNS: tuple[str, ...] = (
    *MATCHING_COLUMNS,
    "action",
    "note",
    "valid_from",
    "valid_until",
    "remove",
)
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "entry_id",
    "issuing_state",
    "document_type",
    "number",
    "reason",
    "date",
    "note",
    "remove",
)
COLUMNS_OF: dict[str, tuple[str, ...]] = {"persons": PERSON_COLUMNS, "documents": DOCUMENT_COLUMNS}
IGNORE = ""  # a mapping to this drops the file's column

MAX_FILE_BYTES = 200 * 1024 * 1024
#: An XLSX file is a zip: what it may inflate to in all, and how much one member may inflate (a worksheet's
#: XML compresses about 10 to 20 times; a zip bomb a thousand times). Checked before the workbook is opened.
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024  # small members may compress better (an empty sheet is mostly header)
#: The longest cell and column title read, and how much of a value or message a report echoes back.
MAX_CELL_CHARS = 10_000
MAX_HEADER_CHARS = 200
MAX_COLUMNS = 200
REPORT_VALUE_CHARS = 100
REPORT_MESSAGE_CHARS = 400

# Column titles seen in lists of the region, folded (no accents, lower case, single spaces).
_SYNONYMS: dict[str, str] = {
    "id": "entry_id", "entry id": "entry_id", "identificador": "entry_id", "referencia": "entry_id",
    "ref": "entry_id", "codigo": "entry_id", "numero de alerta": "entry_id", "alert id": "entry_id",
    "nombre completo": "full_name", "full name": "full_name", "name": "full_name", "nom complet": "full_name",
    "nombre y apellidos": "full_name",
    "apellido": "surname", "apellidos": "surname", "last name": "surname", "family name": "surname",
    "nom": "surname", "primer apellido": "surname",
    "nombre": "given_names", "nombres": "given_names", "first name": "given_names",
    "given name": "given_names", "given names": "given_names", "prenom": "given_names",
    "prenoms": "given_names",
    "alias": "aliases", "otros nombres": "aliases", "also known as": "aliases", "aka": "aliases",
    "fecha de nacimiento": "birth_date", "fecha nacimiento": "birth_date", "nacimiento": "birth_date",
    "date of birth": "birth_date", "dob": "birth_date", "birth date": "birth_date",
    "date de naissance": "birth_date",
    "nacionalidad": "nationality", "nationalite": "nationality", "pais": "nationality",
    "sexo": "sex", "genero": "sex", "gender": "sex", "sexe": "sex",
    "categoria": "category", "tipo de alerta": "category", "alert type": "category",
    "accion": "action", "instruccion": "action", "instrucciones": "action", "instructions": "action",
    "nota": "note", "notas": "note", "observaciones": "note", "observacion": "note", "obs": "note",
    "notes": "note", "remarks": "note", "comentario": "note", "comentarios": "note",
    "f nac": "birth_date", "f nacimiento": "birth_date", "fec nac": "birth_date", "fecha nac": "birth_date",
    "f de nac": "birth_date", "fnac": "birth_date", "f nac y lugar": "birth_date",
    "nombre(s)": "given_names", "apellido(s)": "surname", "nacionalidad(es)": "nationality",
    "valido desde": "valid_from", "vigente desde": "valid_from", "desde": "valid_from",
    "valido hasta": "valid_until", "vigente hasta": "valid_until", "hasta": "valid_until",
    "expires": "valid_until",
    "eliminar": "remove", "baja": "remove", "borrar": "remove", "delete": "remove",
    "estado emisor": "issuing_state", "pais emisor": "issuing_state", "issuing country": "issuing_state",
    "issuing state": "issuing_state", "emisor": "issuing_state",
    "tipo de documento": "document_type", "tipo documento": "document_type", "type": "document_type",
    "numero": "number", "numero de documento": "number", "document number": "number",
    "numero de pasaporte": "number", "passport number": "number", "documento": "number",
    "motivo": "reason", "razon": "reason", "status": "reason",
    "fecha": "date", "fecha del reporte": "date", "fecha de reporte": "date", "reported on": "date",
    "date reported": "date",
}  # fmt: skip

# Titles that mean one thing in a person file and another in a document file ("Tipo": the alert's type,
# or the document's).
_KIND_SYNONYMS: dict[str, dict[str, str]] = {
    "persons": {"tipo": "category", "tipo de persona": "category", "clase": "category"},
    "documents": {"tipo": "document_type", "clase": "document_type", "clase de documento": "document_type"},
}

_CATEGORY_WORDS: dict[str, str] = {
    "wanted": "wanted", "buscado": "wanted", "buscada": "wanted", "orden de captura": "wanted",
    "red notice": "wanted", "notificacion roja": "wanted", "roja": "wanted", "recherche": "wanted",
    "refused entry": "refused_entry", "refused_entry": "refused_entry", "entrada denegada": "refused_entry",
    "impedimento de entrada": "refused_entry", "impedimento de ingreso": "refused_entry",
    "prohibicion de ingreso": "refused_entry", "entry ban": "refused_entry",
    "notify on arrival": "notify_on_arrival", "notify_on_arrival": "notify_on_arrival",
    "notificar llegada": "notify_on_arrival", "notificar": "notify_on_arrival",
    "blue notice": "notify_on_arrival",
    "notificacion azul": "notify_on_arrival", "azul": "notify_on_arrival",
    "missing child": "missing_child", "missing_child": "missing_child", "nino desaparecido": "missing_child",
    "nina desaparecida": "missing_child", "menor desaparecido": "missing_child",
    "menor desaparecida": "missing_child", "enfant disparu": "missing_child",
    "missing person": "missing_person", "missing_person": "missing_person",
    "persona desaparecida": "missing_person", "yellow notice": "missing_person",
    "notificacion amarilla": "missing_person", "amarilla": "missing_person",
    "trafficking victim": "trafficking_victim", "trafficking_victim": "trafficking_victim",
    "victima de trata": "trafficking_victim", "posible victima de trata": "trafficking_victim",
    "possible trafficking victim": "trafficking_victim",
}  # fmt: skip

_REASON_WORDS: dict[str, str] = {
    "lost": "lost", "perdido": "lost", "extraviado": "lost", "perdu": "lost",
    "stolen": "stolen", "robado": "stolen", "hurtado": "stolen", "sustraido": "stolen", "vole": "stolen",
    "revoked": "revoked", "revocado": "revoked", "anulado": "revoked", "cancelado": "revoked",
    "annule": "revoked", "invalid": "invalid", "invalido": "invalid", "no valido": "invalid",
    "falso": "invalid", "blank": "invalid", "en blanco": "invalid",
}  # fmt: skip

_DOCUMENT_TYPE_WORDS: dict[str, str] = {
    "p": "P", "passport": "P", "pasaporte": "P", "passeport": "P",
    "i": "I", "id": "I", "identity card": "I", "cedula": "I", "dni": "I", "documento de identidad": "I",
    "carte d'identite": "I", "v": "V", "visa": "V", "o": "O", "other": "O", "otro": "O",
}  # fmt: skip

_YES = frozenset({"1", "x", "y", "yes", "true", "si", "s", "oui", "remove", "eliminar", "baja"})
_NO = frozenset({"", "0", "n", "no", "false", "non"})

# Longest text each stored field takes (models.py).
_MAX_LENGTH = {
    "entry_id": 100, "surname": 200, "given_names": 200, "full_name": 300, "action": 2000, "note": 2000,
}  # fmt: skip


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: how column titles and category words are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[_\-./]+", " ", bare).lower().split())


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marked when cut: a report never echoes a huge cell back."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


@dataclass(frozen=True)
class RowError:
    """A problem in the file: where (``line`` from 1; ``column`` as the file names it; ``cell`` like ``C5``
    in a spreadsheet) and what, for people; ``code`` for programs. The value, column and message are cut
    short (``clip``) whatever the file holds."""

    line: int | None
    column: str | None
    code: str
    message: str
    value: str = ""
    cell: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", clip(self.value or "", REPORT_VALUE_CHARS))
        object.__setattr__(self, "message", clip(self.message, REPORT_MESSAGE_CHARS))
        if self.column is not None:
            object.__setattr__(self, "column", clip(self.column, REPORT_VALUE_CHARS))

    def __str__(self) -> str:
        where = []
        if self.line:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        if self.cell:
            where.append(f"cell {self.cell}")
        return f"{', '.join(where) or 'file'}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "cell": self.cell,
            "code": self.code,
            "message": self.message,
            "value": self.value,
        }


class FileUnreadable(Exception):
    """The file cannot be read at all (not CSV/XLSX, empty, no header); ``errors`` says why and where."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Table:
    """A file's header and rows as text; ``rows`` yields (line number, values) and is read once."""

    columns: list[str]
    rows: Iterator[tuple[int, list[str]]]
    total: int
    spreadsheet: bool = False


def format_of(filename: str, requested: str | None = None) -> FileFormat:
    """The file format: as requested, else from the file name's extension (CSV when unsure)."""
    if requested in ("csv", "xlsx"):
        return requested  # type: ignore[return-value]
    if requested:
        raise FileUnreadable(
            [RowError(None, None, "bad_format", f"unknown format {requested!r}: csv or xlsx")]
        )
    return "xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "csv"


def read_table(data: bytes, file_format: FileFormat) -> Table:
    """The header and rows of a CSV (UTF-8 or Windows-1252, comma, semicolon or tab) or the first sheet of
    an XLSX workbook. Raises FileUnreadable."""
    if not data.strip():
        raise FileUnreadable(
            [RowError(1, None, "empty_file", "the file is empty; the first line must be the header")]
        )
    if len(data) > MAX_FILE_BYTES:
        raise FileUnreadable(
            [RowError(None, None, "too_big", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")]
        )
    if file_format == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


#: What some binary files start with, and what to tell the person who chose them as CSV.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls): save it as XLSX or CSV"),
    (b"%PDF", "a PDF document, not a CSV file"),
    (b"\x89PNG", "an image (PNG), not a CSV file"),
    (b"\xff\xd8\xff", "an image (JPEG), not a CSV file"),
    (b"\x1f\x8b", "a compressed (gzip) file: uncompress it first"),
    (b"Rar!", "a compressed (RAR) file: uncompress it first"),
    (b"7z\xbc\xaf", "a compressed (7z) file: uncompress it first"),
)


def _binary_reason(data: bytes) -> str | None:
    """Why `data` is not text (a known file type, NUL bytes, control characters), or None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:65536]
    if b"\x00" in head:
        return "a binary file (it holds NUL bytes), not a CSV text file"
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if controls > max(len(head) // 100, 3):
        return "a binary file (it holds control characters), not a CSV text file"
    return None


def _read_csv(data: bytes) -> Table:
    binary = _binary_reason(data)
    if binary and data[:4] != b"PK\x03\x04":
        raise FileUnreadable([RowError(None, None, "binary_file", f"this is {binary}")])
    if data[:4] == b"PK\x03\x04":
        raise FileUnreadable(
            [
                RowError(
                    None,
                    None,
                    "not_csv",
                    "this is a spreadsheet (XLSX), not a CSV file: choose the XLSX format",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Spanish saves "CSV" in Windows-1252.
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FileUnreadable([RowError(1, None, "empty_file", "the file is empty")]) from None
    except csv.Error as error:
        raise FileUnreadable([RowError(1, None, "bad_csv", f"not readable as CSV: {error}")]) from None
    total = max(text.count("\n") - 1 + (0 if text.endswith("\n") else 1), 0)

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield reader.line_num, [f"\x00{error}"]
                return
            yield reader.line_num, values

    return Table(_header([h.strip() for h in header]), rows(), total)


def _header(columns: list[str]) -> list[str]:
    """The column titles, refused when there are too many or one is too long to be a title."""
    if len(columns) > MAX_COLUMNS:
        raise FileUnreadable(
            [
                RowError(
                    1,
                    None,
                    "too_many_columns",
                    f"the header has {len(columns)} columns (at most {MAX_COLUMNS})",
                )
            ]
        )
    for index, title in enumerate(columns):
        if len(title) > MAX_HEADER_CHARS:
            raise FileUnreadable(
                [
                    RowError(
                        1,
                        f"#{index + 1}",
                        "header_too_long",
                        f"column {index + 1}'s title is {len(title):,} characters long (at most "
                        f"{MAX_HEADER_CHARS}): is the first line the header?",
                        title,
                    )
                ]
            )
    return columns


def _check_zip(data: bytes) -> None:
    """Refuse a workbook that would inflate beyond reason before anything opens it (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileUnreadable(
            [RowError(None, None, "bad_xlsx", "not readable as an XLSX workbook (not a zip file)")]
        ) from None
    total = 0
    for member in members:
        total += member.file_size
        compressed = max(member.compress_size, 1)
        if member.file_size > _RATIO_FROM_BYTES and member.file_size / compressed > MAX_XLSX_RATIO:
            raise FileUnreadable(
                [
                    RowError(
                        None,
                        None,
                        "zip_bomb",
                        f"the workbook's part {clip(member.filename, 60)!r} inflates "
                        f"{member.file_size // compressed:,} times ({compressed:,} bytes to "
                        f"{member.file_size:,}); at most {MAX_XLSX_RATIO} times is read",
                    )
                ]
            )
    if total > MAX_XLSX_UNCOMPRESSED:
        raise FileUnreadable(
            [
                RowError(
                    None,
                    None,
                    "zip_bomb",
                    f"the workbook inflates to {total // 2**20:,} MB; at most "
                    f"{MAX_XLSX_UNCOMPRESSED // 2**20:,} MB is read: split the list",
                )
            ]
        )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise FileUnreadable(
            [RowError(None, None, "no_xlsx", "XLSX support (openpyxl) is not installed")]
        ) from None
    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise FileUnreadable(
            [
                RowError(
                    None, None, "bad_xlsx", f"not readable as an XLSX workbook ({error.__class__.__name__})"
                )
            ]
        ) from None
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header: list[str] = []
    header_line = 0
    for number, values in enumerate(rows_iter, start=1):
        if any(v not in (None, "") for v in values):
            header = [_cell_text(v) for v in values]
            header_line = number
            break
    if not header:
        raise FileUnreadable([RowError(1, None, "empty_file", "the first sheet is empty")])
    while header and not header[-1]:
        header.pop()
    header = _header(header)
    total = max((sheet.max_row or header_line) - header_line, 0)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(rows_iter, start=header_line + 1):
            yield number, [_cell_text(v) for v in values[: len(header)]]
        workbook.close()

    return Table(header, rows(), total, spreadsheet=True)


def guess_mapping(columns: list[str], kind: Kind) -> dict[str, str]:
    """For each column of the file, our column it most likely is ('' when none): the mapping's default."""
    ours = COLUMNS_OF[kind]
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        key = fold(column)
        target = (
            key.replace(" ", "_")
            if key.replace(" ", "_") in ours
            else _KIND_SYNONYMS[kind].get(key) or _SYNONYMS.get(key, "")
        )
        if target not in ours or target in taken:
            target = IGNORE
        if target:
            taken.add(target)
        mapping[column] = target
    return mapping


def detect_kind(columns: list[str]) -> Kind:
    """Document alerts when the header has a document number and a reason; person alerts otherwise."""
    targets = set(guess_mapping(columns, "documents").values())
    return "documents" if {"number", "reason"} <= targets else "persons"


@dataclass
class PersonRecord:
    """One person row, checked: values as they will be stored (see models.PersonAlert)."""

    line: int
    external_id: str
    remove: bool = False
    surname: str = ""
    given_names: str = ""
    full_name: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: str = ""
    nationality: str = ""
    sex: str = ""
    category: str = ""
    action: str = ""
    note: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    as_written: dict[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        """The stored fields, to compare with an alert and to write."""
        return {
            "surname": self.surname,
            "given_names": self.given_names,
            "full_name": self.full_name,
            "aliases": self.aliases,
            "birth_date": self.birth_date,
            "nationality": self.nationality,
            "sex": self.sex,
            "category": self.category,
            "action": self.action,
            "note": self.note,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "as_written": self.as_written,
        }


@dataclass
class DocumentRecord:
    """One document row, checked: values as they will be stored (see models.DocumentAlert)."""

    line: int
    external_id: str
    remove: bool = False
    issuing_state: str = ""
    document_type: str = ""
    number: str = ""
    reason: str = ""
    reported_on: datetime.date | None = None
    note: str = ""

    def values(self) -> dict[str, Any]:
        return {
            "issuing_state": self.issuing_state,
            "document_type": self.document_type,
            "number": self.number,
            "reason": self.reason,
            "reported_on": self.reported_on,
            "note": self.note,
        }


@dataclass
class ParsedFile:
    """The checked records of a file, its errors and warnings (ignored columns, for instance)."""

    kind: Kind
    records: list[PersonRecord] | list[DocumentRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flags: list[RowError] = field(default_factory=list)  # values kept as written, not used (located)
    rows: int = 0


_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _iso(text: str) -> str:
    """``14/05/1982`` (day first, as written in the region) to ``1982-05-14``; other text unchanged."""
    match = _DMY.match(text.strip())
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text.strip()


def _date(text: str) -> datetime.date | None:
    text = _iso(text)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def parse_table(
    table: Table,
    *,
    kind: Kind,
    mapping: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    today: datetime.date | None = None,
) -> ParsedFile:
    """Check every row of `table` as `kind` alerts; `mapping` maps the file's column titles to ours.
    `today` (default: the machine's date) is what a birth date may not be after, nor a validity end before.

    Without a mapping the titles must be ours (any case); with one, file columns it does not name are
    used when their title is one of ours, and ignored otherwise (listed in the warnings).
    """
    ours = COLUMNS_OF[kind]
    today = today or datetime.date.today()
    result = ParsedFile(kind=kind)
    folded_mapping = {fold(k): v for k, v in (mapping or {}).items()}
    targets: dict[int, str] = {}
    for index, title in enumerate(table.columns):
        if mapping is not None and fold(title) in folded_mapping:
            target = folded_mapping[fold(title)]
            if target and target not in ours:
                result.errors.append(
                    RowError(
                        None,
                        title,
                        "bad_mapping",
                        f"column {title!r} is mapped to {target!r}, which is not one of: {', '.join(ours)}",
                    )
                )
                continue
        else:
            candidate = fold(title).replace(" ", "_")
            target = candidate if candidate in ours else ""
            if not target:
                if mapping is None:
                    result.errors.append(
                        RowError(
                            1,
                            title or f"#{index + 1}",
                            "unknown_column",
                            f"unknown column {title!r}; the columns are {', '.join(ours)} "
                            "(or give a column mapping)",
                            title,
                        )
                    )
                elif title:
                    result.warnings.append(f"column {title!r} is not used")
                continue
        if not target:
            continue
        if target in targets.values():
            first = next(table.columns[i] for i, t in targets.items() if t == target)
            result.errors.append(
                RowError(1, title, "duplicate_column", f"columns {first!r} and {title!r} are both {target}")
            )
            continue
        targets[index] = target
    title_of = {target: table.columns[index] for index, target in targets.items()}
    letter_of = {target: _column_letter(index) for index, target in targets.items()}
    present = set(targets.values())
    # A file with a remove column may be a list of removals: then only entry_id is required of the header,
    # and each row that adds or changes an alert is checked for the rest.
    removals = "remove" in present
    required = ("number", "issuing_state", "reason") if kind == "documents" else ("category",)
    for column in ("entry_id", *([] if removals else required)):
        if column not in present:
            result.errors.append(RowError(1, column, "missing_column", f"the file has no {column} column"))
    if kind == "persons" and not removals and not present & {"full_name", "surname"}:
        result.errors.append(
            RowError(1, "full_name", "missing_column", "the file needs a full_name or a surname column")
        )
    if result.errors:
        return result

    seen: dict[str, int] = {}
    records: list[Any] = []
    width = len(table.columns)
    for count, (line, values) in enumerate(table.rows, start=1):
        if progress is not None and count % 500 == 0:
            progress(count)
        if values and values[0].startswith("\x00"):
            result.errors.append(RowError(line, None, "bad_csv", f"not readable as CSV: {values[0][1:]}"))
            break
        if not any(v.strip() for v in values):
            continue
        result.rows += 1
        if not table.spreadsheet and len(values) != width:
            result.errors.append(
                RowError(
                    line, None, "wrong_field_count", f"{len(values)} fields where the header has {width}"
                )
            )
            continue
        row = {
            target: (values[index] if index < len(values) else "").strip()
            for index, target in targets.items()
        }
        oversized = [target for target, value in row.items() if len(value) > MAX_CELL_CHARS]

        def locate(
            column: str | None, code: str, message: str, value: str = "", line: int = line
        ) -> RowError:
            if column is None:
                return RowError(line, None, code, message, value)
            cell = f"{letter_of[column]}{line}" if table.spreadsheet and column in letter_of else ""
            return RowError(line, title_of.get(column, column), code, message, value, cell)

        # A repeated entry_id is reported whatever else is wrong with either row (the first may have
        # errors of its own): the id is read as written.
        entry_id = row.get("entry_id", "")
        duplicate = bool(entry_id) and entry_id in seen
        if duplicate:
            result.errors.append(
                locate(
                    "entry_id",
                    "duplicate_entry_id",
                    f"entry_id {entry_id!r} already on line {seen[entry_id]}",
                    entry_id,
                )
            )
        elif entry_id and len(entry_id) <= MAX_CELL_CHARS:
            seen[entry_id] = line
        if oversized:
            for target in oversized:
                result.errors.append(
                    locate(
                        target,
                        "too_long",
                        f"{target} is {len(row[target]):,} characters long (a cell holds at most "
                        f"{MAX_CELL_CHARS:,})",
                        row[target],
                    )
                )
            continue
        record, errors = (_person if kind == "persons" else _document)(row, line, locate, today, result.flags)
        result.errors.extend(errors)
        if record is None or duplicate:
            continue
        records.append(record)
    if progress is not None:
        progress(result.rows)
    result.records = records
    return result


Locate = Callable[..., RowError]


def _earliest(partial: Any) -> datetime.date:
    """The first day a partial date (year, month, day; month and day may be unknown) can be."""
    return datetime.date(partial.year, partial.month or 1, partial.day or 1)


def _remove_flag(row: Mapping[str, str], locate: Locate, errors: list[RowError]) -> bool:
    text = fold(row.get("remove", ""))
    if text in _YES:
        return True
    if text not in _NO:
        errors.append(
            locate(
                "remove", "bad_remove", f"remove must be yes or empty, not {row['remove']!r}", row["remove"]
            )
        )
    return False


def _check_lengths(row: Mapping[str, str], locate: Locate, errors: list[RowError]) -> None:
    for column, limit in _MAX_LENGTH.items():
        if len(row.get(column, "")) > limit:
            errors.append(locate(column, "too_long", f"{column} is longer than {limit} characters"))


def _person(
    row: dict[str, str], line: int, locate: Locate, today: datetime.date, flags: list[RowError]
) -> tuple[PersonRecord | None, list[RowError]]:
    errors: list[RowError] = []
    remove = _remove_flag(row, locate, errors)
    if errors:  # the rest depends on whether the row removes or lists
        return None, errors
    external_id = row.get("entry_id", "")
    if remove:
        if not external_id:
            errors.append(locate("entry_id", "missing_entry_id", "entry_id is empty"))
        return (None, errors) if errors else (PersonRecord(line, external_id, remove=True), [])
    as_written = row.get("birth_date", "")
    if as_written:
        row["birth_date"] = _iso(as_written)
    # Attributes fail open (issue 10): a birth date, nationality or sex that cannot be used is flagged on
    # its line, kept as written on the alert, and the alert is screened on its name; it never refuses the
    # file. Nationalities go through the one country resolver (corredor.icao.resolve).
    unusable: list[CsvError] = []
    entry, core_errors = entry_from_row(row, line, warnings=unusable)
    for error in core_errors:
        # The report quotes the file as written (31/02/1990), not as converted for the core (1990-02-31).
        value = as_written if error.column == "birth_date" and as_written else error.value
        errors.append(locate(error.column, error.code, error.message, value))
    kept: dict[str, str] = {}
    for problem in unusable:
        value = as_written if problem.column == "birth_date" and as_written else problem.value
        kept[problem.column or ""] = value  # an attribute's problem always names its column
        flags.append(
            locate(
                problem.column,
                problem.code,
                f"{problem.message}: kept as written, not used for screening (the name still is)",
                value,
            )
        )
    _check_lengths(row, locate, errors)
    category = _CATEGORY_WORDS.get(fold(row.get("category", "")))
    if not row.get("category"):
        errors.append(
            locate(
                "category",
                "missing_category",
                "category is empty; use one of: " + ", ".join(sorted(set(_CATEGORY_WORDS.values()))),
            )
        )
    elif category is None:
        errors.append(
            locate(
                "category",
                "bad_category",
                f"unknown category {row['category']!r}; use one of: "
                + ", ".join(sorted(set(_CATEGORY_WORDS.values()))),
                row["category"],
            )
        )
    valid: dict[str, datetime.date | None] = {}
    for column in ("valid_from", "valid_until"):
        try:
            valid[column] = _date(row.get(column, ""))
        except ValueError as error:
            errors.append(locate(column, "bad_date", str(error), row[column]))
    if valid.get("valid_from") and valid.get("valid_until") and valid["valid_until"] < valid["valid_from"]:  # type: ignore[operator]
        errors.append(
            locate("valid_until", "bad_validity", "valid_until is before valid_from", row["valid_until"])
        )
    elif valid.get("valid_until") and valid["valid_until"] < today:  # type: ignore[operator]
        errors.append(
            locate(
                "valid_until",
                "past_validity",
                f"valid_until {valid['valid_until']} is already past: the alert would never hit "
                "(leave it out, or remove the alert)",
                row["valid_until"],
            )
        )
    if entry is not None and entry.birth_date is not None and _earliest(entry.birth_date) > today:
        errors.append(
            locate(
                "birth_date",
                "future_birth_date",
                f"the birth date {entry.birth_date} is in the future",
                as_written or str(entry.birth_date),
            )
        )
    if errors or entry is None:
        return None, errors
    aliases = [a.strip() for a in row.get("aliases", "").split("|") if a.strip()]
    return (
        PersonRecord(
            line=line,
            external_id=str(entry.entry_id),
            surname=row.get("surname", ""),
            given_names=row.get("given_names", ""),
            full_name=row.get("full_name", ""),
            aliases=aliases,
            birth_date=str(entry.birth_date) if entry.birth_date else "",
            nationality=entry.nationality or "",
            sex=entry.sex or "",
            category=category or "",
            action=row.get("action", ""),
            note=row.get("note", ""),
            valid_from=valid.get("valid_from"),
            valid_until=valid.get("valid_until"),
            as_written={k: clip(v, 100) for k, v in sorted(kept.items())},
        ),
        [],
    )


def _document(
    row: dict[str, str], line: int, locate: Locate, today: datetime.date, flags: list[RowError]
) -> tuple[DocumentRecord | None, list[RowError]]:
    errors: list[RowError] = []
    remove = _remove_flag(row, locate, errors)
    if errors:
        return None, errors
    external_id = row.get("entry_id", "")
    if not external_id:
        errors.append(locate("entry_id", "missing_entry_id", "entry_id is empty"))
    if remove:
        return (None, errors) if errors else (DocumentRecord(line, external_id, remove=True), [])
    _check_lengths(row, locate, errors)
    # The issuing state is half of what a document alert matches on (state and number): one the country
    # resolver cannot read is an error on its line, not a guess.
    resolution = resolve_country(row.get("issuing_state", ""))
    state = resolution.code or ""
    if resolution.kind == "empty":
        errors.append(locate("issuing_state", "missing_issuing_state", "issuing_state is empty"))
    elif not state:
        errors.append(
            locate(
                "issuing_state",
                "bad_issuing_state",
                f"issuing state {row['issuing_state']!r} is not a known country or code",
                row["issuing_state"],
            )
        )
    number = normalise_document_number(row.get("number", ""))
    if len(number) > 30:
        errors.append(
            locate(
                "number",
                "too_long",
                "the document number is longer than 30 letters and digits",
                row["number"],
            )
        )
    if not number:
        errors.append(
            locate(
                "number",
                "missing_number",
                "number is empty or has no letters or digits",
                row.get("number", ""),
            )
        )
    document_type = ""
    if row.get("document_type"):
        document_type = _DOCUMENT_TYPE_WORDS.get(fold(row["document_type"]), "")
        if not document_type:
            errors.append(
                locate(
                    "document_type",
                    "bad_document_type",
                    f"unknown document type {row['document_type']!r}: "
                    "passport (P), identity card (I), visa (V) or other (O)",
                    row["document_type"],
                )
            )
    reason = _REASON_WORDS.get(fold(row.get("reason", "")))
    if reason is None:
        errors.append(
            locate(
                "reason",
                "bad_reason",
                f"reason must be lost, stolen, revoked or invalid, not {row.get('reason', '')!r}",
                row.get("reason", ""),
            )
        )
    reported_on = None
    try:
        reported_on = _date(row.get("date", ""))
    except ValueError as error:
        errors.append(locate("date", "bad_date", str(error), row["date"]))
    if errors:
        return None, errors
    return (
        DocumentRecord(
            line=line,
            external_id=external_id,
            issuing_state=state,
            document_type=document_type,
            number=number,
            reason=reason or "",
            reported_on=reported_on,
            note=row.get("note", ""),
        ),
        [],
    )


def check_one(
    values: Mapping[str, str], *, kind: Kind, today: datetime.date | None = None
) -> tuple[Any, list[RowError], list[RowError]]:
    """One alert typed by hand, checked by exactly the rules a file's row is: (record or None, errors,
    flags). `values` are our column names to text; errors name the field (``column``), not a line."""
    ours = COLUMNS_OF[kind]
    row = {column: str(values.get(column, "") or "").strip() for column in ours}
    if len(row["entry_id"]) > MAX_CELL_CHARS:
        return None, [RowError(None, "entry_id", "too_long", "entry_id is too long")], []

    def locate(column: str | None, code: str, message: str, value: str = "", line: int = 0) -> RowError:
        return RowError(None, column, code, message, value)

    flags: list[RowError] = []
    check = _person if kind == "persons" else _document
    record, errors = check(row, 0, locate, today or datetime.date.today(), flags)
    if not row["entry_id"] and not any(e.column == "entry_id" for e in errors):
        errors.insert(0, RowError(None, "entry_id", "missing_entry_id", "entry_id is empty"))
        record = None
    return record, errors, flags
