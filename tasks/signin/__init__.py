"""Signing in (docs/architecture.md, "Signing in"): staff sign in to the Prefect UI with `STAFF-ID:password`;
services (runner, workers, command line) with their own secrets; every approval is bound to the person.

Unauthorized (401) is the one error of this package; a refusal by the allowlist is a 403 answer, not an
exception.
"""

from tasks.signin.identity import Identity, Unauthorized, Verifier
from tasks.signin.passwords import WeakPassword, set_password, set_service_secret

__all__ = ["Identity", "Unauthorized", "Verifier", "WeakPassword", "set_password", "set_service_secret"]
