"""The mail job: each waiting notification is mailed once, in the recipient's language, or
marked why not.

A notification waits with ``mail_state`` NULL. The job (on the order-jobs runner) picks the due
ones: every kind at once, except ``message``, which waits ``MESSAGE_DELAY`` and is mailed only if
still unread then (reading the conversation marks it read). One step claims its row with a
conditional ``UPDATE … WHERE mail_state IS NULL``: of two workers only one changes the row, the
other finds nothing to do, so nobody is mailed twice. The step then decides:

- ``skipped``: read already, the person's preference for the kind's group is off, the account
  is inactive, or the row is older than ``MAIL_WITHIN`` (a job that was down does not mail
  history);
- ``sent``: mailed after commit through ``app.mail.outbox`` (SMTP or the outbox folder). Other
  waiting ``message`` rows of the same conversation key are marked ``merged``: one mail for them.

Mail is handed over after commit, so a crash between the two loses a mail rather than sending
it twice. Security mail (verification, password reset) does not come through here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select, update

from app.core.clock import as_utc
from app.core.i18n import translate
from app.core.settings import get_settings
from app.mail.outbox import compose, send_after_commit
from app.notifications.kinds import MESSAGE, Group, kind_of, link_for
from app.notifications.preferences import get_preferences, unsubscribe_token
from models.accounts import User
from models.orders import Notification, Order

MESSAGE_DELAY = timedelta(minutes=10)
MAIL_WITHIN = timedelta(days=2)
SENT, SKIPPED, MERGED = "sent", "skipped", "merged"


def candidates(now: datetime) -> dict[str, tuple[ColumnElement[bool], Callable[..., bool]]]:
    """The mail job for ``app.orders.jobs``: waiting rows that are due, and the step."""
    due = col(Notification.mail_state).is_(None) & (
        ((col(Notification.kind) != MESSAGE) & (col(Notification.created_at) <= now))
        | ((col(Notification.kind) == MESSAGE) & (col(Notification.created_at) <= now - MESSAGE_DELAY))
    )
    return {"notification_mail": (due, mail_one)}


def _claim(session: Session, notification_id: int, now: datetime) -> Notification | None:
    result: Any = session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(col(Notification.id) == notification_id, col(Notification.mail_state).is_(None))
        .values(mail_state=SENT, mailed_at=now)
    )
    if result.rowcount != 1:
        return None
    return session.exec(select(Notification).where(Notification.id == notification_id).execution_options(populate_existing=True)).one()


def mail_one(session: Session, *, notification_id: int, now: datetime) -> bool:
    """Mail one waiting notification or mark why not; False when another worker had it."""
    notification = _claim(session, notification_id, now)
    if notification is None:
        return False
    user = session.get(User, notification.user_id)
    preferences = get_preferences(session, user_id=notification.user_id)
    group = kind_of(notification.kind).group
    if (
        user is None
        or not user.is_active
        or notification.read_at is not None
        or as_utc(notification.created_at) < now - MAIL_WITHIN
        or not preferences.mail[group]
    ):
        notification.mail_state = SKIPPED
        session.add(notification)
        session.flush()
        return True
    if notification.kind == MESSAGE:
        _merge_messages(session, notification, now)
    title = session.exec(select(Order.gig_title).where(Order.id == notification.order_id)).first() if notification.order_id else None
    send_after_commit(session, notification_mail(user, notification, group=group, lang=preferences.lang, title=title or ""))
    session.flush()
    return True


def _merge_messages(session: Session, notification: Notification, now: datetime) -> None:
    """Other waiting message rows of the same conversation key ride on this mail."""
    same_thread = (
        col(Notification.order_id) == notification.order_id if notification.order_id else col(Notification.order_id).is_(None)
    )
    session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(
            col(Notification.user_id) == notification.user_id,
            col(Notification.kind) == MESSAGE,
            col(Notification.mail_state).is_(None),
            col(Notification.id) != notification.id,
            same_thread,
        )
        .values(mail_state=MERGED, mailed_at=now)
    )


def notification_mail(user: User, notification: Notification, *, group: Group, lang: str, title: str) -> EmailMessage:
    """The mail of one notification: its text, its link, and a link that turns its group off."""
    base = get_settings().base_url.rstrip("/")
    assert user.id is not None
    link = base + (link_for(notification.kind, notification.order_id) or "/notifications")
    unsubscribe = f"{base}/unsubscribe/{unsubscribe_token(user.id, group)}"
    text = translate(kind_of(notification.kind).text_key(notification.kind), lang, title=title)
    message = compose(
        to=user.email,
        subject_key="mail.notify.subject",
        body_key="mail.notify.body",
        lang=lang,
        name=user.name,
        text=text,
        link=link,
        group=translate(f"notification.group_{group.value}", lang),
        unsubscribe=unsubscribe,
    )
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
