"""Email over SMTP: the message (text, HTML, the letter attached) and one connection per delivery batch."""

import hashlib
import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from models.settings import Settings
from models.tables import Notice
from tasks.notices.errors import PermanentDeliveryError, TransientDeliveryError


def build_email(notice: Notice, cfg: Settings, letter_pdf: bytes | None = None) -> EmailMessage:
    """RFC 5322 message: plain text with an HTML alternative (CSS inlined), the letter attached as a PDF
    where one exists; Message-ID from the idempotency key."""
    msg = EmailMessage()
    msg["From"] = cfg.smtp_from
    msg["To"] = notice.address
    msg["Subject"] = notice.subject_line
    msg["Date"] = formatdate(localtime=False)
    digest = hashlib.sha256(notice.idempotency_key.encode()).hexdigest()[:32]
    msg["Message-ID"] = f"<{digest}@cwa.notices>"
    msg["X-Notice-Key"] = notice.idempotency_key
    msg.set_content(notice.body_text)
    msg.add_alternative(notice.body_html, subtype="html")
    if letter_pdf is not None:
        msg.add_attachment(letter_pdf, maintype="application", subtype="pdf",
                           filename=f"{notice.subject_id}-{notice.notice_type}.pdf")
    return msg


class SmtpSession:
    """One SMTP connection reused for a batch of messages; reopened after a failure."""

    def __init__(self, cfg: Settings):
        self.cfg, self.smtp = cfg, None

    def send(self, msg: EmailMessage) -> None:
        try:
            if self.smtp is None:
                self.smtp = smtplib.SMTP(self.cfg.smtp_host, self.cfg.smtp_port, timeout=self.cfg.smtp_timeout)
            self.smtp.send_message(msg)
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


def send_email(msg: EmailMessage, cfg: Settings, session: SmtpSession | None = None) -> None:
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
