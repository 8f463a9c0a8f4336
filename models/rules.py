"""Which paragraph each rule implements, for docs/rules.md (`cwa rules`).

A rule function in one of RULE_MODULES carries `@cites("13 CSR 35-32.020 (7)(C)2.A", ...)`; a test that
covers a paragraph carries `@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.A", ...)`. A paragraph is cited in
full: the source ("13 CSR 35-32.020", "RSMo 9.010") and, for a rule, its subdivisions; the other seeds' methods
cite their document and section ("Wisconsin DWD Memo 03-21, Chart B", "Texas DFPS FY2011 Attachment F, Output #3").
"""

import re
from collections.abc import Callable
from typing import TypeVar

__all__ = ["RULE_MODULES", "cites", "citations", "paragraph_key"]

RULE_MODULES = ("models.calendar", "models.exclusions", "models.review", "models.improvement_plan",
                "models.handup", "models.handup_providers", "models.handup_removal", "models.handup_payments_csv",
                "models.methods.texas", "models.methods.missouri_residential", "models.methods.wisconsin",
                "models.outcomes", "models.incentive", "models.funding", "models.retention")

PARAGRAPH = re.compile(r"(13 CSR 35-\d\d\.\d{3}|RSMo \d+\.\d+)( \(\d+\)(\([A-Z]\)|\([IVX]+\)|\d+\.?|[A-Z]\.?)*)?"
                       r"|(Wisconsin DWD Memo 03-21|Texas DFPS FY2011 Attachment F)(, [A-Za-z0-9 #.()-]+)?")

F = TypeVar("F", bound=Callable)


def cites(*paragraphs: str) -> Callable[[F], F]:
    """Mark a rule function with the paragraphs it implements (each in full, checked here)."""
    bad = [p for p in paragraphs if not PARAGRAPH.fullmatch(p)]
    if not paragraphs or bad:
        raise ValueError(f"cite paragraphs in full, e.g. '13 CSR 35-32.020 (7)(C)2.A', not {bad or 'nothing'}")

    def mark(fn: F) -> F:
        fn.__cites__ = tuple(paragraphs)
        return fn
    return mark


def citations(fn: Callable) -> tuple[str, ...]:
    """The paragraphs a function cites; empty if it cites none."""
    return getattr(fn, "__cites__", ())


def paragraph_key(paragraph: str) -> tuple:
    """Sort paragraphs as the rule reads: (7)(C)2.A before (7)(C)10, (15) after (7)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.findall(r"\d+|[A-Za-z]+", paragraph))
