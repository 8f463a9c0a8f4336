"""CSV files of the Hand-Up Pilot Program as staff import them: the reference tables (income limits,
13 CSR 35-32.040 (4)(A); child care rates, 13 CSR 35-32.010 (4); the sliding fee scale, 13 CSR 35-32.010 (3)) and
the pilot providers (13 CSR 35-32.040 (2)). Pure, no database.

All or nothing, as models/csv_import.py (whose read_rows reads the files): every bad row is reported as (row,
reason), the row being the line number in the file (header = row 1), and ImportRejected is raised if there is any.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models.csv_import import read_rows
from models.errors import ImportRejected
from models.handup_providers import CountyClass, Provider
from models.handup_reference import AgeGroup

__all__ = ["KIND_COLUMNS", "KIND_RULE", "PROVIDER_COLUMNS", "parse_reference", "parse_providers"]

KIND_COLUMNS = {"income_limits": ("family_size", "monthly_limit", "each_further"),
                "care_rates": ("area", "age_group", "monthly_rate"),
                "fee_scale": ("family_size", "income_up_to", "fee")}
KIND_RULE = {"income_limits": "13 CSR 35-32.040 (4)(A)", "care_rates": "13 CSR 35-32.010 (4)",
             "fee_scale": "13 CSR 35-32.010 (3)"}
PROVIDER_COLUMNS = ("id", "name", "county", "county_class", "families_served", "license_number",
                    "license_valid_until", "contract_id", "contract_ends_on", "agreed_on")

Dollars = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Positive = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
FamilySize = Annotated[int, Field(ge=1, le=30)]
Errors = list[tuple[int, str]]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IncomeLimitRow(_Row):
    """The maximum allowed monthly income for a family size; each_further is read from the largest family."""

    family_size: FamilySize
    monthly_limit: Positive
    each_further: Positive | None = None


class CareRateRow(_Row):
    area: str = Field(min_length=1, max_length=32)
    age_group: AgeGroup
    monthly_rate: Positive


class FeeBandRow(_Row):
    family_size: FamilySize
    income_up_to: Dollars
    fee: Dollars


class ProviderRow(_Row):
    id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")
    name: str = Field(min_length=1, max_length=200)
    county: str = Field(min_length=1, max_length=64)
    county_class: CountyClass
    families_served: int = Field(ge=0)
    license_number: str = Field(min_length=1, max_length=32)
    license_valid_until: date
    contract_id: str = Field(min_length=1, max_length=32)
    contract_ends_on: date
    agreed_on: date | None = None  # blank: has not agreed, (2)(E)


ROW_MODEL: dict[str, type[_Row]] = {"income_limits": IncomeLimitRow, "care_rates": CareRateRow,
                                    "fee_scale": FeeBandRow}


def parse_reference(kind: str, text: str) -> list[dict[str, Any]]:
    """A reference table's rows, JSON-ready (amounts as strings, to the cent), in file order."""
    if kind not in KIND_COLUMNS:
        raise ImportRejected([(1, f"unknown reference table {kind!r} (expected: {', '.join(KIND_COLUMNS)})")])
    rows, errors = _validated(text, KIND_COLUMNS[kind], ROW_MODEL[kind])
    errors += _TABLE_CHECKS[kind](rows, not errors)  # a table with a bad row is not checked for gaps
    if errors:
        raise ImportRejected(sorted(errors))
    return [{name: _json(value) for name, value in row.model_dump().items()} for _, row in rows]


def parse_providers(text: str) -> list[Provider]:
    """Pilot providers, one row each; an ID may appear once."""
    rows, errors = _validated(text, PROVIDER_COLUMNS, ProviderRow, "id")
    if errors:
        raise ImportRejected(errors)
    return [Provider(**row.model_dump()) for _, row in rows]


def _json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value.value if isinstance(value, AgeGroup) else value


