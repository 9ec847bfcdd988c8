"""Notifications: the kinds registry, the bell's queries, e-mail preferences and the mail job.

Flows queue rows with ``queue_notifications`` in their own transaction; the bell and
/notifications read them (``inbox``); the order-jobs runner mails them (``mailing``).
"""

from app.notifications.errors import NotificationError
from app.notifications.inbox import (
    NotificationRow,
    count_all,
    count_unread,
    list_notifications,
    mark_all_read,
    mark_read,
    newest_unread,
)
from app.notifications.kinds import KINDS, Group, Kind, kind_of, link_for
from app.notifications.preferences import (
    Preferences,
    get_preferences,
    read_unsubscribe_token,
    save_preferences,
    unsubscribe,
    unsubscribe_token,
)
from app.notifications.queue import queue_notifications

__all__ = [
    "KINDS",
    "Group",
    "Kind",
    "NotificationError",
    "NotificationRow",
    "Preferences",
    "count_all",
    "count_unread",
    "get_preferences",
    "kind_of",
    "link_for",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "newest_unread",
    "queue_notifications",
    "read_unsubscribe_token",
    "save_preferences",
    "unsubscribe",
    "unsubscribe_token",
]
