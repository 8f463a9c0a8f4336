"""Who may answer a human task (docs/architecture.md, "Human tasks"): the roster, the role, separation of duties."""

from models.errors import RosterError

# The roles that answer human tasks, as the UI names them ("Waiting for a director").
ROLE_NAMES = {
    "designee": "a designee", "director": "a director", "supervisor": "a supervisor",
    "contract_admin": "a contract administrator", "eligibility_worker": "an eligibility worker",
    "eligibility_supervisor": "an eligibility supervisor", "hearing_officer": "a hearing officer",
}


def check_answerer(
    *,
    staff_id: str,
    active: bool | None,
    roles: set[str],
    required_role: str,
    excluded_staff_id: str | None = None,
    excluded_reason: str = "",
) -> None:
    """Raise RosterError unless staff_id is active on the roster with the required role."""
    if active is None:
        raise RosterError(f"{staff_id!r} is not on the staff roster")
    if not active:
        raise RosterError(f"{staff_id!r} is no longer active on the staff roster")
    if required_role not in roles:
        raise RosterError(f"{staff_id!r} does not hold the role {required_role!r}")
    if excluded_staff_id and staff_id == excluded_staff_id:
        raise RosterError(f"{staff_id!r} may not decide: {excluded_reason or 'separation of duties'}")
