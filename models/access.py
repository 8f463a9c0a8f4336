"""Who may call what on the Prefect API, deny by default (docs/architecture.md, "Signing in"): the one allowlist.

Staff may read what the Prefect UI shows and resume runs; an administrator may do anything; a service (the
runner, the workers, the command line) may run flows but never resume one, since only a person answers a
human task.
"""

import re
from enum import StrEnum

__all__ = ["Caller", "refusal"]

_ID = r"[0-9a-fA-F-]{36}"
RESUME = re.compile(rf"/api/flow_runs/{_ID}/resume")
# The Prefect UI's queries: reads sent as POST with a filter in the body.
_STAFF_QUERIES = re.compile(r"/api/(v2/)?(" + "|".join((
    r"[a-z_]+/filter", r"[a-z_]+/count", r"[a-z_]+/paginate", r"[a-z_]+/history", r"[a-z_]+/lateness",
    r"[a-z_]+/latest/(filter|count)",
    r"ui/.+", r"events/filter(/next)?", r"events/count-by/[a-z_]+",
    rf"flow_runs/{_ID}/input/filter", r"work_pools/[^/]+/(queues|workers)/filter",
)) + r")")
_SECRETS = re.compile(r"(^|&)include_secrets=(true|1)", re.IGNORECASE)


class Caller(StrEnum):
    staff = "staff"
    admin = "admin"
    service = "service"


def refusal(caller: Caller, method: str, path: str, query: str = "") -> str | None:
    """Why this caller may not make this request, or None when it may."""
    method = method.upper()
    if caller is Caller.admin:
        return None
    if caller is Caller.service:
        if method == "POST" and RESUME.fullmatch(path):
            return "a service identity cannot resume a run: only a signed-in staff member answers a human task"
        return None
    if method in ("GET", "HEAD", "OPTIONS"):
        if _SECRETS.search(query):
            return "only an administrator may read the secrets of blocks"
        return None
    if method == "POST" and (RESUME.fullmatch(path) or _STAFF_QUERIES.fullmatch(path)):
        return None
    return ("only an administrator may change Prefect's runs, states, deployments, blocks, variables, work pools "
            f"or automations ({method} {path})")
