"""The wallet (/wallet), the admins' payout queue (/admin/payouts) and dispute resolution
(/admin/disputes), through their real Reflex handlers on a migrated database.

Money is made the way the marketplace makes it: orders placed, paid, delivered and accepted
through the order services (the helpers of test_orders), cleared by the jobs.
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from reflex_base.event import EventSpec

from app.ledger import chart
from app.orders import jobs, lifecycle
from models.accounts import Role
from models.ledger import LedgerTransaction
from models.orders import OrderStatus, Withdrawal
from models.payments import SandboxRefund
from state.disputes import DisputesState
from state.payouts import PayoutsState
from state.session import SessionState
from state.wallet import WalletState
from tests.integration.statekit import Browser, add_session, add_user, ar, events_of, redirects, rows, snapshot_database, spec_args
from tests.integration.orderkit import IBAN, T0, act, completed, disputed, ledger_clean, money, now, order_of, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.passwords import use_fast_password_hashing

MASKED = "SA03 •••• 7519"
SPACED = "SA03 8000 0000 6080 1016 7519"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def earned(shop: dict[str, int]) -> int:
    """A completed order whose earnings have cleared: 77.00 SAR available to withdraw."""
    order_id = completed(shop)
    assert jobs.run_all(T0 + timedelta(days=15))["clearance"] == 1
    return order_id


def tab(shop: dict[str, int], who: str, path: str) -> Browser:
    return Browser(token=add_session(shop[who]), path=path)


def wallet_of(shop: dict[str, int], who: str) -> tuple[Browser, Any]:
    browser = tab(shop, who, "/wallet")
    browser.call(WalletState, "open_page")
    return browser, browser.state(WalletState)


def withdraw(browser: Browser, **form: str) -> Any:
    return browser.call(WalletState, "withdraw", {"amount": "٦٠", "iban": "sa03 8000 0000 6080 1016 7519", "holder_name": "فهد العتيبي", **form})


def payouts(shop: dict[str, int], who: str = "admin", path: str = "/admin/payouts") -> tuple[Browser, Any]:
    browser = tab(shop, who, path)
    browser.call(PayoutsState, "open_page")
    return browser, browser.state(PayoutsState)


def downloads(result: Any) -> list[dict[str, Any]]:
    return [spec_args(e) for e in events_of(result) if isinstance(e, EventSpec) and e.handler.fn.__qualname__.endswith("_download")]


# -- /wallet ----------------------------------------------------------------------------------


def test_the_wallet_asks_a_visitor_to_log_in(shop: dict[str, int]) -> None:
    browser = Browser(path="/wallet")
    assert redirects(browser.call(WalletState, "open_page")) == ["/login?next=/wallet"]
    assert redirects(browser.call(WalletState, "withdraw", {"amount": "60", "iban": IBAN, "holder_name": "فهد"})) == ["/login?next=/wallet"]
    assert browser.state(WalletState).loaded is False and rows(Withdrawal) == []


def test_a_seller_sees_pending_earnings_with_their_date_and_the_history(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    _, page = wallet_of(shop, "seller")
    assert page.loaded and page.can_withdraw is False
    assert "77.00" in page.summary["pending_ar"] and "0.00" in page.summary["available_en"]
    assert page.summary["closed_ar"].startswith("رصيدك القابل للسحب أقل") and "50.00" in page.summary["closed_ar"]
    assert "50.00" in page.summary["rules_ar"] and "يوم" in page.summary["rules_ar"]
    [upcoming] = page.upcoming
    assert upcoming["title"] == order_of(order_id).gig_title and "77.00" in upcoming["net_en"]
    assert upcoming["clears_ar"] == "15 نوفمبر 2026" and upcoming["clears_en"] == "November 15, 2026"
    [line] = page.history
    assert (line["kind_ar"], line["account_ar"], line["incoming"], line["href"]) == ("أرباح طلب", "رصيد معلّق", "1", f"/orders/{order_id}")
    assert line["amount_en"].startswith("+") and "77.00" in line["amount_en"]


def test_the_history_is_paged_by_the_url(shop: dict[str, int]) -> None:
    for _ in range(11):  # each order: earnings, then clearance out of pending and into available
        completed(shop)
    jobs.run_all(T0 + timedelta(days=15))
    browser, page = wallet_of(shop, "seller")
    assert (page.total, page.pages, len(page.history), page.next_href, page.prev_href) == (33, 2, 20, "/wallet?page=2", "")
    assert page.history[0]["kind_ar"] == "تحرير رصيد"
    browser.visit("/wallet?page=2")
    browser.call(WalletState, "open_page")
    assert (page.page, len(page.history), page.prev_href, page.next_href) == (2, 13, "/wallet", "")
    browser.visit("/wallet?page=junk")
    browser.call(WalletState, "open_page")
    assert page.page == 1


def test_a_seller_withdraws_with_arabic_digits_and_sees_the_request_masked(shop: dict[str, int]) -> None:
    earned(shop)
    browser, page = wallet_of(shop, "seller")
    assert page.can_withdraw is True and "77.00" in page.summary["available_ar"]
    result = withdraw(browser)
    assert page.error == "" and any(isinstance(e, EventSpec) for e in events_of(result))
    [request] = rows(Withdrawal)
    assert (request.amount_minor, request.iban, request.holder_name, request.status) == (6000, IBAN, "فهد العتيبي", "requested")
    assert money(chart.seller_available(shop["seller"])) == 1700 and money(chart.seller_withdrawing(shop["seller"])) == 6000
    # the page now shows the request (masked), the new balances, and why the form is closed
    [shown] = page.requests
    assert (shown["iban"], shown["status_ar"], shown["holder"]) == (MASKED, ar("wallet.status_requested"), "فهد العتيبي")
    assert "17.00" in page.summary["available_en"] and "60.00" in page.summary["withdrawing_en"]
    assert page.can_withdraw is False and page.summary["closed_ar"].startswith("طلبت سحبًا")
    assert IBAN not in browser.client_json() and SPACED not in browser.client_json()
    # one a day: a second request (a double click, another tab) is refused and moves nothing
    before = snapshot_database()
    withdraw(browser, amount="10.5")
    withdraw(browser, amount="٥٠")
    assert page.error == ar("wallet.one_per_day")
    assert snapshot_database() == before


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ({"amount": "10"}, "wallet.invalid_amount"),
        ({"amount": "مئة"}, "wallet.invalid_amount"),
        ({"amount": "77.01"}, "wallet.insufficient_funds"),
        ({"iban": "SA0380000000608010167518"}, "wallet.invalid_iban"),
        ({"holder_name": " "}, "wallet.invalid_holder_name"),
    ],
)
def test_a_bad_withdrawal_shows_the_services_message_and_changes_nothing(shop: dict[str, int], form: dict[str, str], key: str) -> None:
    earned(shop)
    browser, page = wallet_of(shop, "seller")
    before = snapshot_database()
    withdraw(browser, **form)
    assert page.error == ar(key, minimum=50)
    assert snapshot_database() == before


def test_a_buyer_has_a_wallet_but_cannot_withdraw(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.request_cancellation, order_id=order_id, user_id=shop["buyer"], reason="تغيّرت الخطة")
    act(lifecycle.accept_cancellation, order_id=order_id, user_id=shop["seller"])
    browser, page = wallet_of(shop, "buyer")
    assert "100.00" in page.summary["wallet_en"] and page.requests == [] and page.upcoming == []
    assert [(line["kind_ar"], line["account_ar"]) for line in page.history] == [("استرداد", "الرصيد")]
    before = snapshot_database()
    withdraw(browser, amount="60")
    assert page.error == ar("wallet.sellers_only") and snapshot_database() == before


# -- /admin/payouts ----------------------------------------------------------------------------


def requested(shop: dict[str, int]) -> int:
    earned(shop)
    withdraw(wallet_of(shop, "seller")[0])
    [request] = rows(Withdrawal)
    assert request.id is not None
    return request.id


def test_the_admin_queue_shows_the_full_iban_and_a_double_click_pays_once(shop: dict[str, int]) -> None:
    withdrawal = requested(shop)
    browser, page = payouts(shop)
    [item] = page.items
    assert (item["key"], item["iban"], item["seller"], item["email"], item["holder"]) == (str(withdrawal), SPACED, "فهد العتيبي", "seller@example.com", "فهد العتيبي")
    assert "60.00" in item["amount_en"] and page.waiting == 1 and browser.state(SessionState).pending_payouts == 1
    # «تم التحويل» twice, as a double click sends it
    form = {"withdrawal": str(withdrawal), "reference": "TRX-2026-0001"}
    browser.call(PayoutsState, "mark_paid", form)
    assert page.error == "" and page.items == [] and page.waiting == 0
    after_first = snapshot_database()
    browser.call(PayoutsState, "mark_paid", form)
    assert page.error == ar("wallet.already_decided")
    assert snapshot_database() == after_first
    payouts_posted = rows(LedgerTransaction, LedgerTransaction.idempotency_key == f"withdrawal:{withdrawal}:paid")
    assert len(payouts_posted) == 1
    assert money(chart.BANK) == -6000 and money(chart.seller_withdrawing(shop["seller"])) == 0
    [paid] = rows(Withdrawal)
    assert (paid.status, paid.bank_reference, paid.decided_by) == ("paid", "TRX-2026-0001", shop["admin"])
    # the paid tab lists it, masked; the seller sees the reference
    browser.visit("/admin/payouts?tab=paid")
    browser.call(PayoutsState, "open_page")
    assert page.tab == "paid" and [(i["iban"], i["reference"]) for i in page.items] == [(MASKED, "TRX-2026-0001")]
    _, seller_page = wallet_of(shop, "seller")
    assert [(r["status_ar"], r["reference"]) for r in seller_page.requests] == [(ar("wallet.status_paid"), "TRX-2026-0001")]
    ledger_clean()


def test_a_rejection_returns_the_money_and_tells_the_seller_why(shop: dict[str, int]) -> None:
    withdrawal = requested(shop)
    browser, page = payouts(shop)
    before = snapshot_database()
    browser.call(PayoutsState, "reject", {"withdrawal": str(withdrawal), "note": ""})
    assert page.error == ar("wallet.invalid_note") and snapshot_database() == before
    browser.call(PayoutsState, "reject", {"withdrawal": str(withdrawal), "note": "اسم صاحب الحساب لا يطابق الآيبان"})
    assert page.error == "" and page.items == []
    assert money(chart.seller_available(shop["seller"])) == 7700 and money(chart.seller_withdrawing(shop["seller"])) == 0
    _, seller_page = wallet_of(shop, "seller")
    [shown] = seller_page.requests
    assert (shown["status"], shown["note"], shown["iban"]) == ("rejected", "اسم صاحب الحساب لا يطابق الآيبان", MASKED)
    browser.visit("/admin/payouts?tab=rejected")
    browser.call(PayoutsState, "open_page")
    assert [i["note"] for i in page.items] == ["اسم صاحب الحساب لا يطابق الآيبان"]
    ledger_clean()


@pytest.mark.parametrize("form", [{"withdrawal": "999999", "reference": "TRX-1"}, {"withdrawal": "-1", "reference": "TRX-1"}, {"withdrawal": "1", "reference": ""}, "junk"])
def test_payout_actions_on_a_missing_request_or_without_a_reference_move_nothing(shop: dict[str, int], form: Any) -> None:
    requested(shop)
    browser, page = payouts(shop)
    before = snapshot_database()
    browser.call(PayoutsState, "mark_paid", form)
    assert page.error in (ar("wallet.not_found"), ar("wallet.invalid_bank_reference"))
    assert snapshot_database() == before


def test_the_csv_export_downloads_every_withdrawal_for_an_admin(shop: dict[str, int]) -> None:
    withdrawal = requested(shop)
    browser, _ = payouts(shop)
    [download] = downloads(browser.call(PayoutsState, "export_csv"))
    assert download["filename"].startswith("mihan-withdrawals-") and download["filename"].endswith(".csv")
    prefix, data = download["url"].split(",", 1)
    assert prefix == "data:text/csv;charset=utf-8;base64"
    text = base64.b64decode(data).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["id"], r["seller_email"], r["iban"], r["amount"], r["status"]) for r in table] == [
        (str(withdrawal), "seller@example.com", IBAN, "60.00", "requested")
    ]


@pytest.mark.parametrize("role", [None, Role.USER, Role.MODERATOR])
def test_only_admins_see_or_move_payouts(shop: dict[str, int], role: Role | None) -> None:
    withdrawal = requested(shop)
    if role is None:
        browser = Browser(path="/admin/payouts")
    else:
        browser = Browser(token=add_session(add_user(f"{role.value}@example.com", role=role)), path="/admin/payouts")
    before = snapshot_database()
    result = browser.call(PayoutsState, "open_page")
    page = browser.state(PayoutsState)
    assert page.items == [] and page.loaded is False
    assert page.forbidden is (role is not None)
    if role is None:
        assert redirects(result) == ["/login?next=/admin/payouts"]
    browser.call(PayoutsState, "mark_paid", {"withdrawal": str(withdrawal), "reference": "TRX-1"})
    browser.call(PayoutsState, "reject", {"withdrawal": str(withdrawal), "note": "سبب الرفض"})
    assert downloads(browser.call(PayoutsState, "export_csv")) == []
    assert snapshot_database() == before
    assert IBAN not in browser.client_json() and "seller@example.com" not in browser.client_json()


# -- /admin/disputes ---------------------------------------------------------------------------


def disputes_page(shop: dict[str, int], path: str = "/admin/disputes", who: str = "admin") -> tuple[Browser, Any]:
    browser = tab(shop, who, path)
    browser.call(DisputesState, "open_page")
    return browser, browser.state(DisputesState)


def test_an_admin_resolves_a_dispute_with_a_partial_refund(shop: dict[str, int]) -> None:
    order_id = disputed(shop)
    browser, page = disputes_page(shop)
    [item] = page.items
    assert (item["order"], item["buyer"], item["seller"], item["reason"]) == (str(order_id), "عبدالله", "فهد العتيبي", "الصوت غير واضح في النصف الثاني")
    assert item["opened_ar"] == ar("disputes.opened_by_buyer") and item["href"] == f"/admin/disputes?order={order_id}"
    assert page.selected == "" and browser.state(SessionState).open_disputes == 1
    # the dispute's file: the money, the timeline, the limits of a refund
    browser.visit(f"/admin/disputes?order={order_id}")
    browser.call(DisputesState, "open_page")
    assert page.selected == str(order_id) and page.file["reason"] == item["reason"]
    assert [e["kind"] for e in page.timeline] == ["disputed", "delivered", "paid", "placed"]
    assert "99.99" in page.file["max_partial_en"] and "100.00" in page.file["full_en"] and page.file["paid_by_card"] == "1"
    assert any("100.00" in line["amount_en"] for line in page.lines)
    # refusals first: no decision, no note, an amount that is not one
    before = snapshot_database()
    form = {"order": str(order_id), "decision": "refund_part", "amount": "٥٠", "note": "نصف المبلغ لعدم وضوح الجزء الثاني", "refund_to": "wallet"}
    for bad, key in [
        ({"decision": "split"}, "disputes.choose_decision"),
        ({"refund_to": "bank"}, "order.invalid_refund_to"),
        ({"refund_to": ["card"]}, "order.invalid_refund_to"),
        ({"note": "  "}, "order.invalid_note"),
        ({"amount": "خمسون"}, "order.invalid_refund"),
        ({"amount": "100.01"}, "order.invalid_refund"),
        ({"order": "junk"}, "order.not_found"),
    ]:
        browser.call(DisputesState, "resolve", {**form, **bad})
        assert page.error == ar(key, limit=2000), bad
    assert snapshot_database() == before
    # then the decision: 50 SAR back to the buyer, the rest settled for the seller
    browser.call(DisputesState, "resolve", form)
    assert page.error == ""
    order = order_of(order_id)
    assert (order.status, order.refunded_minor, order.seller_net_minor) == (OrderStatus.REFUNDED, 5000, 3850)
    assert money(chart.buyer_wallet(shop["buyer"])) == 5000 and money(chart.seller_pending(shop["seller"])) == 3850
    assert page.items == [] and page.selected == "" and browser.state(SessionState).open_disputes == 0
    # a second click is refused and moves nothing
    after = snapshot_database()
    browser.call(DisputesState, "resolve", form)
    assert page.error == ar("order.closed") and snapshot_database() == after
    browser.visit(f"/admin/disputes?order={order_id}")
    browser.call(DisputesState, "open_page")
    assert page.missing is True and page.selected == ""
    ledger_clean()


@pytest.mark.parametrize(
    ("decision", "refund_to", "status", "to_wallet", "to_card"),
    [("release", "card", "completed", 0, 0), ("refund_full", "wallet", "refunded", 10000, 0), ("cancel", "card", "cancelled", 0, 10000)],
)
def test_the_other_decisions(shop: dict[str, int], decision: str, refund_to: str, status: str, to_wallet: int, to_card: int) -> None:
    order_id = disputed(shop)
    browser, page = disputes_page(shop, f"/admin/disputes?order={order_id}")
    form = {"order": str(order_id), "decision": decision, "note": "قرار الإدارة بعد مراجعة التسليم", "amount": "1", "refund_to": refund_to}
    browser.call(DisputesState, "resolve", form)
    assert page.error == "" and order_of(order_id).status == status
    assert money(chart.buyer_wallet(shop["buyer"])) == to_wallet
    assert sum(r.amount_minor for r in rows(SandboxRefund)) == to_card  # made at the sandbox once the decision committed
    ledger_clean()


@pytest.mark.parametrize("role", [None, Role.USER, Role.MODERATOR])
def test_only_admins_see_or_resolve_disputes(shop: dict[str, int], role: Role | None) -> None:
    order_id = disputed(shop)
    path = f"/admin/disputes?order={order_id}"
    browser = Browser(path=path) if role is None else Browser(token=add_session(add_user(f"{role.value}@example.com", role=role)), path=path)
    before = snapshot_database()
    browser.call(DisputesState, "open_page")
    browser.call(DisputesState, "resolve", {"order": str(order_id), "decision": "refund_full", "note": "محاولة من غير الإدارة", "refund_to": "card"})
    page = browser.state(DisputesState)
    assert page.items == [] and page.file == {} and page.forbidden is (role is not None)
    assert snapshot_database() == before and order_of(order_id).status == OrderStatus.DISPUTED
    browser.call(SessionState, "refresh")
    assert browser.state(SessionState).open_disputes == 0


def test_the_disputes_list_is_paged_in_sql(shop: dict[str, int]) -> None:
    made = [disputed(shop) for _ in range(21)]
    browser, page = disputes_page(shop)
    assert (page.total, page.pages, len(page.items), page.next_href) == (21, 2, 20, "/admin/disputes?page=2")
    assert [int(i["order"]) for i in page.items] == made[:20]  # the longest waiting first
    browser.visit("/admin/disputes?page=2")
    browser.call(DisputesState, "open_page")
    assert [int(i["order"]) for i in page.items] == made[20:] and page.items[0]["href"] == f"/admin/disputes?page=2&order={made[20]}"
