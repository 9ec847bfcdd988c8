"""The bell, /notifications and the e-mail preferences, driven like a browser would (statekit),
on SQLite and Postgres: only one's own notifications, a stranger's key refused, junk changes
nothing."""

from __future__ import annotations

from app import notifications
from app.core import db
from app.notifications import Group
from models.notifications import NotificationSetting
from state.notifications import NotificationPrefsState, NotificationsState
from state.session import SessionState
from tests.integration.orderkit import now, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, events_of, redirects, rows, snapshot_database
from tests.integration.test_notifications import listed, queue, unread


def tab(user: int, path: str = "/") -> Browser:
    browser = Browser(token=add_session(user), path=path)
    browser.call(SessionState, "refresh")
    return browser


def test_the_bell_counts_lists_and_opens_ones_own_notifications(shop: dict[str, int]) -> None:
    # given two notifications for the buyer, one for the seller
    queue("payout_paid", shop["buyer"])
    queue("level_up", shop["buyer"])
    queue("level_up", shop["seller"])
    # when the buyer's page loads and the bell opens
    buyer = tab(shop["buyer"])
    assert buyer.state(SessionState).unread_notifications == 2
    buyer.call(NotificationsState, "open_bell", True)
    latest = buyer.state(NotificationsState).latest
    assert [item["text_ar"] for item in latest] == [ar("notify.level_up"), ar("notify.payout_paid")]
    assert all(item["read"] == "" for item in latest)
    # then pressing the payout item marks it read and goes to the wallet
    result = buyer.call(NotificationsState, "open_item", {"key": latest[1]["key"]})
    assert redirects(result) == ["/wallet"]
    assert buyer.state(SessionState).unread_notifications == 1 and unread(shop["seller"]) == 1


def test_a_strangers_key_or_junk_is_refused_and_changes_nothing(shop: dict[str, int]) -> None:
    queue("level_up", shop["seller"])
    [theirs] = listed(shop["seller"])
    buyer = tab(shop["buyer"])
    before = snapshot_database()
    for junk in ({"key": str(theirs.id)}, {"key": "-1"}, {"key": "١"}, {"key": 5}, {}, None, "x", {"key": "9" * 40}):
        result = buyer.call(NotificationsState, "open_item", junk)
        assert any("toast" in str(event) for event in events_of(result)) and redirects(result) == []
    assert snapshot_database() == before


def test_the_page_pages_newest_first_and_marks_all_read(shop: dict[str, int]) -> None:
    queue("payout_paid", shop["buyer"], count=25)
    page = tab(shop["buyer"], "/notifications?page=2")
    page.call(NotificationsState, "open_page")
    state = page.state(NotificationsState)
    assert (len(state.items), state.page, state.pages, state.prev_href) == (5, 2, 2, "/notifications")
    page.call(NotificationsState, "mark_all_read")
    assert unread(shop["buyer"]) == 0 and page.state(SessionState).unread_notifications == 0
    assert all(item["read"] == "1" for item in page.state(NotificationsState).items)


def test_signed_out_visitors_are_sent_to_log_in_and_nothing_changes(shop: dict[str, int]) -> None:
    queue("level_up", shop["buyer"])
    visitor = Browser(path="/notifications")
    before = snapshot_database()
    assert redirects(visitor.call(NotificationsState, "open_page")) == ["/login?next=/notifications"]
    visitor.call(NotificationsState, "open_bell", True)
    visitor.call(NotificationsState, "mark_all_read")
    visitor.call(NotificationPrefsState, "save_prefs", {"mail_lang": "en"})
    assert visitor.state(NotificationsState).latest == [] and snapshot_database() == before


def test_preferences_are_shown_and_saved_on_the_account_page(shop: dict[str, int]) -> None:
    account = tab(shop["seller"], "/account")
    account.call(NotificationPrefsState, "open_prefs")
    state = account.state(NotificationPrefsState)
    assert [(group["name"], group["on"]) for group in state.groups] == [(group.value, "1") for group in Group]
    # when the seller keeps only messages and payments, in English
    account.call(NotificationPrefsState, "save_prefs", {"mail_lang": "en", "messages": "on", "payments": "on"})
    with db.reading() as session:
        saved = notifications.get_preferences(session, user_id=shop["seller"])
    assert saved.lang == "en" and [group for group, on in saved.mail.items() if on] == [Group.MESSAGES, Group.PAYMENTS]
    assert [group["on"] for group in account.state(NotificationPrefsState).groups] == ["", "1", "", "", "1", ""]
    # a bad form is refused with a sentence and changes nothing
    before = snapshot_database()
    for junk in ({"mail_lang": "fr"}, {"mail_lang": "ar", "spam": "on"}, None):
        account.call(NotificationPrefsState, "save_prefs", junk)
        assert account.state(NotificationPrefsState).prefs_error in (ar("notification.bad_language"), ar("notification.bad_group"))
    assert snapshot_database() == before and len(rows(NotificationSetting)) == 1
