"""The delivery error tree (docs/architecture.md, "The outbox").

DeliveryError
 ├── TransientDeliveryError   SMTP 4xx, HTTP 5xx or 429, refused connection, timeout: retried with backoff
 └── PermanentDeliveryError   SMTP 5xx, HTTP 4xx: the notice goes to the failed (dead-letter) state
"""


class DeliveryError(Exception):
    """Base of delivery failures."""


class TransientDeliveryError(DeliveryError):
    """Worth retrying later."""


class PermanentDeliveryError(DeliveryError):
    """Retrying will not help; staff must fix the cause."""
