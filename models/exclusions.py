"""Mandatory hiring exclusions, 13 CSR 35-32.020 (7)(C)1.A-F."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from models.rules import cites


class Category(StrEnum):
    child_abuse_neglect = "child_abuse_neglect"
    spousal_abuse = "spousal_abuse"
    crime_against_child = "crime_against_child"
    child_pornography = "child_pornography"
    violent_or_sexual = "violent_or_sexual"
    failure_to_report = "failure_to_report"
    physical_assault = "physical_assault"
    battery = "battery"
    drug_related = "drug_related"
    rsmo_210_117 = "rsmo_210_117"
    other = "other"


class Level(StrEnum):
    felony = "felony"
    misdemeanor = "misdemeanor"


class Disposition(StrEnum):
    found_guilty = "found_guilty"
    pled_guilty = "pled_guilty"
    convicted = "convicted"


# (7)(C)1.E: the felonies barred for five years, counted from the conviction.
FIVE_YEAR_CATEGORIES = frozenset({Category.physical_assault, Category.battery, Category.drug_related})


@dataclass(frozen=True)
class Finding:
    """One offence revealed by a background investigation, with the date of its disposition (the finding of
    guilt, the plea or the conviction); that date is required at intake for a felony of (7)(C)1.E."""

    category: Category
    level: Level
    disposition: Disposition
    offence_date: date
    disposition_date: date | None = None


@cites("13 CSR 35-32.020 (7)(C)1.E")
def five_year_felony(category: Category, level: Level) -> bool:
    """(7)(C)1.E: a felony for physical assault, battery, or a drug-related offense."""
    return level is Level.felony and category in FIVE_YEAR_CATEGORIES


@cites("13 CSR 35-32.020 (7)(C)1.E")
def conviction_date(finding: Finding) -> date:
    """(7)(C)1.E: "a felony conviction ... within the past five (5) years" runs from the date the person was
    found guilty, pled guilty or was convicted. A record kept from before that date was recorded counts from
    the offence date, the earliest the disposition can be."""
    return finding.disposition_date or finding.offence_date


@cites("13 CSR 35-32.020 (7)(C)1.E")
def five_years_before(as_of: date) -> date:
    """(7)(C)1.E: the start of "the past five (5) years" (Feb 29 falls back to Feb 28)."""
    try:
        return as_of.replace(year=as_of.year - 5)
    except ValueError:
        return as_of.replace(year=as_of.year - 5, day=28)


@cites("13 CSR 35-32.020 (7)(C)1.A",
       "13 CSR 35-32.020 (7)(C)1.B",
       "13 CSR 35-32.020 (7)(C)1.C",
       "13 CSR 35-32.020 (7)(C)1.D",
       "13 CSR 35-32.020 (7)(C)1.E",
       "13 CSR 35-32.020 (7)(C)1.F")
def excluding_paragraph(finding: Finding, as_of: date) -> str | None:
    """(7)(C)1.A-F: the subparagraph that excludes this finding, or None."""
    c, felony = finding.category, finding.level is Level.felony
    if c in (Category.child_abuse_neglect, Category.spousal_abuse) and felony:
        return "(7)(C)1.A"
    if c in (Category.crime_against_child, Category.child_pornography):
        return "(7)(C)1.B"
    if c is Category.violent_or_sexual:
        return "(7)(C)1.C"
    if c is Category.failure_to_report:
        return "(7)(C)1.D"
    if five_year_felony(c, finding.level) and conviction_date(finding) >= five_years_before(as_of):
        return "(7)(C)1.E"
    if c is Category.rsmo_210_117:
        return "(7)(C)1.F"
    return None


@cites("13 CSR 35-32.020 (7)(C)1")
def mandatory_exclusions(findings: list[Finding], as_of: date) -> list[str]:
    """(7)(C)1: every subparagraph that bars case-management duties, sorted; empty if none."""
    return sorted({p for f in findings if (p := excluding_paragraph(f, as_of))})
