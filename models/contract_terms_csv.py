"""The terms of contract years as a CSV file (13 CSR 35-32.020 (13), 35-32.030 (5)-(6)), checked all or nothing.
Pure: which contracts exist comes in as an argument.

    contract_id,year_start,year_end,cases_awarded,monthly_rate,permanency_target,safety_target,reentry_target,
    region_county_permanency,region_contractor_permanency,allowable_reentries,appropriation

Percentages are 0 to 100 with at most two decimals; the appropriation may be blank (no cap on the incentive).
"""

from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.csv_import import read_rows
from models.errors import ImportRejected

COLUMNS = ("contract_id", "year_start", "year_end", "cases_awarded", "monthly_rate", "permanency_target",
           "safety_target", "reentry_target", "region_county_permanency", "region_contractor_permanency",
           "allowable_reentries", "appropriation")
PERCENT = dict(ge=0, le=100, max_digits=5, decimal_places=2)


class TermsRow(BaseModel):
    """One contract year: at most twelve months, starting on the first of a month."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    contract_id: str = Field(min_length=1, max_length=32)
    year_start: date
    year_end: date
    cases_awarded: int = Field(ge=1)
    monthly_rate: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    permanency_target: Decimal = Field(**PERCENT)
    safety_target: Decimal = Field(**PERCENT)
    reentry_target: Decimal = Field(**PERCENT)
    region_county_permanency: Decimal = Field(**PERCENT)
    region_contractor_permanency: Decimal = Field(**PERCENT)
    allowable_reentries: int = Field(ge=0)
    appropriation: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)

    @model_validator(mode="after")
    def _one_year(self) -> "TermsRow":
        if self.year_start.day != 1:
            raise ValueError(f"year_start {self.year_start} is not the first of a month")
        last = self.year_start.replace(year=self.year_start.year + 1) - timedelta(days=1)
        if not self.year_start < self.year_end <= last:
            raise ValueError(f"year_end {self.year_end} must be after year_start and no later than {last}")
        return self


def parse_terms(text: str, known_contracts: set[str]) -> list[tuple[int, TermsRow]]:
    """Every row with its line, or ImportRejected naming every bad row by its number (header = row 1)."""
    rows, errors = read_rows(text, COLUMNS, exact_width=True)
    parsed, seen = [], {}
    for line, values in rows:
        try:
            row = TermsRow(**{k: (v if v != "" or k != "appropriation" else None) for k, v in values.items()})
        except ValidationError as exc:
            errors += [(line, f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}") for e in exc.errors()]
            continue
        key = (row.contract_id, row.year_start)
        if row.contract_id not in known_contracts:
            errors.append((line, f"unknown contract {row.contract_id!r}"))
        elif key in seen:
            errors.append((line, f"contract {row.contract_id} year {row.year_start} is already on row {seen[key]}"))
        else:
            seen[key] = line
            parsed.append((line, row))
    if errors:
        raise ImportRejected(sorted(errors))
    return parsed
