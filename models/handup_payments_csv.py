"""Premium payments as received from payroll deduction or the payment processor, 13 CSR 35-32.040 (4)(D): a CSV
file `reference,participant_id,received_on,amount`, checked all or nothing. Pure, no database.

Every bad row is reported as (row, reason), the row being its line in the file (header = row 1). The database
facts (which participants exist, which references were imported before) come in as arguments.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from models.csv_import import read_rows
from models.errors import ImportRejected
from models.rules import cites

COLUMNS = ("reference", "participant_id", "received_on", "amount")
SOURCES = ("payroll", "processor")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PaymentRow(BaseModel):
    """One payment: the sender's unique reference, the participant, the day received, the amount in dollars."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    reference: str = Field(min_length=1, max_length=64)
    participant_id: str = Field(min_length=1, max_length=32)
    received_on: date
    amount: Decimal = Field(max_digits=12, decimal_places=2)

    @field_validator("received_on", mode="before")
    @classmethod
    def _iso_date(cls, value):
        if isinstance(value, str):
            try:
                if _ISO_DATE.fullmatch(value):
                    return date.fromisoformat(value)
            except ValueError:
                pass
            raise ValueError("is not a date YYYY-MM-DD")
        return value

    @field_validator("amount", mode="before")
    @classmethod
    def _dollars(cls, value):
        if isinstance(value, str):
            try:
                value = Decimal(value)
            except ArithmeticError:
                raise ValueError("is not a number of dollars") from None
            if not value.is_finite():
                raise ValueError("is not a number of dollars")
        return value

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("must be more than zero")
        return value


@dataclass
class ReadPayments:
    """The rows that passed the checks of the file alone, by line, and the problems found so far."""

    rows: list[tuple[int, PaymentRow]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _reason(values: dict[str, str], exc: ValidationError) -> list[str]:
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "row"
        message = error["msg"].removeprefix("Value error, ")
        shown = values.get(name, "")
        problems.append(f"{name} {shown!r} {message}" if shown else f"{name} is blank")
    return problems


@cites("13 CSR 35-32.040 (4)(D)")
def read_payments(text: str) -> ReadPayments:
    """Check the file alone: the header, each row's fields, and a reference repeated within the file."""
    rows, errors = read_rows(text, COLUMNS, exact_width=True)
    out, first_seen = ReadPayments(errors=errors), {}
    for line, values in rows:
        try:
            row = PaymentRow(**values)
        except ValidationError as exc:
            out.errors += [(line, p) for p in _reason(values, exc)]
            row = None
        ref = values["reference"]
        if ref in first_seen:
            out.errors.append((line, f"duplicate reference {ref!r} (first seen on row {first_seen[ref]})"))
        elif row is not None:
            out.rows.append((line, row))
        if ref and ref not in first_seen:
            first_seen[ref] = line
    out.errors.sort(key=lambda e: e[0])  # by row, each row's problems in the order found
    return out


@cites("13 CSR 35-32.040 (4)(D)")
def check_payments(read: ReadPayments, known_participants: set[str],
                   imported_references: set[str]) -> list[PaymentRow]:
    """All or nothing: the rows, or ImportRejected naming every bad row (an unknown participant, a reference
    imported before, and the problems of the file itself)."""
    errors = list(read.errors)
    for line, row in read.rows:
        if row.participant_id not in known_participants:
            errors.append((line, f"unknown participant {row.participant_id!r}"))
        if row.reference in imported_references:
            errors.append((line, f"reference {row.reference!r} was imported before"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e[0]))
    if not read.rows:
        raise ImportRejected([(1, "the file has no payments")])
    return [row for _, row in read.rows]
