"""The Prefect API: reachable (/health), signed in (an authenticated read of the deployments), the deployments of
flows/serve.py present, and polled recently by the runner or a worker.

The API is called with httpx directly, with PREFECT_API_URL and PREFECT_API_AUTH_STRING read from a fresh
Prefect settings object (the environment, then the active profile), the way Prefect's own client sends them:
`Authorization: Basic base64(ID:secret)`. The secret is never shown.

A deployment is polled when the runner (`python -m flows.serve`) or a worker of its work pool asks for its
scheduled runs: Prefect then sets the deployment's `last_polled` and its `status` to READY; its foreman service sets
NOT_READY after PREFECT_SERVER_SERVICES_FOREMAN_DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS (60) without a poll.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

from tasks.doctor.check import TIMEOUT, Check, error_text

POLL_MAX_AGE = 90.0  # seconds: a runner polls every PREFECT_RUNNER_POLL_FREQUENCY (10 s by default), a worker 15 s
SIGN_IN_FIX = "export PREFECT_API_AUTH_STRING=svc-cli:$(cat data/secrets/svc-cli)"
START_SERVER = "start the stack (`make up`), or set PREFECT_API_URL to the server's address, e.g. " \
               "export PREFECT_API_URL=http://127.0.0.1:4200/api"
START_RUNNER = ("start the runner (`make up` runs `python -m flows.serve`; log data/logs/runner.log), or the "
                "workers of the scaled stack (`python -m flows.worker --pool cwa`)")
REGISTER = ("start the runner (`make up`), which registers them; on the scaled stack: "
            "`prefect deploy --all --prefect-file deploy/prefect.yaml`")


@dataclass(frozen=True)
class PrefectApi:
    url: str | None
    auth_string: str | None

    @classmethod
    def from_environment(cls) -> "PrefectApi":
        from prefect.settings import Settings

        api = Settings().api  # a fresh object: the environment as it is now, then the profile
        secret = api.auth_string.get_secret_value() if api.auth_string else None
        return cls(api.url.rstrip("/") if api.url else None, secret or None)

    @property
    def identity(self) -> str:
        return self.auth_string.partition(":")[0] if self.auth_string else ""

    def headers(self) -> dict[str, str]:
        if not self.auth_string:
            return {}
        return {"Authorization": "Basic " + base64.b64encode(self.auth_string.encode()).decode()}


def _not_checked(name: str, why: str) -> Check:
    return Check(name, False, f"not checked: {why}", "fix the check above first")


def check_reachable(client: httpx.Client, api: PrefectApi) -> Check:
    name = "Prefect API"
    if not api.url:
        return Check(name, False, "PREFECT_API_URL is not set (commands would start a temporary server)",
                     START_SERVER)
    try:
        response = client.get(f"{api.url}/health")
    except httpx.HTTPError as exc:
        return Check(name, False, f"{api.url}/health: {error_text(exc)}", START_SERVER)
    if response.status_code != 200:
        return Check(name, False, f"{api.url}/health answered HTTP {response.status_code}",
                     "see data/logs/server.log, then restart `cwa server`")
    return Check(name, True, f"{api.url} answers /health")


def check_signed_in(client: httpx.Client, api: PrefectApi, names: Sequence[str]) -> tuple[Check, list[dict] | None]:
    """(the sign-in check, the deployments named `names` as the API lists them, or None when refused)."""
    name = "Prefect sign-in"
    query = {"deployments": {"name": {"any_": list(names)}}, "limit": 200}
    try:
        response = client.post(f"{api.url}/deployments/filter", json=query, headers=api.headers())
    except httpx.HTTPError as exc:
        return Check(name, False, f"reading the deployments: {error_text(exc)}", START_SERVER), None
    if response.status_code == 401:
        who = f"as {api.identity!r}" if api.auth_string else "without a credential (PREFECT_API_AUTH_STRING is unset)"
        return Check(name, False, f"the server refused the sign-in {who}: HTTP 401 {_reason(response)}",
                     SIGN_IN_FIX), None
    if response.status_code == 403:
        return Check(name, False, f"signed in as {api.identity!r}, but may not read deployments: "
                     f"{_reason(response)}", SIGN_IN_FIX), None
    if response.status_code != 200:
        return Check(name, False, f"reading the deployments: HTTP {response.status_code} {_reason(response)}",
                     "see data/logs/server.log"), None
    who = f"signed in as {api.identity}" if api.auth_string else "the server asked for no credential"
    return Check(name, True, who), response.json()


def check_deployments(found: list[dict], expected: Sequence[str]) -> Check:
    names = {d["name"] for d in found}
    missing = [n for n in expected if n not in names]
    if missing:
        return Check("deployments", False, f"{len(missing)} of {len(expected)} missing: {', '.join(missing)}",
                     REGISTER)
    return Check("deployments", True, f"all {len(expected)} present")


def check_polling(found: list[dict], expected: Sequence[str], now: datetime | None = None,
                  max_age: float = POLL_MAX_AGE) -> Check:
    """Every expected deployment READY and polled within max_age seconds."""
    now = now or datetime.now(timezone.utc)
    ages, stale = {}, []
    for deployment in found:
        if deployment["name"] not in expected:
            continue
        polled = deployment.get("last_polled")
        age = (now - datetime.fromisoformat(polled)).total_seconds() if polled else None
        ages[deployment["name"]] = age
        if age is None or age > max_age or deployment.get("status") not in (None, "READY"):
            stale.append(f"{deployment['name']} ({'never polled' if age is None else f'{age:.0f} s ago'}, "
                         f"{deployment.get('status') or 'no status'})")
    if not ages:
        return Check("runner polling", False, "no deployment to poll", REGISTER)
    if stale:
        return Check("runner polling", False, f"not polled within {max_age:.0f} s: {'; '.join(stale)}", START_RUNNER)
    return Check("runner polling", True, f"{len(ages)} deployment(s) READY, last polled at most "
                 f"{max(ages.values()):.0f} s ago")


def prefect_checks(api: PrefectApi, expected: Sequence[str]) -> list[Check]:
    """The four Prefect checks in order; after a failure the ones that depend on it say "not checked"."""
    with httpx.Client(timeout=TIMEOUT) as client:
        reachable = check_reachable(client, api)
        if not reachable.ok:
            return [reachable] + [_not_checked(n, "the Prefect API is not reachable")
                                  for n in ("Prefect sign-in", "deployments", "runner polling")]
        signed_in, found = check_signed_in(client, api, expected)
    if found is None:
        return [reachable, signed_in] + [_not_checked(n, "not signed in") for n in ("deployments", "runner polling")]
    return [reachable, signed_in, check_deployments(found, expected), check_polling(found, expected)]


def _reason(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail", "")
    except (ValueError, AttributeError):
        detail = response.text
    return " ".join(str(detail).split())[:200]
