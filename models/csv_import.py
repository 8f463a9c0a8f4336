"""Parse and validate roster CSV files (staff, contractors): pure, no database.

Every bad row is reported as (row, reason), where row is the line number in the
file (header = row 1). If any row is bad, ImportRejected is raised and nothing
is returned, so an import is all or nothing.

read_rows is the CSV reader of every import of this kind (the rosters here, the Hand-Up
reference tables, providers and payments, the methods' files): the header, line numbers,
blank lines and field counts, checked and worded the same way.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from models.address import STATE_RE, US_STATES, ZIP_RE, AddressError, validate_address
from models.errors import ImportRejected
from models.tables import Role

STAFF_COLUMNS = ("id", "full_name", "email", "roles", "active")
CONTRACTOR_COLUMNS = ("id", "name", "email", "address_line1", "address_line2", "city", "state", "zip_code")
OPTIONAL = frozenset({"active", "address_line2"})  # column may be absent, value may be blank
MAX_LENGTH = {"id": 32, "full_name": 200, "name": 200, "email": 254,
              "address_line1": 200, "address_line2": 200, "city": 100}

ROLES = tuple(r.value for r in Role)
BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

Values = dict[str, str]
Errors = list[tuple[int, str]]


@dataclass(frozen=True)
class StaffRecord:
    id: str
    full_name: str
    email: str
    roles: tuple[str, ...]
    active: bool = True


@dataclass(frozen=True)
class ContractorRecord:
    id: str
    name: str
    email: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zip_code: str


def parse_staff(text: str) -> list[StaffRecord]:
    """Staff roster: id,full_name,email,roles,active (roles separated by ';')."""
    return _parse(text, STAFF_COLUMNS, _staff_row)


def parse_contractors(text: str) -> list[ContractorRecord]:
    """Contractor list: id,name,email,address_line1,address_line2,city,state,zip_code."""
    return _parse(text, CONTRACTOR_COLUMNS, _contractor_row)


def parse_rows(text: str, columns: tuple[str, ...], check_row: Callable[[Values], tuple[list[str], Any]], *,
               key: str, repeated: Callable[[str, int], str], optional: Iterable[str] = (),
               exact_width: bool = False) -> list[Any]:
    """Validate every row with check_row, and the `key` column once per file (repeated(value, first row) says
    why a repeat is refused); return the records, or raise ImportRejected with every problem of every row."""
    rows, errors = read_rows(text, columns, optional=optional, exact_width=exact_width)
    records: list[Any] = []
    first_seen: dict[str, int] = {}
    for line, values in rows:
        problems, record = check_row(values)
        value = values.get(key)
        if value and value in first_seen:
            problems.append(repeated(value, first_seen[value]))
        elif value:
            first_seen[value] = line
        errors += [(line, p) for p in problems]
        if not problems:
            records.append(record)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e[0]))
    return records


def _parse(text: str, columns: tuple[str, ...],
           check_row: Callable[[Values], tuple[list[str], Any]]) -> list[Any]:
    return parse_rows(text, columns, check_row, key="id", optional=OPTIONAL,
                      repeated=lambda rid, first: f"duplicate id {rid!r} (first seen on row {first})")


def read_rows(text: str, columns: tuple[str, ...], *, optional: Iterable[str] = (),
              exact_width: bool = False) -> tuple[list[tuple[int, Values]], Errors]:
    """The one CSV reader of the imports: data rows as (line number, stripped values by column) and the
    row-shape problems as (line, reason), the line being the file's (header = row 1).

    Header problems raise ImportRejected at once (row 1): an empty file, a missing column (other than the
    `optional` ones, which may be left out), an unknown or a repeated one; column names are case-insensitive and
    may be in any order. Blank lines are skipped; a leading byte-order mark is ignored. Every column is in each
    row's values ("" when blank or left out). A row with more fields than the header has columns is a problem;
    with exact_width, so is a row with fewer (otherwise its missing last fields read as blank). An unreadable
    row ends the file with a problem on its line.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise ImportRejected([(1, f"unreadable CSV header: {e}")]) from e
    if header is None:
        raise ImportRejected([(1, f"file is empty; expected the header {','.join(columns)}")])
    names = [h.strip().lower() for h in header]
    _check_header(names, columns, frozenset(optional))

    rows: list[tuple[int, Values]] = []
    errors: Errors = []
    last = reader.line_num
    try:
        for fields in reader:
            line, last = last + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) > len(names) or (exact_width and len(fields) < len(names)):
                errors.append((line, f"{len(fields)} fields, but the header has {len(names)} columns"))
                continue
            values = {c: "" for c in columns}
            values |= {n: f.strip() for n, f in zip(names, fields)}
            rows.append((line, values))
    except csv.Error as e:
        errors.append((last + 1, f"unreadable CSV: {e}"))
    return rows, errors


