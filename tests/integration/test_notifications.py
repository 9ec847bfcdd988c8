"""The notification service on SQLite and Postgres: the bell's list, read marks scoped to their
owner, preferences, the mail job's rules (delay, grouping, once only) and the unsubscribe link."""

from __future__ import annotations

import email.message
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app import notifications
from app.core import db
from app.core.settings import get_settings
from app.http import build_routes
from app.notifications import Group, NotificationError, mailing
from app.orders import jobs
from models.notifications import NotificationSetting
from models.orders import Notification
from tests.integration.orderkit import T0, act, now, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import ar, rows, snapshot_database
from tests.integration.test_accounts import _mails
from tests.integration.test_messages import send, start
from tests.integration.test_order_concurrency import at_once


def queue(kind: str, user: int, count: int = 1, order_id: int | None = None) -> None:
    with db.transaction() as session:
        for _ in range(count):
            notifications.queue_notifications(session, kind, [user], order_id=order_id)


def listed(user: int, **page: int) -> list[notifications.NotificationRow]:
    with db.reading() as session:
        return notifications.list_notifications(session, user_id=user, **page)


def unread(user: int) -> int:
    with db.reading() as session:
        return notifications.count_unread(session, user_id=user)


def run_jobs(at: object) -> dict[str, int]:
    return jobs.run_all(at)  # type: ignore[arg-type]


def states(user: int) -> list[str | None]:
    return [row.mail_state for row in rows(Notification, Notification.user_id == user)]


