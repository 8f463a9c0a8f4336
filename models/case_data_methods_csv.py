"""The optional case data of the renewal report's method sections, checked all or nothing like the rest of the
case data (models/case_data_csv.py lists every kind and reads the rows; this module parses and checks these two).
Pure, no database.

    placement_exits    contract_id,child_id,facility_type,placement_start,exit_date,reason

        A child's exit from a residential placement, for the average length of placement of Texas DFPS FY2011
        Attachment F, Output #3 (models/methods/texas.py). facility_type is one of texas.FACILITY_TYPES (any
        case); reason is a code of texas.REASONS or any other reason (then counted), at most 40 characters. The
        child was referred to the contract; exit_date is on or after placement_start (the placement may have
        started before the referral) and on or after the referral. One row per child, facility type and exit date.

    residential_costs  contract_id,room_and_board_costs,supervision_costs,basic_core_days,infant_toddler_days,
                       residential_treatment_days,intensive_care_days,base_year

        The cost report of the contractor's residential care, 13 CSR 35-80.010 (2)-(3), with the columns of
        models/methods/methods_csv.py:parse_cost_reports, the agency being the contract: net room and board and
        supervision costs in dollars (zero or more; blank is refused), days of service in each supervision
        category (3)(B)2.A-D (whole numbers of zero or more, together more than zero), and the base year of the
        costs (a state fiscal year). One row per contract and base year.

Each record is named as the columns of its table (placement_exit, residential_cost_report): `_asdict()` gives the
row to insert.
"""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from models.case_data_csv import Fields, Known, Values
from models.methods.methods_csv import DAYS_COLUMNS
from models.methods.texas import FACILITY_TYPES

__all__ = ["KEY_COLUMNS", "METHOD_KINDS", "CostReportRow", "PlacementExitRow", "check_method_row",
           "parse_method_row"]

METHOD_KINDS = ("placement_exits", "residential_costs")
# The columns that identify a row within its contract, in the file and in the database.
KEY_COLUMNS = {"placement_exits": ("child_id", "facility_type", "exit_date"), "residential_costs": ("base_year",)}
MAX_DAYS = 1_000_000_000  # days of service of one agency in one year: what the column holds, and more than enough
FIRST_YEAR, LAST_YEAR = 1900, 2099

PlacementExitRow = NamedTuple("PlacementExitRow", [
    ("contract_id", str), ("child_id", str), ("facility_type", str), ("placement_start", date), ("exit_date", date),
    ("reason", str)])
CostReportRow = NamedTuple("CostReportRow", [
    ("contract_id", str), ("room_and_board_costs", Decimal), ("supervision_costs", Decimal),
    ("basic_core_days", int), ("infant_toddler_days", int), ("residential_treatment_days", int),
    ("intensive_care_days", int), ("base_year", int)])
MethodRecord = PlacementExitRow | CostReportRow


def _costs(f: Fields, name: str) -> Decimal | None:
    if not f.values[name]:
        f.problems.append(f"{name} is blank")
        return None
    return f.money(name)


def parse_method_row(kind: str, values: Values) -> tuple[list[str], MethodRecord | None]:
    """The problems of one row on its own, and its record when there are none."""
    f = Fields(values)
    contract = f.text("contract_id")
    if kind == "placement_exits":
        child, facility = f.text("child_id"), f.choice("facility_type", FACILITY_TYPES, upper=True)
        start, end, reason = f.day("placement_start"), f.day("exit_date"), f.text("reason", 40).lower()
        if start and end and end < start:
            f.problems.append(f"exit_date {end} is before placement_start {start}")
        record: MethodRecord = PlacementExitRow(contract, child, facility, start, end, reason)
    elif kind == "residential_costs":
        room_and_board, supervision = _costs(f, "room_and_board_costs"), _costs(f, "supervision_costs")
        days = [f.whole(column, 0, MAX_DAYS) for column in DAYS_COLUMNS]
        if None not in days and not sum(days):
            f.problems.append("no days of service in any category (the days must add up to more than zero)")
        record = CostReportRow(contract, room_and_board, supervision, *days,
                               f.whole("base_year", FIRST_YEAR, LAST_YEAR))
    else:
        raise ValueError(f"not a kind of the methods' case data: {kind!r}")
    return (f.problems, None) if f.problems else ([], record)


def _key(kind: str, record: MethodRecord) -> tuple:
    return (record.contract_id, *(getattr(record, column) for column in KEY_COLUMNS[kind]))


def check_method_row(kind: str, line: int, record: MethodRecord, known: Known) -> list[str]:
    """The problems of a row against the database and the rows before it (`known`, filled in by the caller with
    the contract, its children and the keys of KEY_COLUMNS already stored, row 0); a row that passes is added."""
    contract = record.contract_id
    if not known.contracts[contract]:
        return [f"unknown contract {contract!r}"]
    if kind == "placement_exits":
        referral = known.referred.get((contract, record.child_id))
        if referral is None:
            return [f"child {record.child_id!r} was not referred to contract {contract!r} "
                    "(import the referrals first)"]
        if record.exit_date < referral[0]:
            return [f"placement exit on {record.exit_date} is before the child's referral on {referral[0]}"]
        what = (f"the exit of child {record.child_id!r} from a {record.facility_type} placement on "
                f"{record.exit_date}")
    else:
        what = f"the cost report of contract {contract!r} for base year {record.base_year}"
    first = known.keys.get(_key(kind, record))
    if first is not None:
        return [f"{what} is already on row {first}" if first else f"{what} was imported before"]
    known.keys[_key(kind, record)] = line
    return []
