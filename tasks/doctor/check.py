"""The outcome of one health check."""

from dataclasses import dataclass

TIMEOUT = 3.0  # seconds for any connection a check makes


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def error_text(exc: BaseException) -> str:
    """A one-line description of a failure: its type and message."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
