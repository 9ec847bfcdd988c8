"""Queue notifications in the caller's transaction (the bell and the mail job read the queue)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from app.core import clock
from app.notifications.kinds import kind_of
from models.orders import Notification


def queue_notifications(
    session: Session, kind: str, user_ids: Iterable[int], *, order_id: int | None, now: datetime | None = None
) -> None:
    """Queue a notification of ``kind`` for each person, about an order or about nothing in particular.

    Raises:
        ValueError: ``kind`` is not in the registry (a programming error, caught by the tests).
    """
    kind_of(kind)
    at = now or clock.now()
    for user_id in dict.fromkeys(user_ids):
        session.add(Notification(user_id=user_id, kind=kind, order_id=order_id, created_at=at))
