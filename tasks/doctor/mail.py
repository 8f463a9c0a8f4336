"""The ways notices leave: the SMTP server, the print-and-mail service (CWA_MAIL_TRANSPORT=print-api) and the
mailroom folder (CWA_MAIL_TRANSPORT=mailroom)."""

import smtplib
import tempfile
from pathlib import Path

import httpx

from models.settings import Settings
from tasks.doctor.check import TIMEOUT, Check, error_text

TRANSPORTS = ("mailroom", "print-api")


def check_smtp(host: str, port: int, timeout: float = TIMEOUT) -> Check:
    """Connect, EHLO and NOOP; nothing is sent."""
    name, where = "SMTP", f"{host}:{port}"
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            code, _ = smtp.ehlo()
            noop, _ = smtp.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return Check(name, False, f"{where}: {error_text(exc)}",
                     "start the SMTP relay (`make up` starts a local sink when nothing listens), "
                     "or correct CWA_SMTP_HOST and CWA_SMTP_PORT")
    if code != 250 or noop != 250:
        return Check(name, False, f"{where} answered EHLO {code}, NOOP {noop}", "see the SMTP server's log")
    return Check(name, True, f"{where} answers EHLO and NOOP")


def check_print_api(cfg: Settings, timeout: float = TIMEOUT) -> Check:
    """GET the service's base URL with our credentials: any answer but 401, 403 or 5xx means reachable."""
    name = "print API"
    if cfg.mail_transport != "print-api":
        return Check(name, True, f"not used (CWA_MAIL_TRANSPORT={cfg.mail_transport})")
    url = cfg.print_api_url.rstrip("/") + "/"
    try:
        response = httpx.get(url, auth=(cfg.print_api_username, cfg.print_api_password), timeout=timeout)
    except httpx.HTTPError as exc:
        return Check(name, False, f"{url}: {error_text(exc)}",
                     "check that the print-and-mail service is up and CWA_PRINT_API_URL is right")
    if response.status_code in (401, 403):
        return Check(name, False, f"{url} refused our credentials: HTTP {response.status_code}",
                     "correct CWA_PRINT_API_USERNAME and CWA_PRINT_API_PASSWORD")
    if response.status_code >= 500:
        return Check(name, False, f"{url} answered HTTP {response.status_code}",
                     "the service is failing: letters wait in the outbox and are retried; ask its operator")
    return Check(name, True, f"{url} answers (HTTP {response.status_code})")


def check_mailroom(cfg: Settings) -> Check:
    """Create and remove a file in the mailroom folder (or, before the first letter, in the folder above it)."""
    name = "mailroom folder"
    if cfg.mail_transport not in TRANSPORTS:
        return Check(name, False, f"CWA_MAIL_TRANSPORT={cfg.mail_transport!r} is neither of {', '.join(TRANSPORTS)}",
                     "set CWA_MAIL_TRANSPORT=mailroom or CWA_MAIL_TRANSPORT=print-api")
    if cfg.mail_transport != "mailroom":
        return Check(name, True, f"not used (CWA_MAIL_TRANSPORT={cfg.mail_transport})")
    root = Path(cfg.mailroom_dir)
    target = root
    while not target.exists() and target != target.parent:
        target = target.parent
    fix = f"make {target} writable by this user, or set CWA_MAILROOM_DIR"
    if not target.is_dir():
        return Check(name, False, f"{target} is not a folder", fix)
    try:
        with tempfile.NamedTemporaryFile(dir=target, prefix=".cwa-doctor-"):
            pass
    except OSError as exc:
        return Check(name, False, f"cannot write in {target}: {error_text(exc)}", fix)
    if target != root:
        return Check(name, True, f"{root} does not exist yet; the first letter creates it (in {target}, writable)")
    return Check(name, True, f"{root} is writable")
