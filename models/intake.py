"""A contractor's background-screening result, as received (13 CSR 35-32.020 (7)(C))."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.exclusions import Category, Disposition, Finding, Level, five_year_felony


class OffenceIn(BaseModel):
    """One offence: what it was, when it happened, and when the person was found guilty, pled guilty or was
    convicted (the disposition date), which (7)(C)1.E counts its five years from."""

    model_config = ConfigDict(extra="forbid")
    category: Category
    level: Level
    disposition: Disposition = Disposition.convicted
    offence_date: date
    disposition_date: date | None = None

    @model_validator(mode="after")
    def _disposition_date(self) -> "OffenceIn":
        if self.disposition_date is None and five_year_felony(self.category, self.level):
            raise ValueError(f"disposition_date is required for a {self.category.value} felony: "
                             "13 CSR 35-32.020 (7)(C)1.E counts five years from the conviction")
        if self.disposition_date is not None and self.disposition_date < self.offence_date:
            raise ValueError(f"disposition_date {self.disposition_date.isoformat()} is before the offence_date "
                             f"{self.offence_date.isoformat()}")
        return self

    def finding(self) -> Finding:
        return Finding(self.category, self.level, self.disposition, self.offence_date, self.disposition_date)


class ScreeningResult(BaseModel):
    """The background investigation of one prospective employee, submitted by a contractor."""

    model_config = ConfigDict(extra="forbid")
    review_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")
    contractor_id: str = Field(min_length=1, max_length=32)
    prospect_id: str = Field(min_length=1, max_length=32)
    prospect_name: str = Field(min_length=1, max_length=200)
    screened_on: date
    division_employee: bool = False
    release_authorization: bool = False
    offences: list[OffenceIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_disposition_after_screening(self) -> "ScreeningResult":
        for n, offence in enumerate(self.offences, start=1):
            if offence.disposition_date and offence.disposition_date > self.screened_on:
                raise ValueError(f"offence {n}: disposition_date {offence.disposition_date.isoformat()} is after "
                                 f"the screening date {self.screened_on.isoformat()}")
        return self
