"""What every resume form shares: the written reasons, and who answered, which is no field on the form: the
sign-in layer binds the staff member who signed in (docs/architecture.md, "Signing in")."""

from prefect.input import RunInput
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

REASONS = Field(title="Written reasons", description="Refer to people by IDs only; the box grows as you type.",
                min_length=1, max_length=4000)


class StaffAnswer(RunInput):
    """A form staff fill in the Prefect UI; `decided_by` is set from the signed-in staff member."""

    decided_by: SkipJsonSchema[str] = ""
