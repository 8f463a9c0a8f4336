"""A contractor's background-screening result, as received (13 CSR 35-32.020 (7)(C))."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from models.exclusions import Category, Disposition, Finding, Level


class OffenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Category
    level: Level
    disposition: Disposition = Disposition.convicted
    offence_date: date

    def finding(self) -> Finding:
        return Finding(self.category, self.level, self.disposition, self.offence_date)


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