def _check_header(names: list[str], columns: tuple[str, ...], optional: frozenset[str] = OPTIONAL) -> None:
    """Raise ImportRejected (row 1) for missing, unknown or repeated columns (models/case_data_csv.py uses it)."""
    errors: Errors = []
    missing = [c for c in columns if c not in names and c not in optional]
    if missing:
        errors.append((1, f"missing column(s): {', '.join(missing)}"))
    unknown = [n for n in names if n not in columns]
    if unknown:
        errors.append((1, f"unknown column(s): {', '.join(map(repr, unknown))} "
                          f"(expected: {', '.join(columns)})"))
    repeated = sorted({n for n in names if n in columns and names.count(n) > 1})
    if repeated:
        errors.append((1, f"repeated column(s): {', '.join(repeated)}"))
    if errors:
        raise ImportRejected(errors)


def _common(values: Values, columns: tuple[str, ...]) -> list[str]:
    """Problems shared by both files: blank required fields, over-long values, bad email."""
    problems = [f"{c} is blank" for c in columns if c not in OPTIONAL and not values[c]]
    for c in columns:
        limit = MAX_LENGTH.get(c)
        if limit and len(values[c]) > limit:
            problems.append(f"{c} is {len(values[c])} characters long (at most {limit})")
    email = values["email"]
    if email and not _EMAIL.fullmatch(email):
        problems.append(f"email {email!r} is not an email address")
    return problems


def _staff_row(values: Values) -> tuple[list[str], StaffRecord | None]:
    problems = _common(values, STAFF_COLUMNS)
    roles = tuple(dict.fromkeys(r.strip() for r in values["roles"].split(";") if r.strip()))
    if values["roles"] and not roles:
        problems.append("roles lists no role")
    problems += [f"unknown role {r!r} (allowed: {', '.join(ROLES)})" for r in roles if r not in ROLES]
    active = BOOLEANS.get(values["active"].lower(), None) if values["active"] else True
    if active is None:
        problems.append(f"active {values['active']!r} is not one of true/false/yes/no/1/0")
    if problems:
        return problems, None
    return [], StaffRecord(id=values["id"], full_name=values["full_name"], email=values["email"],
                           roles=roles, active=active)


def _label_problems(values: Values) -> list[str]:
    """Name, street lines and city must also fit a mailing label (models.address), or letters fail."""
    try:
        validate_address({"name": values["name"], "line1": values["address_line1"],
                          "line2": values["address_line2"], "city": values["city"], "state": "MO",
                          "zip_code": "65101"})
    except AddressError as exc:
        return [message for field, message in exc.problems if values.get(_COLUMN.get(field, field))]
    return []


_COLUMN = {"line1": "address_line1", "line2": "address_line2"}


def _contractor_row(values: Values) -> tuple[list[str], ContractorRecord | None]:
    problems = _common(values, CONTRACTOR_COLUMNS)
    state, zip_code = values["state"], values["zip_code"]
    if state and not STATE_RE.fullmatch(state):
        problems.append(f"state {state!r} is not two uppercase letters")
    elif state and state not in US_STATES:
        problems.append(f"state {state!r} is not a US state or territory code")
    if zip_code and not ZIP_RE.fullmatch(zip_code):
        problems.append(f"zip_code {zip_code!r} is not a ZIP code (12345 or 12345-6789)")
    problems += _label_problems(values)
    if problems:
        return problems, None
    return [], ContractorRecord(**{c: values[c] for c in CONTRACTOR_COLUMNS})
