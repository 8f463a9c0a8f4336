"""Hand-Up Pilot Program, 13 CSR 35-32.040, with the child care benefit of 13 CSR 35-32.010 (3)-(4).

Pure rules: every date comes in as an argument, reference tables default to the shipped versions
(models/handup_reference.py) and the caller may pass the imported ones.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from models.calendar import is_business_day
from models.errors import RuleViolation
from models.handup_reference import (CENT, DEFAULT_CARE_RATES, DEFAULT_FEE_SCALE, DEFAULT_INCOME_LIMITS, AgeGroup,
                                     CareRates, FeeScale, IncomeLimits)
from models.rules import cites

__all__ = ["Application", "Unmet", "ParticipantStatus", "monthly_premium", "latest_mailing_date", "removal_due",
           "hearing_request_timely", "hearing_deadline", "check_eligibility", "child_care_benefit", "age_group",
           "permanently_barred", "coverage_due_date", "first_coverage_month", "apply_payment", "BillingDates",
           "billing_dates", "check_billing_time", "PREMIUM_SHARE",
           "NOTICE_DAYS", "REMOVAL_DAYS", "HEARING_DAYS", "CONSENT_DAYS", "FULL_BENEFIT_MONTHS"]

RULE = "13 CSR 35-32.040"
PREMIUM_SHARE = Decimal("0.44")
NOTICE_DAYS = 15
REMOVAL_DAYS = 60
HEARING_DAYS = 90
CONSENT_DAYS = 90
FULL_BENEFIT_MONTHS = 4


class ParticipantStatus(StrEnum):
    applied = "applied"
    refused = "refused"  # the application failed a condition of (1) or (6), or the worker refused it
    enrolled = "enrolled"
    removed = "removed"  # (4)(C): sixty days of non-payment; permanent (6)
    opted_out = "opted_out"  # (6); permanent


def _money(value: Decimal, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise RuleViolation(f"{what} must be a number of dollars, not {value!r}", f"{RULE} (4)(A)")
    if not Decimal(value).is_finite():
        raise RuleViolation(f"{what} must be a number of dollars, not {value}", f"{RULE} (4)(A)")
    if value < 0:
        raise RuleViolation(f"{what} cannot be negative ({value})", f"{RULE} (4)(A)")
    return Decimal(value)


@cites("13 CSR 35-32.040 (4)(A)")
def monthly_premium(adjusted_gross_income: Decimal, family_size: int, as_of: date,
                    limits: IncomeLimits = DEFAULT_INCOME_LIMITS) -> Decimal:
    """(4)(A): 44% of the excess adjusted gross income over the maximum allowed monthly income for the family
    size as of August 28, 2012, rounded half-up to the cent; zero when the income is not above it.
    `limits` is the table version in use on as_of (the caller picks it)."""
    income = _money(adjusted_gross_income, "the adjusted gross income")
    if isinstance(family_size, bool) or not isinstance(family_size, int) or family_size < 1:
        raise RuleViolation(f"the family size must be a whole number of at least 1, not {family_size!r}",
                            f"{RULE} (4)(A)")
    if as_of < limits.effective_from:
        raise RuleViolation(f"table {limits.version} is not in effect on {as_of.isoformat()}", f"{RULE} (4)(A)")
    excess = income - limits.limit(family_size)
    if excess <= 0:
        return Decimal("0.00")
    return (excess * PREMIUM_SHARE).quantize(CENT, rounding=ROUND_HALF_UP)


@cites("13 CSR 35-32.040 (4)(A)")
def latest_mailing_date(due: date, transit_days: int) -> date:
    """(4)(A): informed by first-class mail at least fifteen days before the due date. The letter must reach
    the mail `transit_days` earlier still; the last business day on or before due - 15 - transit_days."""
    if transit_days < 0:
        raise ValueError(f"transit days cannot be negative, got {transit_days}")
    day = due - timedelta(days=NOTICE_DAYS + transit_days)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


@cites("13 CSR 35-32.040 (4)(B)")
def coverage_due_date(coverage_month: date) -> date:
    """(4)(B): the premium is due on or before the last day of the month for which coverage is calculated."""
    following = (coverage_month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


@cites("13 CSR 35-32.040 (4)(A)", "13 CSR 35-32.040 (4)(B)")
def first_coverage_month(enrolled_on: date, transit_days: int) -> date:
    """The first month a new participant is billed: the month of enrolment if its premium notice can still be
    mailed in time (4)(A), else the next month."""
    month = enrolled_on.replace(day=1)
    while latest_mailing_date(coverage_due_date(month), transit_days) < enrolled_on:
        month = coverage_due_date(month) + timedelta(days=1)
    return month


@dataclass(frozen=True)
class BillingDates:
    coverage_month: date
    due_on: date
    mail_by: date


@cites("13 CSR 35-32.040 (4)(A)", "13 CSR 35-32.040 (4)(B)")
def billing_dates(coverage_month: date, transit_days: int) -> BillingDates:
    """(4)(B): due on the last day of the coverage month; (4)(A): the letter reaches the mail by mail_by."""
    month = coverage_month.replace(day=1)
    due = coverage_due_date(month)
    return BillingDates(month, due, latest_mailing_date(due, transit_days))


@cites("13 CSR 35-32.040 (4)(A)")
def check_billing_time(coverage_month: date, as_of: date, transit_days: int) -> BillingDates:
    """(4)(A): refuse to bill a month whose premium notices could no longer be mailed fifteen days before the
    due date (plus the mail's transit days)."""
    dates = billing_dates(coverage_month, transit_days)
    if as_of > dates.mail_by:
        raise RuleViolation(
            f"too late to bill {dates.coverage_month:%Y-%m} on {as_of.isoformat()}: its premium is due "
            f"{dates.due_on.isoformat()} and the notices had to reach the mail by {dates.mail_by.isoformat()} "
            f"(first-class mail at least fifteen days before the due date)", f"{RULE} (4)(A)")
    return dates


@cites("13 CSR 35-32.040 (4)(C)")
def removal_due(oldest_unpaid_due: date, as_of: date) -> bool:
    """(4)(C): after sixty days of non-payment the participant is permanently removed: the oldest unpaid bill
    is more than sixty days past its due date."""
    return (as_of - oldest_unpaid_due).days > REMOVAL_DAYS


@cites("13 CSR 35-32.040 (5)")
def hearing_request_timely(adverse_action_issued: date, requested_on: date) -> bool:
    """(5): a fair hearing upon request within ninety days after the adverse action was issued."""
    if requested_on < adverse_action_issued:
        raise RuleViolation("a hearing request cannot be dated before the adverse action it appeals",
                            f"{RULE} (5)")
    return (requested_on - adverse_action_issued).days <= HEARING_DAYS


@cites("13 CSR 35-32.040 (5)")
def hearing_deadline(adverse_action_issued: date) -> date:
    """(5): the last day to ask for a fair hearing, ninety days after the adverse action was issued."""
    return adverse_action_issued + timedelta(days=HEARING_DAYS)


@cites("13 CSR 35-32.010 (4)")
def age_group(birth_date: date, as_of: date) -> AgeGroup:
    """32.010 (4): infant to the second birthday, preschool to the fifth, school-age from five."""
    if birth_date > as_of:
        raise RuleViolation("the child's birth date is after the date of care", "13 CSR 35-32.010 (4)")
    years = as_of.year - birth_date.year - ((as_of.month, as_of.day) < (birth_date.month, birth_date.day))
    return AgeGroup.infant if years < 2 else AgeGroup.preschool if years < 5 else AgeGroup.school_age


@cites("13 CSR 35-32.010 (3)", "13 CSR 35-32.010 (4)")
def child_care_benefit(*, area: str, children: list[tuple[AgeGroup, Decimal]], family_size: int,
                       gross_income: Decimal, fee_waived: bool = False, rates: CareRates = DEFAULT_CARE_RATES,
                       fees: FeeScale = DEFAULT_FEE_SCALE) -> Decimal:
    """32.010 (4): for each child (age group, the provider's actual monthly charge) the lesser of the rate for the
    area and age group and the charge; (3): minus the family's sliding fee, which may be waived for a child
    with special needs. Never below zero."""
    if not children:
        raise RuleViolation("a child care benefit needs at least one child in care", "13 CSR 35-32.010 (4)")
    care = sum((min(rates.rate(area, group), _money(charge, "the provider's actual charge"))
                for group, charge in children), Decimal("0"))
    fee = Decimal("0.00") if fee_waived else fees.fee(family_size, _money(gross_income, "the gross income"))
    return max(care - fee, Decimal("0.00")).quantize(CENT)


@dataclass(frozen=True)
class Unmet:
    """A condition the application does not meet, with its paragraph."""

    paragraph: str
    reason: str


@dataclass(frozen=True)
class Application:
    """The facts an eligibility worker verified, (1)(A)-(F)."""

    months_full_benefits: int
    adjusted_gross_income: Decimal
    family_size: int
    meets_program_requirements: bool
    lost_eligibility_on: date
    consented_on: date
    agrees_to_pay: bool
    benefit: Decimal
    barred_since: date | None = None  # a previous opt-out or removal, (6)


@cites("13 CSR 35-32.040 (6)")
def permanently_barred(barred_since: date | None) -> Unmet | None:
    """(6): once opted out or removed for non-payment, never allowed to participate again."""
    if barred_since is None:
        return None
    return Unmet(f"{RULE} (6)", f"left the program on {barred_since.isoformat()} (opted out or removed for "
                                "non-payment) and may not participate again")


@cites("13 CSR 35-32.040 (1)", "13 CSR 35-32.040 (1)(A)", "13 CSR 35-32.040 (1)(B)", "13 CSR 35-32.040 (1)(C)",
       "13 CSR 35-32.040 (1)(D)", "13 CSR 35-32.040 (1)(E)", "13 CSR 35-32.040 (1)(F)")
def check_eligibility(app: Application, as_of: date,
                      limits: IncomeLimits = DEFAULT_INCOME_LIMITS) -> tuple[Decimal, list[Unmet]]:
    """(1)(A)-(F) and (6): the premium and every condition not met, in the rule's order (empty: eligible)."""
    premium = monthly_premium(app.adjusted_gross_income, app.family_size, as_of, limits)
    limit = limits.limit(app.family_size)
    unmet: list[Unmet] = []

    def need(ok: bool, part: str, reason: str) -> None:
        if not ok:
            unmet.append(Unmet(f"{RULE} (1)({part})", reason))

    need(app.months_full_benefits >= FULL_BENEFIT_MONTHS, "A",
         f"received full child care benefits for {app.months_full_benefits} month(s), not four")
    need(app.adjusted_gross_income > limit, "B",
         f"income {app.adjusted_gross_income} is not above the monthly limit {limit} for a family of "
         f"{app.family_size}")
    need(app.meets_program_requirements, "C", "does not meet the Child Care Assistance program requirements")
    days = (app.consented_on - app.lost_eligibility_on).days
    need(0 <= days <= CONSENT_DAYS, "D",
         f"consented {days} day(s) after losing eligibility; consent must come within ninety days after it")
    need(app.agrees_to_pay, "E", "has not agreed to pay the monthly premium")
    need(premium < app.benefit, "F", f"the premium {premium} is not less than the child care benefit {app.benefit}")
    barred = permanently_barred(app.barred_since)
    return premium, unmet + ([barred] if barred else [])


@cites("13 CSR 35-32.040 (4)(B)")
def apply_payment(open_bills: list[tuple[int, Decimal]], amount: Decimal,
                  credit: Decimal = Decimal("0")) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """A payment (plus any credit) pays the oldest open bill first; what is left is carried as credit.
    open_bills are (bill id, balance) oldest first. Returns the (bill id, amount applied) and the new credit."""
    left = _money(amount, "the payment") + credit
    applied = []
    for bill_id, balance in open_bills:
        if left <= 0:
            break
        part = min(balance, left)
        if part > 0:
            applied.append((bill_id, part))
            left -= part
    return applied, left
