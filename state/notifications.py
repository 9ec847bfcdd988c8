"""The bell (header), the /notifications page and the e-mail preferences on /account.

Whose notifications are shown comes only from the session cookie; an item is opened through a
form field (its key) that the service checks against the viewer, so another person's id is
"not found" and changes nothing. Rows reach the browser as display strings in both languages.
The bell's count is refreshed with the header on every page load (``SessionState._show``),
when the bell opens, and by the messages page's poll (``MessagesState.watch``); no second
poller.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app import notifications
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import LANGUAGES, translate
from app.notifications import Group, NotificationRow
from state.paging import PagedList
from state.session import SessionState
from state.wallet import pair, when_pair

PATH = "/notifications"
PER_PAGE = 20
BELL_SIZE = 6


def notification_view(row: NotificationRow) -> dict[str, str]:
    """One notification as display strings: its sentence and time in both languages, link, read flag."""
    return {
        "key": str(row.id),
        "href": row.href,
        "read": "1" if row.read else "",
        **pair("text", lambda lang: translate(row.text_key, lang, **row.params)),
        **when_pair("at", row.created_at),
    }


def _key(form_data: Any) -> int | None:
    """The form's ``key`` as a notification id (a whole number), else None."""
    value = form_data.get("key") if isinstance(form_data, dict) else None
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 18 else None


class NotificationsState(PagedList, SessionState):
    """The bell's latest items and the /notifications page."""

    latest: list[dict[str, str]] = []

    def _fill_latest(self, viewer_id: int) -> None:
        with reading() as session:
            rows = notifications.list_notifications(session, user_id=viewer_id, limit=BELL_SIZE)
            self.unread_notifications = notifications.count_unread(session, user_id=viewer_id)
        self.latest = [notification_view(row) for row in rows]

    def _fill_page(self, viewer_id: int, page: int) -> None:
        with reading() as session:
            offset = self._window(notifications.count_all(session, user_id=viewer_id), page, PER_PAGE, lambda n: PATH if n <= 1 else f"{PATH}?page={n}")
            rows = notifications.list_notifications(session, user_id=viewer_id, limit=PER_PAGE, offset=offset)
            self.unread_notifications = notifications.count_unread(session, user_id=viewer_id)
        self.items = [notification_view(row) for row in rows]
        self.loaded = True

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /notifications (``?page=<n>``): signed-out visitors log in first."""
        opened = self._viewer_and_page(PATH)
        if not isinstance(opened, tuple):
            return opened
        self._fill_page(opened[0].id, opened[1])

    @rx.event
    def open_bell(self, is_open: Any = True):  # type: ignore[no-untyped-def]
        """The bell opened: its newest items and a fresh count."""
        if is_open is not True:
            return
        try:
            viewer = self._require()
        except MihanError:
            self.latest = []
            return
        self._fill_latest(viewer.id)

    @rx.event
    def open_item(self, form_data: Any):  # type: ignore[no-untyped-def]
        """An item was pressed (``{"key": "<id>"}``): mark it read and go where it leads."""
        try:
            viewer = self._require()
            with transaction() as session:
                href = notifications.mark_read(session, user_id=viewer.id, notification_id=_key(form_data))
        except MihanError as exc:
            return rx.toast.error(self._message(exc))
        self._refresh_lists(viewer.id)
        return rx.redirect(href) if href else None

    @rx.event
    def mark_all_read(self):  # type: ignore[no-untyped-def]
        """«تعليم الكل كمقروء»."""
        try:
            viewer = self._require()
        except MihanError as exc:
            return rx.toast.error(self._message(exc))
        with transaction() as session:
            notifications.mark_all_read(session, user_id=viewer.id)
        self._refresh_lists(viewer.id)
        return rx.toast.success(translate("notifications.all_read", self._lang))

    def _refresh_lists(self, viewer_id: int) -> None:
        self._fill_latest(viewer_id)
        if self.loaded:
            self._fill_page(viewer_id, self.page)


class NotificationPrefsState(SessionState):
    """The e-mail preferences card on /account: a switch per group and the mail language."""

    prefs_loaded: bool = False
    mail_lang: str = "ar"
    groups: list[dict[str, str]] = []
    prefs_error: str = ""

    def _load_prefs(self, viewer_id: int) -> None:
        with reading() as session:
            found = notifications.get_preferences(session, user_id=viewer_id)
        self.mail_lang = found.lang
        self.groups = [
            {"name": group.value, "on": "1" if found.mail[group] else "", **pair("label", lambda lang, g=group: translate(f"notification.group_{g.value}", lang))}
            for group in Group
        ]
        self.prefs_loaded = True

    @rx.event
    def open_prefs(self):  # type: ignore[no-untyped-def]
        """On load of /account (ProfileState sends signed-out visitors to log in)."""
        self.prefs_error = ""
        try:
            viewer = self._require()
        except MihanError:
            self.prefs_loaded = False
            return
        self._load_prefs(viewer.id)

    @rx.event
    def save_prefs(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«حفظ التفضيلات»: ``{"mail_lang": "ar", "<group>": "on", …}`` (a group not sent is off)."""
        self.prefs_error = ""
        try:
            viewer = self._require()
            form = form_data if isinstance(form_data, dict) else {}
            enabled = [name for name, value in form.items() if name != "mail_lang" and value == "on"]
            lang = form.get("mail_lang") if form.get("mail_lang") in LANGUAGES else None
            with transaction() as session:
                notifications.save_preferences(session, user_id=viewer.id, lang=lang, enabled=enabled)
        except MihanError as exc:
            self.prefs_error = self._message(exc)
            return rx.toast.error(self.prefs_error)
        self._load_prefs(viewer.id)
        return rx.toast.success(translate("notifications.prefs_saved", self._lang))
