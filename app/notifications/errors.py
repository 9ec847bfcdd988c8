"""The notification capability's refusals."""

from __future__ import annotations

from app.core.errors import MihanError


class NotificationError(MihanError):
    """A notification request the user can correct (shown as its catalogue message)."""
