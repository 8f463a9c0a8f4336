"""A Hand-Up application as an eligibility worker submits it (13 CSR 35-32.040 (1), 13 CSR 35-32.010 (3)-(4))."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.address import PostalAddress

ID = r"^[A-Za-z0-9-]+$"


class ChildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    birth_date: date
    actual_charge: Decimal = Field(ge=0, max_digits=10, decimal_places=2, description="the provider's monthly charge")
    special_needs: bool = False


class HandUpApplicationIn(BaseModel):
    """One family's application: who, where care is given, and the facts (1)(A)-(F) are checked against."""

    model_config = ConfigDict(extra="forbid")
    participant_id: str = Field(min_length=1, max_length=32, pattern=ID)
    person_id: str = Field(min_length=1, max_length=32, pattern=ID)
    address: PostalAddress
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    email_opt_in: bool = False
    provider_id: str = Field(min_length=1, max_length=32)
    care_area: str = Field(min_length=1, max_length=32)
    children: list[ChildIn] = Field(min_length=1)
    family_size: int = Field(ge=1, le=30)
    adjusted_gross_income: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    months_full_benefits: int = Field(ge=0, le=600)
    meets_program_requirements: bool
    lost_eligibility_on: date
    consented_on: date
    agrees_to_pay: bool
    payroll_deduction: bool = False
    applied_on: date

    @model_validator(mode="after")
    def _dates(self) -> "HandUpApplicationIn":
        if self.consented_on > self.applied_on:
            raise ValueError("consented_on is after applied_on")
        if self.email_opt_in and not self.email:
            raise ValueError("email_opt_in needs an email address")
        if len(self.children) >= self.family_size + 1:
            raise ValueError(f"{len(self.children)} children in care in a family of {self.family_size}")
        return self
