"""The pilot providers of the Hand-Up Pilot Program, 13 CSR 35-32.040 (2)-(3). Pure: the caller passes the
providers that would be designated and the day."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NoReturn

from models.errors import RuleViolation
from models.handup import Unmet
from models.rules import cites

__all__ = ["CountyClass", "Provider", "check_designation", "refuse_designation_review", "MIN_PROVIDERS",
           "URBAN_FAMILIES"]

RULE = "13 CSR 35-32.040"
MIN_PROVIDERS = 2
URBAN_FAMILIES = 300


class CountyClass(StrEnum):
    rural = "rural"
    urban = "urban"


@dataclass(frozen=True)
class Provider:
    """A child care provider as the division would designate it."""

    id: str
    name: str
    county: str
    county_class: CountyClass
    families_served: int
    license_number: str
    license_valid_until: date  # the license of the Section for Child Care Regulation, DHSS
    contract_id: str
    contract_ends_on: date  # the child care contract with the Department of Social Services
    agreed_on: date | None = None  # agreed to be a pilot provider and to abide by section (3)


@cites("13 CSR 35-32.040 (2)", "13 CSR 35-32.040 (2)(A)", "13 CSR 35-32.040 (2)(B)", "13 CSR 35-32.040 (2)(C)",
       "13 CSR 35-32.040 (2)(D)", "13 CSR 35-32.040 (2)(E)", "13 CSR 35-32.040 (3)(A)")
def check_designation(providers: list[Provider], as_of: date) -> list[Unmet]:
    """(2): at least two providers; (2)(A) one in a rural county; (2)(B) one in an urban county serving at least
    three hundred families; each (2)(C), (3)(A) licensed on as_of, (2)(D) under a current contract and (2)(E)
    agreed. Every condition not met, in the rule's order (empty: the designation may stand)."""
    unmet: list[Unmet] = []
    count = len({p.id for p in providers})
    if count < MIN_PROVIDERS:
        unmet.append(Unmet(f"{RULE} (2)", f"at least two providers must be specified; {count} would be"))
    if not any(p.county_class == CountyClass.rural for p in providers):
        unmet.append(Unmet(f"{RULE} (2)(A)", "no provider is located in a rural county"))
    if not any(p.county_class == CountyClass.urban and p.families_served >= URBAN_FAMILIES for p in providers):
        unmet.append(Unmet(f"{RULE} (2)(B)", "no provider is located in an urban county and serves at least "
                                             "three hundred families"))
    expired = [p for p in providers if p.license_valid_until < as_of]
    unmet += [Unmet(f"{RULE} (2)(C)", f"provider {p.id}'s license {p.license_number} was valid only until "
                                      f"{p.license_valid_until.isoformat()}") for p in expired]
    unmet += [Unmet(f"{RULE} (2)(D)", f"provider {p.id}'s contract {p.contract_id} ran only until "
                                      f"{p.contract_ends_on.isoformat()}")
              for p in providers if p.contract_ends_on < as_of]
    unmet += [Unmet(f"{RULE} (2)(E)", f"provider {p.id} has not agreed to be a pilot provider and to abide by "
                                      "section (3)" + (f" (agreement dated {p.agreed_on.isoformat()})"
                                                       if p.agreed_on else ""))
              for p in providers if p.agreed_on is None or p.agreed_on > as_of]
    unmet += [Unmet(f"{RULE} (3)(A)", f"provider {p.id} must hold a valid child care license in good standing "
                                      "during its participation") for p in expired]
    return unmet


@cites("13 CSR 35-32.040 (2)(F)")
def refuse_designation_review(provider_id: str) -> NoReturn:
    """(2)(F): the department designates the providers at its discretion; a provider not chosen may not have the
    decision reviewed. Always raises."""
    raise RuleViolation(f"provider {provider_id} asked for a review of the designation of the pilot providers: the "
                        "designation is at the department's discretion and is not subject to review by providers "
                        "not chosen", f"{RULE} (2)(F)")