def _validated(text: str, columns: tuple[str, ...], model: type[_Row],
               unique: str = "") -> tuple[list[tuple[int, Any]], Errors]:
    """(line, row model) for every good data row, and every bad row's problems, by row. A `unique` column's
    value may appear once."""
    rows, errors = read_rows(text, columns)
    if unique:
        errors += _unique([(line, values) for line, values in rows if values[unique]], lambda v: v[unique], unique)
    valid = []
    for line, values in rows:
        try:
            valid.append((line, model(**{c: v for c, v in values.items() if v})))
        except ValidationError as invalid:
            errors += [(line, _reason(e)) for e in invalid.errors()]
    if not rows and not errors:
        raise ImportRejected([(2, "the file has a header but no rows")])
    return valid, sorted(errors, key=lambda e: e[0])


def _reason(error: dict) -> str:
    field = ".".join(str(part) for part in error["loc"])
    if error["type"] == "missing":
        return f"{field} is blank"
    return f"{field} {error.get('input')!r}: {error['msg']}"


def _unique(rows: list[tuple[int, Any]], key: Callable[[Any], Any], what: str) -> Errors:
    first: dict[Any, int] = {}
    errors = []
    for line, row in rows:
        k = key(row)
        if k in first:
            errors.append((line, f"{what} {k!r} is repeated (first on row {first[k]})"))
        else:
            first[k] = line
    return errors


def _gapless(rows: list[tuple[int, Any]]) -> Errors:
    """Family sizes run 1, 2, 3, ... without a gap; a gap is reported on the first row after it."""
    first = {}
    for line, row in rows:
        first.setdefault(row.family_size, line)
    sizes = sorted(first)
    return [(first[size], f"no row for family size(s) {', '.join(map(str, range(before + 1, size)))}: "
                          "family sizes must run 1, 2, 3, ... without a gap")
            for before, size in zip([0, *sizes], sizes) if size > before + 1]


def _income_limits(rows: list[tuple[int, IncomeLimitRow]], whole: bool) -> Errors:
    errors = _unique(rows, lambda r: r.family_size, "family_size")
    if errors or not whole:
        return errors
    if errors := _gapless(rows):
        return errors
    ordered = sorted(rows, key=lambda lr: lr[1].family_size)
    last_line, last = ordered[-1]
    if last.each_further is None:
        errors.append((last_line, f"each_further is blank on the row of the largest family ({last.family_size}): "
                                  "it gives the amount added for each further person"))
    for (_, smaller), (line, row) in zip(ordered, ordered[1:]):
        if row.monthly_limit <= smaller.monthly_limit:
            errors.append((line, f"monthly_limit {row.monthly_limit} for a family of {row.family_size} is not above "
                                 f"{smaller.monthly_limit} for a family of {smaller.family_size}"))
    for line, row in ordered[:-1]:
        if row.each_further is not None and last.each_further is not None and row.each_further != last.each_further:
            errors.append((line, f"each_further {row.each_further} differs from {last.each_further} on row "
                                 f"{last_line}, the largest family's, which is the one used"))
    return errors


def _care_rates(rows: list[tuple[int, CareRateRow]], whole: bool) -> Errors:
    errors = _unique(rows, lambda r: (r.area, r.age_group.value), "(area, age_group)")
    if not whole:
        return errors
    first: dict[str, int] = {}
    groups: dict[str, set[AgeGroup]] = {}
    for line, row in rows:
        first.setdefault(row.area, line)
        groups.setdefault(row.area, set()).add(row.age_group)
    for area, line in first.items():
        if missing := [g.value for g in AgeGroup if g not in groups[area]]:
            errors.append((line, f"area {area!r} has no rate for {', '.join(missing)}: every area needs infant, "
                                 "preschool and school_age"))
    return errors


def _fee_scale(rows: list[tuple[int, FeeBandRow]], whole: bool) -> Errors:
    return (_unique(rows, lambda r: (r.family_size, r.income_up_to), "(family_size, income_up_to)")
            + (_gapless(rows) if whole else []))


_TABLE_CHECKS: dict[str, Callable[[list, bool], Errors]] = {"income_limits": _income_limits, "care_rates": _care_rates,
                                                      "fee_scale": _fee_scale}
