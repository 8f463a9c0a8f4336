"""Fields that every resume form shares: who decided, and the written reasons."""

from pydantic import Field

DECIDED_BY = Field(title="Decided by (your staff ID)", description="Your staff ID from the roster, e.g. S-001.",
                   min_length=1, max_length=32)
REASONS = Field(title="Written reasons", description="Refer to people by IDs only; the box grows as you type.",
                min_length=1, max_length=4000)
