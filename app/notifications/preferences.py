"""Per-person e-mail preferences and the signed unsubscribe link.

No row means every group by e-mail, in Arabic. The unsubscribe token is
``<user id>.<group>.<HMAC-SHA256 of both under the installation secret>``: it needs no table,
never expires (an old mail's link must keep working) and can only turn its own group off.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.core import clock
from app.core.i18n import LANGUAGES
from app.core.security import same
from app.core.settings import secret_key
from app.notifications.errors import NotificationError
from app.notifications.kinds import Group
from models.accounts import User
from models.notifications import NotificationSetting

COLUMNS = {group: f"mail_{group.value}" for group in Group}


@dataclass(frozen=True)
class Preferences:
    lang: str
    mail: dict[Group, bool]


def get_preferences(session: Session, *, user_id: int) -> Preferences:
    row = session.exec(select(NotificationSetting).where(NotificationSetting.user_id == user_id)).first()
    if row is None:
        return Preferences(lang="ar", mail=dict.fromkeys(Group, True))
    return Preferences(lang=row.mail_lang, mail={group: bool(getattr(row, column)) for group, column in COLUMNS.items()})


def _row(session: Session, user_id: int) -> NotificationSetting:
    """The person's row, locked, created on first use (two tabs racing end on one row)."""
    query = select(NotificationSetting).where(NotificationSetting.user_id == user_id).with_for_update()
    row = session.exec(query).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(NotificationSetting(user_id=user_id, updated_at=clock.now()))
    except IntegrityError:
        pass
    row = session.exec(query.execution_options(populate_existing=True)).first()
    assert row is not None
    return row


def save_preferences(session: Session, *, user_id: int, lang: object, enabled: Iterable[object]) -> Preferences:
    """Store the mail language and which groups are mailed (the groups not named are off).

    Raises:
        NotificationError: ``notification.bad_language``, ``notification.bad_group``.
    """
    if lang not in LANGUAGES:
        raise NotificationError("notification.bad_language")
    names = list(enabled)
    if not all(isinstance(name, str) and name in Group._value2member_map_ for name in names):
        raise NotificationError("notification.bad_group")
    row = _row(session, user_id)
    row.mail_lang = str(lang)
    for group, column in COLUMNS.items():
        setattr(row, column, group.value in names)
    row.updated_at = clock.now()
    session.add(row)
    session.flush()
    return get_preferences(session, user_id=user_id)


def _signature(user_id: int, group: str) -> str:
    return hmac.new(secret_key(), f"unsubscribe\0{user_id}\0{group}".encode(), hashlib.sha256).hexdigest()[:32]


def unsubscribe_token(user_id: int, group: Group) -> str:
    return f"{user_id}.{group.value}.{_signature(user_id, group.value)}"


def read_unsubscribe_token(token: object) -> tuple[int, Group]:
    """The person and group a mail's link names.

    Raises:
        NotificationError: ``notification.link_invalid`` (malformed or forged).
    """
    parts = token.split(".") if isinstance(token, str) and len(token) <= 80 else []
    if len(parts) != 3 or not parts[0].isascii() or not parts[0].isdigit() or parts[1] not in Group._value2member_map_:
        raise NotificationError("notification.link_invalid")
    user_id = int(parts[0])
    if not same(parts[2], _signature(user_id, parts[1])):
        raise NotificationError("notification.link_invalid")
    return user_id, Group(parts[1])


def unsubscribe(session: Session, *, token: object) -> Group:
    """Turn off the group a mail's link names, without signing in; return the group.

    Raises:
        NotificationError: ``notification.link_invalid``.
    """
    user_id, group = read_unsubscribe_token(token)
    if session.get(User, user_id) is None:
        raise NotificationError("notification.link_invalid")
    row = _row(session, user_id)
    setattr(row, COLUMNS[group], False)
    row.updated_at = clock.now()
    session.add(row)
    session.flush()
    return group
