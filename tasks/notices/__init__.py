"""Notices to contractors, participants and staff (docs/architecture.md, "Notices" and "The outbox").

A decision queues its notices with `notify`, in its own transaction; `deliver_notices` (a Prefect task) sends
what is queued, each notice exactly once, by its transport: email over SMTP, letters to the mailroom's batch
folder or to the print-and-mail service. Failures raise the tree of `tasks.notices.errors`:

DeliveryError
 ├── TransientDeliveryError   retried with backoff
 └── PermanentDeliveryError   a dead letter, for staff to fix and re-queue
"""

from tasks.notices.delivery import deliver_due, deliver_notices, recover_stale_notices, request_delivery, requeue_failed
from tasks.notices.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from tasks.notices.mailroom import confirm_batch, list_batches
from tasks.notices.outbox import Recipient, contractor_recipient, notify
from tasks.notices.render import MissingNoticeFields, render_notice

__all__ = ["DeliveryError", "MissingNoticeFields", "PermanentDeliveryError", "Recipient", "TransientDeliveryError",
           "confirm_batch", "contractor_recipient", "deliver_due", "deliver_notices", "list_batches", "notify",
           "recover_stale_notices", "render_notice", "request_delivery", "requeue_failed"]
