"""Tips after completion through the services on a migrated database (SQLite and Postgres):
the money a tip moves (exactly the quote, never through the escrow), every refusal (each
changes nothing), card tips whose results arrive twice, double clicks, and clearance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.core import clock, db
from app.core.errors import MihanError
from app.core.money import Money
from app.ledger import chart
from app.orders import audit, checkout, jobs, lifecycle, tips, views
from app.payments import sandbox
from app.payments.webhooks import receive_webhook
from app.wallets import balances
from models.ledger import LedgerTransaction, TransactionKind
from models.orders import Notification, OrderEvent, OrderTip, Payment
from tests.integration.orderkit import T0, act, completed, ledger_clean, money, now, order_of, pay_by_card, place, shop, top_up  # noqa: F401 (fixtures)
from tests.integration.statekit import rows, snapshot_database
from tests.integration.test_order_concurrency import at_once
from tests.passwords import use_fast_password_hashing

GOOD_CARD, DECLINED_CARD = "4111111111111111", "4000000000000002"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def tip(shop: dict[str, int], order_id: int, minor: int = 1000, *, method: str = "wallet", who: str = "buyer", amount: object = None) -> tips.TipStarted:
    chosen = Money(minor) if amount is None else amount
    return act(tips.give_tip, order_id=order_id, user_id=shop[who], amount=chosen, method=method, return_url=f"/orders/{order_id}")


def pay_on_sandbox(url: str, card: str = GOOD_CARD) -> str:
    """Pay on the hosted page (its webhook is delivered when the page's transaction commits)."""
    reference = url.rsplit("/", 1)[-1]
    act(sandbox.submit_card, reference=reference, number=card, expiry="12/30", cvc="123", holder="Abdullah Saad")
    return reference


def replay_webhook(reference: str) -> None:
    with db.reading() as session:
        payment = sandbox.get_payment(session, reference=reference)
        body = sandbox.webhook_body(payment)
    receive_webhook(sandbox.SandboxGateway(), headers={sandbox.SIGNATURE_HEADER: sandbox.sign(body)}, body=body)


def tip_postings() -> list[LedgerTransaction]:
    return rows(LedgerTransaction, LedgerTransaction.kind == TransactionKind.TIP.value)


def audits_clean() -> None:
    ledger_clean()
    with db.reading() as session:
        assert audit.order_breaches(session) == []


# -- the money --------------------------------------------------------------------------------


def test_a_10_sar_tip_at_20_percent_and_15_percent_vat_leaves_the_seller_7_70(shop: dict[str, int]) -> None:
    # given a completed order at the default terms
    order = order_of(completed(shop))
    # when a 10.00 tip is quoted at its frozen terms
    quote = tips.quote_tip(order, Money(1000))
    # then commission applies to the tip and the buyer fee does not
    assert (quote.commission.minor, quote.commission_vat.minor, quote.seller_net.minor) == (200, 30, 770)
    assert (quote.buyer_fee.minor, quote.buyer_fee_vat.minor, quote.total.minor) == (0, 0, 1000)
    assert (quote.commission_rate_bp, quote.vat_rate_bp, quote.vat_country) == (2000, 1500, "SA")


def test_a_wallet_tip_moves_exactly_the_quoted_amounts(shop: dict[str, int]) -> None:
    # given a completed order and 50.00 in the buyer's wallet
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    # when the buyer tips 10.00 from the wallet
    started = tip(shop, order_id)
    # then the tip is paid, its breakdown frozen, and nothing is left to pay on a gateway
    assert started.redirect_url == ""
    [row] = rows(OrderTip)
    assert (row.status, row.payment_method, row.amount_minor, row.commission_minor, row.commission_vat_minor, row.seller_net_minor) == (
        "paid", "wallet", 1000, 200, 30, 770,
    )
    assert (row.commission_rate_bp, row.vat_rate_bp, row.vat_country, row.buyer_id, row.seller_id) == (2000, 1500, "SA", shop["buyer"], shop["seller"])
    assert row.paid_at is not None and row.clears_at is not None
    assert clock.as_utc(row.clears_at) - clock.as_utc(row.paid_at) == timedelta(days=14)
    # and exactly those amounts moved, in one posting, around the (empty) escrow
    assert money(chart.buyer_wallet(shop["buyer"])) == 4000
    assert money(chart.seller_pending(shop["seller"])) == 7700 + 770
    assert (money(chart.COMMISSION), money(chart.vat_output("SA"))) == (2000 + 200, 300 + 30)
    assert money(chart.escrow(order_id)) == 0
    [posting] = tip_postings()
    assert (posting.idempotency_key, posting.order_id) == (f"tip:{row.id}:pay", order_id)
    # and the order is untouched but for its timeline, and the seller hears of it
    order = order_of(order_id)
    assert (order.status, order.tip_minor, order.total_minor, order.seller_net_minor) == ("completed", 0, 10000, 7700)
    assert [e.kind for e in rows(OrderEvent)][-1] == "tipped" and rows(OrderEvent)[-1].actor_id == shop["buyer"]
    assert [(n.kind, n.user_id) for n in rows(Notification)][-1] == ("tipped", shop["seller"])
    audits_clean()


def test_the_seller_sees_the_tip_on_the_order_and_in_the_wallet(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 2500)
    with db.reading() as session:
        before = views.order_detail(session, order_id=order_id, user_id=shop["buyer"])
        assert before is not None and before.can_tip and before.tip is None
    tip(shop, order_id, 2500)
    with db.reading() as session:
        for who in ("buyer", "seller"):
            detail = views.order_detail(session, order_id=order_id, user_id=shop[who])
            assert detail is not None and not detail.can_tip
            assert detail.tip is not None and (detail.tip.amount.minor, detail.tip.seller_net.minor) == (2500, 1925)
        history = balances.history(session, shop["seller"])
        upcoming = balances.seller_balances(session, shop["seller"]).upcoming
    assert [(line.kind, line.amount.minor) for line in history[:1]] == [("tip", 1925)]
    assert [(e.order_id, e.net.minor, e.is_tip) for e in upcoming] == [(order_id, 7700, False), (order_id, 1925, True)]


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "amount", "method", "key"),
    [
        ("other", Money(1000), "wallet", "order.not_found"),
        ("seller", Money(1000), "wallet", "order.tip_buyer_only"),
        ("buyer", Money(499), "wallet", "order.tip_invalid_amount"),
        ("buyer", Money(100_001), "wallet", "order.tip_invalid_amount"),
        ("buyer", 10.5, "wallet", "order.tip_invalid_amount"),
        ("buyer", 1000, "wallet", "order.tip_invalid_amount"),
        ("buyer", Money(1000, "AED"), "wallet", "order.tip_wrong_currency"),
        ("buyer", Money(1000), "bitcoin", "payment.unknown_gateway"),
        ("buyer", Money(6000), "wallet", "order.tip_wallet_short"),
    ],
)
def test_a_refused_tip_changes_nothing(shop: dict[str, int], who: str, amount: object, method: str, key: str) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    before = snapshot_database()
    with pytest.raises(MihanError) as refused:
        tip(shop, order_id, who=who, amount=amount, method=method)
    assert refused.value.key == key
    assert snapshot_database() == before


