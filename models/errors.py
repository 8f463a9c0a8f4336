"""Business exceptions.

DomainError
 ├── RuleViolation          a rule of 13 CSR 35-32 refuses the request
 ├── RosterError            decided_by is not allowed to answer a human task
 ├── NotFound               a record ID that does not exist
 └── ImportRejected         a CSV import with bad rows (imports nothing)
"""


class DomainError(Exception):
    """Base of every business error."""


class RuleViolation(DomainError):
    def __init__(self, reason: str, rule: str):
        super().__init__(f"{reason} ({rule})")
        self.reason = reason
        self.rule = rule


class RosterError(DomainError):
    """The person who answered a human task may not answer it."""


class NotFound(DomainError):
    """No record with that ID."""


class ImportRejected(DomainError):
    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        lines = "\n".join(f"row {n}: {reason}" for n, reason in errors)
        super().__init__(f"{len(errors)} bad row(s), nothing imported:\n{lines}")
