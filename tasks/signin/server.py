"""`cwa server`: Prefect's own server application (API, UI, background services) with the sign-in layer in
front, in one uvicorn process (docs/operations.md)."""

import os

from tasks.context import settings
from tasks.signin.gate import SignInGate
from tasks.signin.identity import Verifier

__all__ = ["build_app", "serve"]


def build_app():
    """Prefect's application behind the sign-in gate."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.server.api.server import create_app

    cfg = settings()
    proxies = frozenset(a.strip() for a in cfg.sso_proxies.split(",") if a.strip())
    return SignInGate(create_app(final=True), Verifier(cfg.signin_cache_seconds, cfg.sso_header, proxies))


def serve(host: str, port: int, ssl_keyfile: str | None = None, ssl_certfile: str | None = None) -> None:
    """Serve until stopped; TLS when a key and certificate are given."""
    import uvicorn

    uvicorn.run(build_app(), host=host, port=port, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile,
                log_level="info", timeout_keep_alive=5)
