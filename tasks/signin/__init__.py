"""Signing in (docs/architecture.md, "Signing in"): staff sign in to the Prefect UI with `STAFF-ID:password`;
services (runner, workers, command line) with their own secrets; every approval is bound to the person.

Errors: Unauthorized (a 401 answer) and WeakPassword (a DomainError: a password the policy refuses). A refusal by
the allowlist is a 403 answer, not an exception.
"""

from tasks.signin.identity import Identity, Unauthorized, Verifier
from tasks.signin.passwords import WeakPassword, set_password, set_service_secret

__all__ = ["Identity", "Unauthorized", "Verifier", "WeakPassword", "set_password", "set_service_secret"]