def test_an_order_not_completed_cannot_be_tipped(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="تم")
    top_up(shop["buyer"], 5000)
    before = snapshot_database()
    with pytest.raises(MihanError) as refused:
        tip(shop, order_id)
    assert refused.value.key == "order.tip_not_completed"
    assert snapshot_database() == before


def test_a_tip_more_than_30_days_after_completion_is_too_late(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    now(T0 + timedelta(days=30))
    assert tip(shop, order_id).tip.status == "paid"  # the last day still counts
    other = completed(shop)
    now(T0 + timedelta(days=61))
    before = snapshot_database()
    with pytest.raises(MihanError) as refused:
        tip(shop, other)
    assert refused.value.key == "order.tip_too_late"
    assert refused.value.message("ar") == "انتهت مهلة الإكرامية: تُرسل خلال 30 يومًا من اكتمال الطلب."
    assert snapshot_database() == before


def test_a_second_tip_is_refused(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    tip(shop, order_id)
    before = snapshot_database()
    for method in ("wallet", "sandbox"):
        with pytest.raises(MihanError) as refused:
            tip(shop, order_id, 2500, method=method)
        assert refused.value.key == "order.tip_already_given"
    assert snapshot_database() == before


def test_a_short_wallet_gets_its_own_arabic_sentence(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    with pytest.raises(MihanError) as refused:
        tip(shop, order_id)
    assert refused.value.message("ar") == "رصيد محفظتك لا يكفي لهذه الإكرامية؛ ادفع بالبطاقة أو اختر مبلغًا أقل."
    assert rows(OrderTip) == []


@pytest.mark.parametrize(
    ("typed", "minor"),
    [("10", 1000), ("25.50", 2550), ("١٥٫٥", 1550), (" 1000 ", 100_000), ("5", 500), (50, 5000)],
)
def test_typed_amounts_are_read_in_whole_halalas(typed: object, minor: int) -> None:
    assert tips.parse_amount(typed) == Money(minor)


@pytest.mark.parametrize("typed", ["10.005", "4.99", "1000.01", "", "ten", "NaN", "1e400", "-10", 10.5, True, None, ["10"], "1" * 21])
def test_bad_typed_amounts_are_refused(typed: object) -> None:
    with pytest.raises(MihanError) as refused:
        tips.parse_amount(typed)
    assert refused.value.key == "order.tip_invalid_amount"
    assert refused.value.message("ar") == "اكتب مبلغ إكرامية من 5 إلى 1000 ر.س، بالهللات الكاملة (مثل 15 أو 15.50)."


def test_a_double_click_tips_once(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    give = lambda: tip(shop, order_id)  # noqa: E731
    assert at_once(give, give) == ["ok", "order.tip_already_given"]
    assert money(chart.buyer_wallet(shop["buyer"])) == 4000 and len(tip_postings()) == 1
    audits_clean()


# -- by card ----------------------------------------------------------------------------------


def test_a_card_tip_with_replayed_results_moves_the_money_once(shop: dict[str, int]) -> None:
    # given a completed order; the buyer presses «أرسل الإكرامية» twice (two tabs)
    order_id = completed(shop)
    urls = [tip(shop, order_id, 2500, method="sandbox").redirect_url for _ in range(2)]
    assert urls[0] == urls[1] and urls[0].startswith(sandbox.PAY_PATH)
    [payment] = rows(Payment, Payment.tip_id.is_not(None))  # type: ignore[union-attr]
    assert (payment.order_id, payment.amount_minor, payment.status) == (order_id, 2500, "initiated")
    assert rows(OrderTip)[0].status == "initiated" and tip_postings() == []
    # when the card pays (the webhook arrives), the buyer comes back twice and the webhook is replayed
    reference = pay_on_sandbox(urls[0])
    for _ in range(2):
        act(checkout.confirm_payment, gateway="sandbox", reference=reference)
        replay_webhook(reference)
    # then the tip is paid once: gateway clearing -> seller pending + commission + VAT
    [row] = rows(OrderTip)
    assert (row.status, row.payment_method, row.seller_net_minor) == ("paid", "sandbox", 1925)
    [posting] = tip_postings()
    assert posting.idempotency_key == f"tip:{row.id}:pay"
    assert money(chart.psp_clearing("sandbox")) == 10000 + 2500
    assert money(chart.seller_pending(shop["seller"])) == 7700 + 1925
    assert (money(chart.COMMISSION), money(chart.vat_output("SA"))) == (2000 + 500, 300 + 75)
    assert money(chart.escrow(order_id)) == 0 and money(chart.buyer_wallet(shop["buyer"])) == 0
    assert [e.kind for e in rows(OrderEvent)].count("tipped") == 1
    assert rows(Payment, Payment.tip_id.is_not(None))[0].status == "paid"  # type: ignore[union-attr]
    audits_clean()


def test_a_declined_card_is_retried_as_a_new_payment(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    first = tip(shop, order_id, method="sandbox").redirect_url
    pay_on_sandbox(first, DECLINED_CARD)
    assert rows(OrderTip)[0].status == "initiated" and money(chart.seller_pending(shop["seller"])) == 7700
    second = tip(shop, order_id, method="sandbox").redirect_url
    assert second != first
    pay_on_sandbox(second)
    assert [p.status for p in rows(Payment, Payment.tip_id.is_not(None))] == ["failed", "paid"]  # type: ignore[union-attr]
    assert rows(OrderTip)[0].status == "paid" and money(chart.seller_pending(shop["seller"])) == 7700 + 770
    audits_clean()


def test_a_card_payment_the_tip_no_longer_needs_is_kept_in_the_wallet(shop: dict[str, int]) -> None:
    """The buyer starts a 25.00 card tip, changes it to 10.00 from the wallet, then pays the old
    card page anyway: the tip is paid once, and the card's money goes to the wallet."""
    order_id = completed(shop)
    stale = tip(shop, order_id, 2500, method="sandbox").redirect_url
    top_up(shop["buyer"], 1000)
    tip(shop, order_id, 1000)
    pay_on_sandbox(stale)
    [row] = rows(OrderTip)
    assert (row.amount_minor, row.payment_method) == (1000, "wallet")
    assert money(chart.buyer_wallet(shop["buyer"])) == 2500
    assert money(chart.seller_pending(shop["seller"])) == 7700 + 770 and len(tip_postings()) == 1
    assert ("tip_kept_in_wallet", shop["buyer"]) in [(n.kind, n.user_id) for n in rows(Notification)]
    audits_clean()


def test_a_changed_amount_starts_a_new_card_payment_and_going_back_reuses_the_first(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    first = tip(shop, order_id, 2500, method="sandbox").redirect_url
    second = tip(shop, order_id, 5000, method="sandbox").redirect_url
    assert first != second and tip(shop, order_id, 2500, method="sandbox").redirect_url == first
    with db.reading() as session:
        assert [p.amount_minor for p in session.exec(select(Payment).where(Payment.tip_id.is_not(None)))] == [2500, 5000]  # type: ignore[union-attr]
    # the abandoned 50.00 page is paid anyway: the tip is 25.00 now, so that money is the buyer's
    pay_on_sandbox(second)
    assert rows(OrderTip)[0].status == "initiated" and money(chart.buyer_wallet(shop["buyer"])) == 5000
    pay_on_sandbox(first)
    assert rows(OrderTip)[0].status == "paid" and money(chart.seller_pending(shop["seller"])) == 7700 + 1925
    audits_clean()


# -- clearance --------------------------------------------------------------------------------


def test_the_clearance_job_releases_a_tip_once(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    now(T0 + timedelta(days=2))
    tip(shop, order_id)
    # the order's earnings clear at T0 + 14 days, the tip's two days later
    moved = jobs.run_all(T0 + timedelta(days=15))
    assert (moved["clearance"], moved["tip_clearance"]) == (1, 0)
    assert money(chart.seller_available(shop["seller"])) == 7700
    assert jobs.run_all(T0 + timedelta(days=17))["tip_clearance"] == 1
    assert jobs.run_all(T0 + timedelta(days=17))["tip_clearance"] == 0  # idempotent
    assert (money(chart.seller_pending(shop["seller"])), money(chart.seller_available(shop["seller"]))) == (0, 7700 + 770)
    [row] = rows(OrderTip)
    assert row.cleared_at is not None
    assert rows(LedgerTransaction, LedgerTransaction.idempotency_key == f"tip:{row.id}:release")
    assert ("tip_cleared", shop["seller"]) in [(n.kind, n.user_id) for n in rows(Notification)]
    audits_clean()


def test_the_tip_audit_sees_a_paid_tip_without_its_posting(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    tip(shop, order_id)
    with db.transaction() as session:
        row = session.exec(select(OrderTip)).one()
        row.status = "initiated"  # as if the status were lost while the money moved
        session.add(row)
    with db.reading() as session:
        [breach] = audit.order_breaches(session)
    assert (breach.rule, breach.subject) == ("tip_mismatch", "tips") and "has its payment" in breach.detail
