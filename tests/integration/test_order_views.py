"""The orders' read models (app/orders/views.py) on SQLite and Postgres: the lists by side and
tab, paged in SQL; one order as its buyer, its seller and an admin see it (and nobody else);
the buttons each party is offered; and the private-file download route built on them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from app.core import db
from app.http import build_routes
from app.orders import files, jobs, lifecycle, views
from app.orders.machine import Actor
from app.orders.views import Role
from models.catalog import GigRequirement
from tests.integration.statekit import add_session
from tests.integration.test_orders import T0, act, now, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.samples import wav_bytes

WAV = wav_bytes(0.2)


def detail(order_id: int, user_id: int, *, is_admin: bool = False) -> views.OrderDetail | None:
    with db.reading() as session:
        return views.order_detail(session, order_id=order_id, user_id=user_id, is_admin=is_admin)


def listed(user_id: int, role: Role, tab: str, page: int = 1, per_page: int = 20) -> views.OrderPage:
    with db.reading() as session:
        return views.list_orders(session, user_id=user_id, role=role, status_group=tab, page=page, per_page=per_page)


def counts(user_id: int, role: Role) -> dict[str, int]:
    with db.reading() as session:
        return views.count_orders(session, user_id=user_id, role=role)


def actions(order_id: int, user_id: int) -> tuple[str, ...]:
    found = detail(order_id, user_id)
    assert found is not None
    return found.actions


# -- lists -------------------------------------------------------------------------------------


def test_each_side_lists_its_own_orders_by_tab_and_sellers_never_see_unpaid_ones(shop: dict[str, int]) -> None:
    # given an unpaid order, a paid one and a completed one of the same buyer
    unpaid = place(shop)
    working = place(shop)
    pay_by_card(shop, working)
    done = place(shop)
    pay_by_card(shop, done)
    act(lifecycle.deliver, order_id=done, user_id=shop["seller"], message="تم")
    act(lifecycle.accept, order_id=done, user_id=shop["buyer"])
    # when each side lists its tabs
    # then the buyer sees the unpaid and the working order as active, the seller only the paid one
    assert [row.id for row in listed(shop["buyer"], Role.BUYER, "active").rows] == [working, unpaid]
    assert [row.id for row in listed(shop["seller"], Role.SELLER, "active").rows] == [working]
    assert [row.id for row in listed(shop["buyer"], Role.BUYER, "completed").rows] == [done]
    assert counts(shop["buyer"], Role.BUYER) == {"active": 2, "awaiting": 0, "delivered": 0, "completed": 1, "cancelled": 0, "disputed": 0}
    assert counts(shop["seller"], Role.SELLER)["active"] == 1
    # and each row names the other party and the total
    row = listed(shop["buyer"], Role.BUYER, "completed").rows[0]
    assert (row.other_name, row.total.minor, row.gig_title) == ("فهد العتيبي", 10000, "تعليق صوتي احترافي لإعلانك باللهجة النجدية")
    assert listed(shop["seller"], Role.SELLER, "completed").rows[0].other_name == "عبدالله"
    # and someone else, or the wrong side, has nothing
    assert listed(shop["other"], Role.BUYER, "active").total == 0
    assert listed(shop["buyer"], Role.SELLER, "active").total == 0
    assert sum(counts(shop["other"], Role.SELLER).values()) == 0


def test_lists_are_paged_in_sql_and_clamp_the_page(shop: dict[str, int]) -> None:
    placed = [place(shop) for _ in range(5)]
    first = listed(shop["buyer"], Role.BUYER, "active", page=1, per_page=2)
    assert (first.total, first.pages, [r.id for r in first.rows]) == (5, 3, placed[::-1][:2])
    last = listed(shop["buyer"], Role.BUYER, "active", page=99, per_page=2)
    assert (last.page, [r.id for r in last.rows]) == (3, [placed[0]])
    with pytest.raises(KeyError):
        listed(shop["buyer"], Role.BUYER, "everything")


# -- one order ---------------------------------------------------------------------------------


def test_a_stranger_gets_nothing_and_an_admin_reads_without_buttons(shop: dict[str, int]) -> None:
    order_id = place(shop)
    assert detail(order_id, shop["other"]) is None
    assert detail(order_id, shop["other"], is_admin=True) is not None  # the flag comes from the session's role
    assert detail(999_999, shop["buyer"]) is None
    seen = detail(order_id, shop["admin"], is_admin=True)
    assert seen is not None and seen.viewer is Actor.ADMIN and seen.actions == ()
    assert (seen.buyer_name, seen.seller_name) == ("عبدالله", "فهد العتيبي")


def test_the_buttons_follow_the_state_and_the_guards(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    buyer, seller = shop["buyer"], shop["seller"]
    order_id = place(shop)
    assert actions(order_id, buyer) == ("pay", "abandon")
    assert actions(order_id, seller) == ()
    pay_by_card(shop, order_id)
    assert actions(order_id, buyer) == ("request_cancellation", "dispute")  # not late: no cancel_late
    assert actions(order_id, seller) == ("deliver", "request_cancellation", "dispute")
    act(lifecycle.deliver, order_id=order_id, user_id=seller, message="الأولى")
    assert actions(order_id, buyer) == ("request_revision", "accept", "request_cancellation", "dispute")
    act(lifecycle.request_revision, order_id=order_id, user_id=buyer, note="أبطأ")
    act(lifecycle.deliver, order_id=order_id, user_id=seller, message="الثانية")
    found = detail(order_id, buyer)
    assert found is not None and found.revisions_left == 0 and "request_revision" not in found.actions
    # a cancellation request: the asker may withdraw it, the other may accept it, nobody asks twice
    act(lifecycle.request_cancellation, order_id=order_id, user_id=seller, reason="ظرف طارئ")
    assert actions(order_id, seller) == ("withdraw_cancellation", "dispute")
    assert "accept_cancellation" in actions(order_id, buyer) and "request_cancellation" not in actions(order_id, buyer)
    assert detail(order_id, buyer).cancel_request == "theirs" and detail(order_id, seller).cancel_request == "mine"  # type: ignore[union-attr]
    act(lifecycle.accept, order_id=order_id, user_id=buyer)
    assert actions(order_id, buyer) == actions(order_id, seller) == ()


def test_a_late_order_offers_the_buyer_its_cancellation(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    jobs.run_all(T0 + timedelta(days=3))
    found = detail(order_id, shop["buyer"])
    assert found is not None and found.is_late and "cancel_late" in found.actions


def test_the_detail_holds_timeline_money_requirements_and_deliveries(shop: dict[str, int]) -> None:
    # given a gig with a text and a file question, ordered twice over with an extra
    with db.transaction() as session:
        session.add(GigRequirement(gig_id=shop["gig"], position=0, question="أرسل النص", kind="text"))
        session.add(GigRequirement(gig_id=shop["gig"], position=1, question="مرجع الصوت", kind="file", required=False))
    order_id = place(shop, quantity=2, extras=[0])
    pay_by_card(shop, order_id)
    script = act(files.attach, order_id=order_id, user_id=shop["buyer"], filename="script.txt", data=b"hello there")
    act(lifecycle.submit_requirements, order_id=order_id, user_id=shop["buyer"], answers={0: "نص الإعلان", 1: script.token})
    first = act(files.attach, order_id=order_id, user_id=shop["seller"], filename="take1.wav", data=WAV)
    pending = act(files.attach, order_id=order_id, user_id=shop["seller"], filename="take2.wav", data=WAV)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="النسخة الأولى\nمع ملاحظة", file_tokens=[first.token])
    # when the seller reads it
    found = detail(order_id, shop["seller"])
    assert found is not None
    # then the money and the frozen package
    assert (found.quantity, found.money.subtotal.minor, found.package_price.minor) == (2, 25000, 10000)
    assert [(e.title, e.price.minor) for e in found.extras] == [("تسليم سريع", 5000)]
    assert found.money.seller_net.minor == found.money.subtotal.minor - 5000 - 750
    # the answers, the file answer resolved to its file
    assert [(r.question, r.kind, r.answer) for r in found.requirements][0] == ("أرسل النص", "text", "نص الإعلان")
    assert found.requirements[1].file is not None and found.requirements[1].file.name == "script.txt"
    # the delivery with its file, and the seller's upload not delivered yet
    assert [(d.number, d.message, [f.name for f in d.files]) for d in found.deliveries] == [(1, "النسخة الأولى\nمع ملاحظة", ["take1.wav"])]
    assert [f.token for f in found.loose_files] == [pending.token]
    assert detail(order_id, shop["buyer"]).loose_files[0].token == script.token  # type: ignore[union-attr]
    # and the timeline: who did what, in order
    assert [(e.kind, e.actor, e.actor_name) for e in found.timeline] == [
        ("placed", "buyer", "عبدالله"),
        ("paid", "buyer", "عبدالله"),
        ("requirements_submitted", "buyer", "عبدالله"),
        ("delivered", "seller", "فهد العتيبي"),
    ]
    assert found.timeline[1].note == "sandbox"


def test_payment_outcome_is_the_buyers_own_for_that_order(shop: dict[str, int]) -> None:
    order_id = place(shop)
    reference = pay_by_card(shop, order_id, card="4000000000000002")
    with db.reading() as session:
        outcome = views.payment_outcome(session, order_id=order_id, buyer_id=shop["buyer"], gateway="sandbox", reference=reference)
        assert outcome is not None and outcome.status == "failed" and outcome.failure == "payment.declined"
        assert views.payment_outcome(session, order_id=order_id, buyer_id=shop["other"], gateway="sandbox", reference=reference) is None
        assert views.payment_outcome(session, order_id=order_id + 1, buyer_id=shop["buyer"], gateway="sandbox", reference=reference) is None
        assert views.payment_outcome(session, order_id=order_id, buyer_id=shop["buyer"], gateway="sandbox", reference=["x"]) is None


# -- the download route ------------------------------------------------------------------------


def test_private_files_download_only_for_the_parties_and_admins(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    stored = act(files.attach, order_id=order_id, user_id=shop["seller"], filename="النهائي.wav", data=WAV)
    client = TestClient(build_routes())
    for user in ("buyer", "seller", "admin"):
        client.cookies.set("mihan_session", add_session(shop[user]))
        answer = client.get(f"/files/{stored.token}")
        assert answer.status_code == 200, user
        assert answer.content == WAV
        assert answer.headers["content-disposition"].startswith("attachment")
        assert "filename*=utf-8''%d8%a7%d9%84%d9%86" in answer.headers["content-disposition"].lower()
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-type"] == "audio/x-wav"
    for cookie in (add_session(shop["other"]), "", "x" * 43):
        client.cookies.set("mihan_session", cookie)
        assert client.get(f"/files/{stored.token}").status_code == 404
    client.cookies.set("mihan_session", add_session(shop["buyer"]))
    assert client.get("/files/not-a-real-token-at-all").status_code == 404
    assert client.get("/files/..%2F..%2Fsecret.key").status_code == 404
