"""Retention of a contract's records, 13 CSR 35-32.020 (12)(A): "for a period of five (5) calendar years following
the expiration of the contract".

A contract that ended on D is kept through D plus five calendar years (the same month and day, five years on; a
contract ending on February 29 is kept through February 28 five years on, since that year has no February 29).
Its records may be purged from the next day: `past_retention` is true when as_of is after `retention_ends`.
Which records belong to a contract, and which day counts as its end, is decided in tasks/retention.py.
"""

from datetime import date

from models.rules import cites

__all__ = ["RETENTION_YEARS", "RULE", "past_retention", "retention_ends"]

RULE = "13 CSR 35-32.020 (12)(A)"
RETENTION_YEARS = 5


@cites(RULE)
def retention_ends(contract_end: date) -> date:
    """The last day the records of a contract that ended on contract_end must still be kept."""
    year = contract_end.year + RETENTION_YEARS
    try:
        return contract_end.replace(year=year)
    except ValueError:  # February 29 in a year that has none
        return date(year, 2, 28)


@cites(RULE)
def past_retention(contract_end: date, as_of: date) -> bool:
    """True when, on as_of, the retention period of a contract that ended on contract_end is over."""
    return as_of > retention_ends(contract_end)
