"""Case data as extracted from the case management system for the contract renewal, 13 CSR 35-32.020 (13) and
13 CSR 35-32.030 (6)(B)3: one CSV file per kind, checked all or nothing. Pure, no database.

The kinds and their headers (columns in any order; dates YYYY-MM-DD, months YYYY-MM):

    referrals          contract_id,child_id,referred_on,birth_date,funding     funding: ive | hdn
    exits              contract_id,child_id,exit_on,exit_type                  reunification | adoption |
                                                                               guardianship | other
    reentries          contract_id,child_id,reentered_on
    reports            contract_id,child_id,substantiated_on,perpetrator       out_of_home_provider | parent | other
    placement_changes  contract_id,child_id,changed_on
    residential_days   contract_id,child_id,month,days                         days 1 to the days of the month
    resource_homes     contract_id,home_id,developed_on
    adjustments        contract_id,month,reason,cases,amount                   reason A-C, E, F of (6)(B)3 (D is
                                                                               computed); cases >= 0; amount > 0
                                                                               for E and F, 0 or blank for A-C
    placement_exits    contract_id,child_id,facility_type,placement_start,exit_date,reason  optional (models/
    residential_costs  contract_id,room_and_board_costs,supervision_costs,*_days,base_year   case_data_methods_csv)

Each kind is its own file and the referrals come first: every event names a child already referred to that
contract, an exit comes before the re-entries it is followed by. An event may not come before the child's referral,
nor a birth after it. Every bad row is reported as (row, reason), the row being its line in the file (header =
row 1). What the database holds comes in through `Known`, filled in by the caller contract by contract.
"""

import calendar
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from models.csv_import import _check_header
from models.errors import ImportRejected
from models.methods.methods_csv import COST_COLUMNS, EXIT_COLUMNS
from models.outcomes import EXIT_TYPES, FUNDING, PERPETRATORS

REASONS = ("A", "B", "C", "E", "F")  # 13 CSR 35-32.030 (6)(B)3; D is computed from the re-entries
PER_CASE_REASONS = ("E", "F")  # an amount off the rate per case; A-C take cases x the monthly rate
COLUMNS = {
    "referrals": ("contract_id", "child_id", "referred_on", "birth_date", "funding"),
    "exits": ("contract_id", "child_id", "exit_on", "exit_type"),
    "reentries": ("contract_id", "child_id", "reentered_on"),
    "reports": ("contract_id", "child_id", "substantiated_on", "perpetrator"),
    "placement_changes": ("contract_id", "child_id", "changed_on"),
    "residential_days": ("contract_id", "child_id", "month", "days"),
    "resource_homes": ("contract_id", "home_id", "developed_on"),
    "adjustments": ("contract_id", "month", "reason", "cases", "amount"),
    "placement_exits": ("contract_id", "child_id", "facility_type", *EXIT_COLUMNS),
    "residential_costs": ("contract_id", *COST_COLUMNS[1:]),  # the agency of the cost report is the contract
}
KINDS = tuple(COLUMNS)
EVENT_KIND = {"exits": "exit", "reentries": "reentry", "reports": "report", "placement_changes": "placement_change",
              "residential_days": "residential_days", "resource_homes": "resource_home"}
CHILD_KINDS = ("referrals", "exits", "reentries", "reports", "placement_changes", "residential_days", "placement_exits")
UNIQUE_KINDS = ("exits", "reentries", "residential_days", "resource_homes")  # one row per key, file and database
MAX_CASES, MAX_AMOUNT = 1_000_000, 10**12  # what the columns hold
MAX_AGE = 21  # a child in the division's custody is younger than 21 at referral
_DATE, _MONTH, _WHOLE = re.compile(r"\d{4}-\d{2}-\d{2}"), re.compile(r"(\d{4})-(\d{2})"), re.compile(r"[+-]?\d+")
_EVENT_COLUMNS = {"exits": ("exit_on", "exit_type", EXIT_TYPES), "reentries": ("reentered_on", "", ()),
                  "reports": ("substantiated_on", "perpetrator", PERPETRATORS),
                  "placement_changes": ("changed_on", "", ())}  # the day and the detail of a child's event
_WHAT = {"exits": "exit", "reentries": "re-entry", "reports": "report", "placement_changes": "placement change",
         "residential_days": "residential days"}

Values = dict[str, str]
Errors = list[tuple[int, str]]

# The records, named as the columns of case_child, case_event and payment_adjustment (`_asdict()` gives the row).
Referral = NamedTuple("Referral", [("contract_id", str), ("child_id", str), ("referred_on", date),
                                   ("birth_date", date), ("funding", str)])
# on: the first of the month for residential days; detail: the exit type, perpetrator type or resource home ID
Event = NamedTuple("Event", [("contract_id", str), ("child_id", str | None), ("kind", str), ("on", date),
                             ("detail", str), ("days", int)])
Adjustment = NamedTuple("Adjustment", [("contract_id", str), ("month", date), ("reason", str), ("cases", int),
                                       ("amount", Decimal)])
Record = Referral | Event | Adjustment