def body(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


# -- the bell ------------------------------------------------------------------------------


def test_an_order_notification_reads_with_its_title_and_link_newest_first(shop: dict[str, int]) -> None:
    # given a paid order (the seller hears «طلب جديد») and a later payout for the same seller
    order = place(shop)
    pay_by_card(shop, order)
    queue("payout_paid", shop["seller"])
    # when the seller's bell is read
    newest, first = listed(shop["seller"])
    # then newest first, each with its sentence and where it leads
    assert (newest.kind, newest.href, newest.read) == ("payout_paid", "/wallet", False)
    assert (first.kind, first.href) == ("new", f"/orders/{order}")
    assert ar(first.text_key, **first.params) == ar("notify.new", title="تعليق صوتي احترافي لإعلانك باللهجة النجدية")
    assert unread(shop["seller"]) == 2 and listed(shop["buyer"]) == []


def test_pages_are_newest_first_and_do_not_overlap(shop: dict[str, int]) -> None:
    queue("level_up", shop["seller"], count=5)
    pages = [listed(shop["seller"], limit=2, offset=offset) for offset in (0, 2, 4)]
    ids = [row.id for page in pages for row in page]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    with db.reading() as session:
        assert notifications.count_all(session, user_id=shop["seller"]) == 5


def test_marking_read_is_for_ones_own_notifications_only(shop: dict[str, int]) -> None:
    # given one notification for the seller and two for the buyer
    queue("level_up", shop["seller"])
    queue("payout_paid", shop["buyer"], count=2)
    [theirs] = listed(shop["seller"])
    mine = listed(shop["buyer"])
    # when the buyer tries the seller's id, junk, and then their own
    before = snapshot_database()
    for junk in (theirs.id, str(mine[0].id), -1, None, True, 10**30):
        with pytest.raises(NotificationError) as refused:
            act(notifications.mark_read, user_id=shop["buyer"], notification_id=junk)
        assert refused.value.key == "notification.not_found"
    assert snapshot_database() == before
    assert act(notifications.mark_read, user_id=shop["buyer"], notification_id=mine[0].id) == "/wallet"
    # then only their own changed; «تعليم الكل كمقروء» leaves the seller's alone too
    assert unread(shop["buyer"]) == 1 and unread(shop["seller"]) == 1
    assert act(notifications.mark_all_read, user_id=shop["buyer"]) == 1
    assert unread(shop["buyer"]) == 0 and unread(shop["seller"]) == 1


def test_an_unknown_kind_cannot_be_queued(shop: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        queue("offer_sent_by_carrier_pigeon", shop["buyer"])


def test_a_moderation_decision_and_a_payout_are_notified(shop: dict[str, int]) -> None:
    from app.catalog import gigs

    act(gigs.moderate, gig_id=shop["gig"], action="suspend", note="صور مخالفة")
    assert [row.kind for row in listed(shop["seller"])] == ["gig_suspended"]


# -- mail ----------------------------------------------------------------------------------


def test_each_notification_is_mailed_once_in_arabic_with_its_link(shop: dict[str, int], outbox: Path) -> None:
    # given a new order for the seller
    order = place(shop)
    pay_by_card(shop, order)
    # when the jobs run (twice: the second finds nothing)
    assert run_jobs(T0)["notification_mail"] == 1
    assert run_jobs(T0 + timedelta(minutes=1))["notification_mail"] == 0
    # then one Arabic mail with the order's link and an unsubscribe link for «الطلبات»
    [mail] = _mails(outbox)
    assert mail["To"] == "seller@example.com" and mail["Content-Language"] == "ar"
    assert mail["Subject"] == ar("mail.notify.subject", text=ar("notify.new", title="تعليق صوتي احترافي لإعلانك باللهجة النجدية"))
    base = get_settings().base_url
    assert f"{base}/orders/{order}" in body(mail)
    token = notifications.unsubscribe_token(shop["seller"], Group.ORDERS)
    assert f"{base}/unsubscribe/{token}" in body(mail) and mail["List-Unsubscribe"].strip() == f"<{base}/unsubscribe/{token}>"
    assert states(shop["seller"]) == ["sent"]


def test_preferences_decide_the_group_and_the_language(shop: dict[str, int], outbox: Path) -> None:
    # given the seller mails only payments, in English; the buyer turned nothing off
    act(notifications.save_preferences, user_id=shop["seller"], lang="en", enabled=["payments"])
    queue("new", shop["seller"])
    queue("payout_paid", shop["seller"])
    queue("level_up", shop["buyer"])
    # when the job runs
    run_jobs(T0)
    # then the order news is skipped, the payout mailed in English, the buyer's in Arabic
    assert states(shop["seller"]) == ["skipped", "sent"]
    subjects = sorted(mail["Subject"] for mail in _mails(outbox))
    assert subjects == sorted(["Mihan: Your withdrawal was sent to your bank account.", ar("mail.notify.subject", text=ar("notify.level_up"))])


BAD_PREFERENCES = [("fr", [], "notification.bad_language"), (None, [], "notification.bad_language"), ("ar", ["orders", "spam"], "notification.bad_group"), ("ar", [1], "notification.bad_group")]


def test_bad_preferences_are_refused_and_nothing_is_stored(shop: dict[str, int]) -> None:
    for lang, enabled, key in BAD_PREFERENCES:
        with pytest.raises(NotificationError) as refused:
            act(notifications.save_preferences, user_id=shop["buyer"], lang=lang, enabled=enabled)
        assert refused.value.key == key and rows(NotificationSetting) == []


def test_a_message_is_mailed_only_if_still_unread_after_the_delay_and_once_per_thread(shop: dict[str, int], outbox: Path, now) -> None:  # type: ignore[no-untyped-def]
    # given a buyer who writes three times to the seller
    conversation = start(shop)
    for text in ("السلام عليكم", "هل أنت متاح؟", "أحتاج ٣٠ ثانية"):
        send(conversation, shop["buyer"], text)
    # the seller glances at the bell (read) before the next message: a second row is queued
    act(notifications.mark_all_read, user_id=shop["seller"])
    send(conversation, shop["buyer"], "شكرًا")
    # when the job runs before the delay, nothing; after it, one mail
    assert run_jobs(T0 + mailing.MESSAGE_DELAY - timedelta(seconds=1))["notification_mail"] == 0
    run_jobs(T0 + mailing.MESSAGE_DELAY)
    assert len(_mails(outbox)) == 1 and ar("notify.message") in body(_mails(outbox)[0])
    assert sorted(str(state) for state in states(shop["seller"])) == ["sent", "skipped"]


def test_a_message_read_in_time_is_not_mailed_and_the_bell_follows(shop: dict[str, int], outbox: Path) -> None:
    conversation = start(shop)
    send(conversation, shop["buyer"], "مرحبا")
    assert unread(shop["seller"]) == 1
    # when the seller reads the conversation within the delay
    with db.transaction() as session:
        from app import messages

        messages.mark_read(session, conversation_id=conversation, user_id=shop["seller"])
    # then the bell's item is read and the job mails nothing
    assert unread(shop["seller"]) == 0
    run_jobs(T0 + timedelta(hours=1))
    assert _mails(outbox) == [] and states(shop["seller"]) == ["skipped"]


def test_old_news_and_inactive_accounts_are_not_mailed(shop: dict[str, int], outbox: Path) -> None:
    queue("level_up", shop["seller"])
    queue("payout_paid", shop["other"])
    with db.transaction() as session:
        from models.accounts import User

        other = session.get(User, shop["other"])
        assert other is not None
        other.is_active = False
        session.add(other)
    run_jobs(T0 + mailing.MAIL_WITHIN + timedelta(minutes=1))
    assert _mails(outbox) == [] and states(shop["seller"]) == ["skipped"] and states(shop["other"]) == ["skipped"]


def test_two_runners_at_once_mail_each_notification_once(shop: dict[str, int], outbox: Path) -> None:
    # given ten waiting notifications
    queue("payout_paid", shop["seller"], count=10)
    # when two workers run the jobs at the same moment
    assert at_once(lambda: run_jobs(T0), lambda: run_jobs(T0)) == ["ok", "ok"]
    # then ten mails, not twenty
    assert len(_mails(outbox)) == 10 and set(states(shop["seller"])) == {"sent"}


def test_the_same_row_claimed_twice_is_mailed_once(shop: dict[str, int], outbox: Path) -> None:
    queue("payout_paid", shop["seller"])
    [row] = rows(Notification)
    outcomes = []
    for _ in range(2):
        with db.transaction() as session:
            outcomes.append(mailing.mail_one(session, notification_id=row.id, now=T0))
    assert outcomes == [True, False] and len(_mails(outbox)) == 1


# -- unsubscribe ---------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_then_turns_the_group_off_without_signing_in(shop: dict[str, int]) -> None:
    token = notifications.unsubscribe_token(shop["buyer"], Group.REVIEWS)
    client = TestClient(build_routes())
    # GET (a mail scanner following the link) only asks
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and ar("unsubscribe.button") in page.text and rows(NotificationSetting) == []
    # the button (or a one-click POST) turns the reviews group off, and only it
    done = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and ar("unsubscribe.done", group=ar("notification.group_reviews")) in done.text
    with db.reading() as session:
        mail = notifications.get_preferences(session, user_id=shop["buyer"]).mail
    assert [group for group, on in mail.items() if not on] == [Group.REVIEWS]


def test_a_forged_unsubscribe_link_changes_nothing(shop: dict[str, int]) -> None:
    signed = notifications.unsubscribe_token(shop["buyer"], Group.ORDERS)
    client = TestClient(build_routes())
    before = snapshot_database()
    for forged in (signed.replace(".", ".x", 1), signed[:-1] + ("1" if signed.endswith("0") else "0"), "1.orders.0000", "abc", "1.spam.x", "٣.orders.x", "9" * 100):
        response = client.post(f"/unsubscribe/{forged}")
        assert response.status_code == 404 and ar("notification.link_invalid") in response.text
        with pytest.raises(NotificationError):
            act(notifications.unsubscribe, token=forged)
    assert snapshot_database() == before
