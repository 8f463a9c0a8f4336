"""Email over SMTP: the message (text, HTML, the letter attached) and one connection per delivery batch.

The message is written straight to its wire form (CRLF lines, quoted-printable text, a base64 PDF): the
email package's generator cost a millisecond a message, more than the SMTP exchange on loopback."""

import base64
import binascii
import hashlib
import secrets
import smtplib
from dataclasses import dataclass
from email.header import Header
from email.utils import formatdate

from models.settings import Settings
from models.tables import Notice
from tasks.notices.errors import PermanentDeliveryError, TransientDeliveryError

CRLF = "\r\n"


@dataclass(frozen=True)
class Email:
    """A message ready for SMTP: its envelope, its headers as written, and its bytes on the wire."""

    sender: str
    recipient: str
    headers: dict[str, str]
    data: bytes

    def __getitem__(self, name: str) -> str | None:
        return self.headers.get(name)


def _header(name: str, value: str) -> str:
    """One header field; text that is not ASCII is RFC 2047-encoded, a long value folded (an address is written
    as it is: a server that takes it speaks SMTPUTF8)."""
    if (value.isascii() and len(name) + len(value) < 77) or name == "To":
        return f"{name}: {value}{CRLF}"
    encoded = Header(value, None if value.isascii() else "utf-8", header_name=name).encode(linesep=CRLF)
    return f"{name}: {encoded}{CRLF}"


def _text(subtype: str, text: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").encode(), istext=True).replace(b"\n", b"\r\n")
    return (f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
            f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}").encode() + body


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    """(Content-Type, body); the boundary starts with '=_', which neither quoted-printable nor base64 can hold."""
    boundary = f"=_cwa_{secrets.token_hex(12)}"
    body = b"".join(f"--{boundary}{CRLF}".encode() + part + CRLF.encode() for part in parts)
    return f'multipart/{subtype}; boundary="{boundary}"', body + f"--{boundary}--{CRLF}".encode()


def build_email(notice: Notice, cfg: Settings, letter_pdf: bytes | None = None) -> Email:
    """RFC 5322 message: plain text with an HTML alternative (CSS inlined), the letter attached as a PDF
    where one exists; Message-ID from the idempotency key."""
    content_type, body = _multipart("alternative", [_text("plain", notice.body_text), _text("html", notice.body_html)])
    if letter_pdf is not None:
        pdf = (f"Content-Type: application/pdf{CRLF}Content-Transfer-Encoding: base64{CRLF}"
               f'Content-Disposition: attachment; filename="{notice.subject_id}-{notice.notice_type}.pdf"{CRLF}{CRLF}'
               ).encode() + base64.encodebytes(letter_pdf).replace(b"\n", b"\r\n")
        alternative = f"Content-Type: {content_type}{CRLF}{CRLF}".encode() + body
        content_type, body = _multipart("mixed", [alternative, pdf])
    digest = hashlib.sha256(notice.idempotency_key.encode()).hexdigest()[:32]
    headers = {"From": cfg.smtp_from, "To": notice.address, "Subject": notice.subject_line,
               "Date": formatdate(localtime=False), "Message-ID": f"<{digest}@cwa.notices>",
               "X-Notice-Key": notice.idempotency_key, "MIME-Version": "1.0", "Content-Type": content_type}
    head = "".join(_header(name, value) for name, value in headers.items())
    return Email(cfg.smtp_from, notice.address, headers, head.encode() + CRLF.encode() + body)


class SmtpSession:
    """One SMTP connection reused for a batch of messages; reopened after a failure."""

    def __init__(self, cfg: Settings):
        self.cfg, self.smtp = cfg, None

    def send(self, msg: Email) -> None:
        try:
            if self.smtp is None:
                self.smtp = smtplib.SMTP(self.cfg.smtp_host, self.cfg.smtp_port, timeout=self.cfg.smtp_timeout)
            utf8 = not (msg.sender + msg.recipient).isascii()
            self.smtp.sendmail(msg.sender, [msg.recipient], msg.data, mail_options=["SMTPUTF8"] if utf8 else [])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.smtp = None

    def __enter__(self) -> "SmtpSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def send_email(msg: Email, cfg: Settings, session: SmtpSession | None = None) -> None:
    """Hand one message to the SMTP server; classify failures as transient or permanent."""
    try:
        if session is not None:
            session.send(msg)
        else:
            with SmtpSession(cfg) as own:
                own.send(msg)
    except smtplib.SMTPResponseException as exc:
        kind = PermanentDeliveryError if exc.smtp_code >= 500 else TransientDeliveryError
        raise kind(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        permanent = any(code >= 500 for code, _ in exc.recipients.values())
        kind = PermanentDeliveryError if permanent else TransientDeliveryError
        raise kind(f"recipient refused: {list(exc.recipients.values())}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TransientDeliveryError(f"{type(exc).__name__}: {exc}") from exc
