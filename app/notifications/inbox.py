"""The bell and /notifications: one person's notifications, newest first, and their read marks.

Every query is scoped to the person asking: an id of someone else's notification is "not
found", and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select, update

from app.core import clock
from app.notifications.errors import NotificationError
from app.notifications.kinds import kind_of, link_for
from models.orders import Notification, Order


MAX_ID = 2**63  # a bigint; anything larger is not an id


@dataclass(frozen=True)
class NotificationRow:
    """A notification as the bell shows it: the catalogue key with its values, and its link."""

    id: int
    kind: str
    text_key: str
    params: dict[str, str]
    href: str
    created_at: datetime
    read: bool


def count_unread(session: Session, *, user_id: int) -> int:
    """How many of the person's notifications are unread (the bell's badge)."""
    return session.exec(
        select(func.count()).select_from(Notification).where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
    ).one()


def count_all(session: Session, *, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(Notification.user_id == user_id)).one()


def list_notifications(session: Session, *, user_id: int, limit: int = 20, offset: int = 0) -> list[NotificationRow]:
    """A page of the person's notifications, newest first, with the order's title when there is one."""
    found = session.exec(
        select(Notification, Order.gig_title)
        .join(Order, col(Order.id) == Notification.order_id, isouter=True)
        .where(Notification.user_id == user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(max(1, min(limit, 100)))
        .offset(max(0, offset))
    ).all()
    return [row_of(notification, title) for notification, title in found]


def row_of(notification: Notification, title: str | None) -> NotificationRow:
    assert notification.id is not None
    return NotificationRow(
        id=notification.id,
        kind=notification.kind,
        text_key=kind_of(notification.kind).text_key(notification.kind),
        params={"title": title or ""},
        href=link_for(notification.kind, notification.order_id),
        created_at=notification.created_at,
        read=notification.read_at is not None,
    )


def mark_read(session: Session, *, user_id: int, notification_id: object) -> str:
    """Mark one of the person's notifications read; return where it leads.

    Raises:
        NotificationError: ``notification.not_found`` (not a whole number, or not theirs).
    """
    if type(notification_id) is not int or not 0 < notification_id < MAX_ID:
        raise NotificationError("notification.not_found")
    notification = session.exec(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == user_id)
    ).first()
    if notification is None:
        raise NotificationError("notification.not_found")
    if notification.read_at is None:
        notification.read_at = clock.now()
        session.add(notification)
        session.flush()
    return link_for(notification.kind, notification.order_id)


def mark_all_read(session: Session, *, user_id: int) -> int:
    """Mark every unread notification of the person read; return how many were."""
    result = session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
        .values(read_at=clock.now())
    )
    return int(result.rowcount or 0)


def mark_thread_read(session: Session, *, user_id: int, kind: str, order_id: int | None) -> None:
    """Mark the person's unread ``kind`` rows about ``order_id`` (or about no order) read."""
    about = col(Notification.order_id) == order_id if order_id else col(Notification.order_id).is_(None)
    session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.kind) == kind, col(Notification.read_at).is_(None), about)
        .values(read_at=clock.now())
    )


def newest_unread(session: Session, *, user_id: int) -> tuple[int, int]:
    """What changes when the bell must change: the newest notification id and the unread count."""
    newest = session.exec(select(func.max(Notification.id)).where(Notification.user_id == user_id)).one() or 0
    return int(newest), count_unread(session, user_id=user_id)
