"""Outgoing mail: SMTP when configured, otherwise ``.eml`` files in the data dir's outbox."""

from app.mail.outbox import compose, deliver, send_after_commit

__all__ = ["compose", "deliver", "send_after_commit"]