def read_rows(lines: Iterable[str], columns: tuple[str, ...], errors: Errors) -> Iterator[tuple[int, Values]]:
    """Stream the data rows as (line number, stripped values by column), one at a time; row-shape problems and an
    unreadable file are added to `errors`. Header problems raise ImportRejected at once (row 1); blank lines are
    skipped. Open files with newline="" so a quoted field may hold a line break."""
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ImportRejected([(1, f"unreadable CSV header: {exc}")]) from exc
    if header is None:
        raise ImportRejected([(1, f"file is empty; expected the header {','.join(columns)}")])
    names = [h.strip().lower() for h in [h.removeprefix("\ufeff") for h in header[:1]] + header[1:]]
    _check_header(names, columns)
    width, last = len(names), reader.line_num
    try:
        for fields in reader:
            line, last = last + 1, reader.line_num
            if len(fields) > width:
                errors.append((line, f"{len(fields)} fields, but the header has {width} columns"))
            elif any(f.strip() for f in fields):
                values = dict.fromkeys(columns, "")
                values.update(zip(names, (f.strip() for f in fields)))
                yield line, values
    except (csv.Error, UnicodeDecodeError) as exc:
        errors.append((last + 1, f"unreadable CSV: {exc}"))


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Fields:
    """The values of one row, read field by field; each problem is kept with the field's name."""

    def __init__(self, values: Values):
        self.values, self.problems = values, []
    def text(self, name: str, limit: int = 32) -> str:
        value = self.values[name]
        if not value:
            self.problems.append(f"{name} is blank")
        elif len(value) > limit:
            self.problems.append(f"{name} is {len(value)} characters long (at most {limit})")
        return value

    def day(self, name: str) -> date | None:
        value = self.values[name]
        try:
            if _DATE.fullmatch(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.problems.append(f"{name} {value!r} is not a date YYYY-MM-DD" if value else f"{name} is blank")
        return None

    def month(self, name: str) -> date | None:
        value = self.values[name]
        found = _MONTH.fullmatch(value)
        if found and 1 <= int(found[2]) <= 12 and int(found[1]) >= 1:
            return date(int(found[1]), int(found[2]), 1)
        self.problems.append(f"{name} {value!r} is not a month YYYY-MM" if value else f"{name} is blank")
        return None

    def choice(self, name: str, allowed: tuple[str, ...], upper: bool = False) -> str:
        value = self.values[name].upper() if upper else self.values[name].lower()
        if value not in allowed:
            self.problems.append(f"{name} {self.values[name]!r} is not one of {', '.join(allowed)}"
                                 if value else f"{name} is blank")
        return value

    def whole(self, name: str, least: int, most: int) -> int | None:
        value = self.values[name]
        if not _WHOLE.fullmatch(value):
            self.problems.append(f"{name} {value!r} is not a whole number" if value else f"{name} is blank")
            return None
        number = int(value)
        if number < 0:
            self.problems.append(f"{name} {value} is negative")
        elif not least <= number <= most:
            self.problems.append(f"{name} {value} is not between {least} and {most}")
        return number if least <= number <= most else None

    def money(self, name: str) -> Decimal | None:
        value = self.values[name] or "0"
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount.as_tuple().exponent < -2:
            self.problems.append(f"{name} {value!r} is not an amount of dollars (at most 2 decimal places)")
        elif amount < 0:
            self.problems.append(f"{name} {value} is negative")
        elif amount >= MAX_AMOUNT:
            self.problems.append(f"{name} {value} is too large (less than {MAX_AMOUNT:,} dollars)")
        else:
            return amount
        return None


def parse_row(kind: str, values: Values) -> tuple[list[str], Record | None]:
    """The problems of one row on its own, and its record when there are none."""
    f = Fields(values)
    contract = f.text("contract_id")
    record: Record | None = None
    if kind == "referrals":
        child, referred, born, funding = (f.text("child_id"), f.day("referred_on"), f.day("birth_date"),
                                          f.choice("funding", FUNDING))
        if referred and born and born > referred:
            f.problems.append(f"birth_date {born} is after referred_on {referred}")
        elif referred and born and _age(born, referred) >= MAX_AGE:
            f.problems.append(f"birth_date {born} makes the child {MAX_AGE} or older on referred_on {referred}")
        record = Referral(contract, child, referred, born, funding)
    elif kind == "adjustments":
        month, reason, cases, amount = f.month("month"), f.choice("reason", REASONS, upper=True), \
            f.whole("cases", 0, MAX_CASES), f.money("amount")
        if amount is not None and reason in PER_CASE_REASONS and amount == 0:
            f.problems.append(f"amount must be more than zero for reason {reason} (an amount off per case)")
        elif amount and reason in REASONS and reason not in PER_CASE_REASONS:
            f.problems.append(f"amount must be 0 or blank for reason {reason} (cases x the monthly rate are off)")
        record = Adjustment(contract, month, reason, cases, amount)
    elif kind == "resource_homes":
        record = Event(contract, None, "resource_home", f.day("developed_on"), f.text("home_id", 40), 0)
    elif kind == "residential_days":
        child, month, days = f.text("child_id"), f.month("month"), f.whole("days", 1, 31)
        if month and days and days > calendar.monthrange(month.year, month.month)[1]:
            f.problems.append(f"days {days} is more than the days of {month:%Y-%m}")
        record = Event(contract, child, "residential_days", month, "", days or 0)
    else:
        day_column, detail_column, allowed = _EVENT_COLUMNS[kind]
        record = Event(contract, f.text("child_id"), EVENT_KIND[kind], f.day(day_column),
                       f.choice(detail_column, allowed) if detail_column else "", 0)
    return (f.problems, None) if f.problems else ([], record)


@dataclass
class Known:
    """The facts one import is checked against: the database's, added by the caller once per contract met
    (`add_contract`), and the file's own rows, added as they pass."""

    contracts: dict[str, bool] = field(default_factory=dict)  # contract -> exists
    referred: dict[tuple[str, str], tuple[date, int]] = field(default_factory=dict)  # -> (referred_on, row; 0 = db)
    keys: dict[tuple, int] = field(default_factory=dict)  # unique keys of the kind -> first row (0 = database)
    exits: dict[tuple[str, str], list[date]] = field(default_factory=dict)
    reentries: dict[tuple[str, str], list[tuple[date, int]]] = field(default_factory=dict)  # -> (day, row; 0 = db)

    def add_contract(self, contract_id: str, exists: bool, *, children: Iterable[tuple[str, date]] = (),
                     events: Iterable[tuple[str | None, date, str]] = (), exits: Iterable[tuple[str, date]] = (),
                     kind: str = "") -> None:
        """What the database holds for one contract: its children (child, referred_on), the events of the kind
        being imported (child, on, detail) and, for re-entries, the exits (child, exit_on)."""
        self.contracts[contract_id] = exists
        self.referred.update(((contract_id, child), (day, 0)) for child, day in children)
        for child, day, detail in events:
            self.keys[_key(kind, contract_id, child, day, detail)] = 0
            if kind == "reentries":
                self.reentries.setdefault((contract_id, child), []).append((day, 0))
        for child, day in exits:
            self.exits.setdefault((contract_id, child), []).append(day)


def _key(kind: str, contract: str, child: str | None, day: date, detail: str) -> tuple:
    return (contract, detail) if kind == "resource_homes" else (contract, child, day)


def check_row(kind: str, line: int, record: Record, known: Known) -> list[str]:
    """The problems of a row against the database and the rows before it; a row that passes is added to `known`."""
    contract = record.contract_id
    if not known.contracts[contract]:
        return [f"unknown contract {contract!r}"]
    if kind == "adjustments":
        return []
    if kind == "referrals":
        first = known.referred.get((contract, record.child_id))
        if first:
            return [f"duplicate child {record.child_id!r} for contract {contract!r} (first seen on row {first[1]})"
                    if first[1] else f"child {record.child_id!r} was already referred to contract {contract!r} "
                                     "by an earlier import"]
        known.referred[(contract, record.child_id)] = (record.referred_on, line)
        return []
    if kind != "resource_homes":
        referral = known.referred.get((contract, record.child_id))
        if referral is None:
            return [f"child {record.child_id!r} was not referred to contract {contract!r} "
                    "(import the referrals first)"]
        referred_on = referral[0]
        if kind == "residential_days":
            month_end = record.on.replace(day=calendar.monthrange(record.on.year, record.on.month)[1])
            if month_end < referred_on:
                return [f"residential days in {record.on:%Y-%m} are before the child's referral on {referred_on}"]
        elif record.on < referred_on:
            return [f"{_WHAT[kind]} on {record.on} is before the child's referral on {referred_on}"]
    if kind in UNIQUE_KINDS:
        key = _key(kind, contract, record.child_id, record.on, record.detail)
        first = known.keys.get(key)
        if first is not None:
            what = (f"resource home {record.detail!r} of contract {contract!r}" if kind == "resource_homes" else
                    f"{_WHAT[kind]} of child {record.child_id!r} "
                    + (f"in {record.on:%Y-%m}" if kind == "residential_days" else f"on {record.on}"))
            return [f"{what} is already on row {first}" if first else f"{what} was imported before"]
        known.keys[key] = line
    if kind == "reentries":
        known.reentries.setdefault((contract, record.child_id), []).append((record.on, line))
    return []


def check_reentries(known: Known) -> Errors:
    """Each re-entry follows an exit of the child not already followed by a re-entry: in date order, the n-th
    re-entry is on or after the n-th exit (the exits imported before; 13 CSR 35-32.020 (13)(C))."""
    errors: Errors = []
    for (contract, child), reentries in known.reentries.items():
        exits = sorted(known.exits.get((contract, child), ()))
        for n, (day, line) in enumerate(sorted(reentries)):
            if (n < len(exits) and exits[n] <= day) or line == 0:  # line 0: imported before
                continue
            before = [e for e in exits if e <= day]
            errors.append((line, f"child {child!r} of contract {contract!r} has no exit on or before the re-entry "
                                 f"on {day} (import the exits first)" if not before else
                                 f"child {child!r} of contract {contract!r} already re-entered after the exit on "
                                 f"{before[-1]}: a re-entry on {day} needs another exit before it"))
    return errors
