"""Orders through the services on a migrated database (SQLite and Postgres): checkout, every
transition, the money each one moves, and the refusals that must move none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app import ledger
from app.core import clock, db
from app.core.errors import MihanError
from app.core.money import Money
from app.ledger import chart
from app.orders import checkout, files, jobs, lifecycle
from app.payments import sandbox
from app.wallets import balances, withdrawals
from models.accounts import SellerProfile
from models.catalog import Gig, GigRequirement
from models.ledger import TransactionKind
from models.orders import Notification, OrderEvent, OrderStatus, Payment, Withdrawal
from tests.integration.orderkit import IBAN, T0, act, ledger_clean, money, now, order_of, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import rows, snapshot_database
from tests.passwords import use_fast_password_hashing



@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


# -- the whole journey of the issue ----------------------------------------------------------


def test_a_100_sar_order_pays_the_seller_77_after_clearance_and_out_to_the_bank(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = place(shop)
    assert order_of(order_id).total_minor == 10000
    pay_by_card(shop, order_id)
    assert order_of(order_id).status == OrderStatus.IN_PROGRESS  # no requirements questions
    assert money(chart.escrow(order_id)) == 10000

    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="النسخة الأولى")
    act(lifecycle.request_revision, order_id=order_id, user_id=shop["buyer"], note="أبطئ قليلًا في المقطع الثاني")
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="النسخة المعدلة")
    act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])

    order = order_of(order_id)
    assert (order.status, order.commission_minor, order.commission_vat_minor, order.seller_net_minor) == ("completed", 2000, 300, 7700)
    assert money(chart.escrow(order_id)) == 0
    assert money(chart.seller_pending(shop["seller"])) == 7700
    assert money(chart.COMMISSION) == 2000 and money(chart.vat_output("SA")) == 300

    assert jobs.run_all(T0 + timedelta(days=13))["clearance"] == 0
    assert jobs.run_all(T0 + timedelta(days=15))["clearance"] == 1
    assert jobs.run_all(T0 + timedelta(days=15))["clearance"] == 0  # idempotent
    assert (money(chart.seller_pending(shop["seller"])), money(chart.seller_available(shop["seller"]))) == (0, 7700)

    now(T0 + timedelta(days=15))
    request = withdrawals.parse_withdrawal({"amount": "77", "iban": IBAN, "holder_name": "فهد العتيبي"})
    withdrawal = act(withdrawals.request, seller_id=shop["seller"], data=request)
    assert money(chart.seller_withdrawing(shop["seller"])) == 7700
    act(withdrawals.mark_paid, withdrawal_id=withdrawal.id, admin_id=shop["admin"], bank_reference="TRX-2026-0001")
    assert money(chart.seller_withdrawing(shop["seller"])) == 0
    assert money(chart.BANK) == -7700
    ledger_clean()
    kinds = [e.kind for e in rows(OrderEvent)]
    assert kinds == ["placed", "paid", "delivered", "revision_requested", "delivered", "accepted", "cleared"]


def test_completed_orders_are_counted_on_the_gig_and_nothing_else_is(shop: dict[str, int]) -> None:
    """The count ranks gigs («best» sort, search ties), so only a completion adds to it."""
    # given one order accepted, one delivered and waiting, and one cancelled before payment
    done, waiting, dropped = place(shop), place(shop), place(shop)
    for order_id in (done, waiting):
        pay_by_card(shop, order_id)
        act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="تم")
    act(lifecycle.accept, order_id=done, user_id=shop["buyer"])
    act(lifecycle.abandon, order_id=dropped, user_id=shop["buyer"])
    # then the gig counts exactly one completed order
    with db.reading() as session:
        gig = session.get(Gig, shop["gig"])
        assert gig is not None and gig.orders_completed == 1


def test_a_founding_seller_is_charged_the_founding_rate_inside_the_window(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    """SQLite reads ``founding_since`` back without a time zone: the window must still apply."""
    # given the seller became a founding seller ten days ago (the default founding rate is 0%)
    with db.transaction() as session:
        profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == shop["seller"])).one()
        profile.founding_since = T0 - timedelta(days=10)
    # when the buyer orders, and again after the 90-day window
    inside = order_of(place(shop))
    now(T0 + timedelta(days=85))
    after = order_of(place(shop))
    # then the first order is at the founding rate and the second at the default
    assert (inside.commission_rule, inside.commission_minor) == ("founding", 0)
    assert (after.commission_rule, after.commission_minor) == ("default", 2000)


def test_extras_and_quantity_are_priced_and_add_their_days(shop: dict[str, int]) -> None:
    order = order_of(place(shop, quantity=2, extras=[1]))
    assert (order.subtotal_minor, order.delivery_days) == (2 * 10000 + 15000, 3)


# -- requirements ----------------------------------------------------------------------------


def test_requirements_are_answered_before_the_clock_starts(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        session.add(GigRequirement(gig_id=shop["gig"], position=0, question="أرسل النص المطلوب تسجيله", kind="text"))
        session.add(GigRequirement(gig_id=shop["gig"], position=1, question="نبرة الصوت", kind="choice", choices="رسمية\nحماسية"))
    order_id = place(shop)
    pay_by_card(shop, order_id)
    assert order_of(order_id).status == OrderStatus.AWAITING_REQUIREMENTS
    with pytest.raises(MihanError) as refused:
        act(lifecycle.submit_requirements, order_id=order_id, user_id=shop["buyer"], answers={0: "نص الإعلان", 1: "هادئة"})
    assert refused.value.key == "order.invalid_answer"
    now(T0 + timedelta(hours=5))
    act(lifecycle.submit_requirements, order_id=order_id, user_id=shop["buyer"], answers={0: "نص الإعلان", 1: "حماسية"})
    order = order_of(order_id)
    assert order.status == OrderStatus.IN_PROGRESS
    assert order.due_at is not None and clock.as_utc(order.due_at) == T0 + timedelta(hours=5, days=2)


# -- who may act ------------------------------------------------------------------------------


def test_strangers_and_the_wrong_party_change_nothing(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    before = snapshot_database()
    for fn, kwargs in [
        (lifecycle.deliver, {"user_id": shop["other"], "message": "تسليم"}),
        (lifecycle.deliver, {"user_id": shop["buyer"], "message": "تسليم"}),
        (lifecycle.accept, {"user_id": shop["seller"]}),
        (lifecycle.dispute, {"user_id": shop["other"], "reason": "سبب"}),
        (lifecycle.resolve, {"admin_id": shop["buyer"], "outcome": "release", "note": "ملاحظة"}),
    ]:
        with pytest.raises(MihanError):
            act(fn, order_id=order_id, **kwargs)
    assert snapshot_database() == before


def test_a_closed_order_refuses_every_event(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="تم")
    act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])
    before = snapshot_database()
    for fn, kwargs in [
        (lifecycle.accept, {"user_id": shop["buyer"]}),
        (lifecycle.request_revision, {"user_id": shop["buyer"], "note": "مرة أخرى"}),
        (lifecycle.request_cancellation, {"user_id": shop["buyer"], "reason": "تراجعت"}),
        (lifecycle.dispute, {"user_id": shop["seller"], "reason": "خلاف"}),
    ]:
        with pytest.raises(MihanError) as refused:
            act(fn, order_id=order_id, **kwargs)
        assert refused.value.key == "order.closed"
    assert snapshot_database() == before


def test_revisions_are_counted_against_the_package(shop: dict[str, int]) -> None:
    order_id = place(shop)  # basic: one revision
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="أولى")
    act(lifecycle.request_revision, order_id=order_id, user_id=shop["buyer"], note="تعديل")
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="ثانية")
    with pytest.raises(MihanError) as refused:
        act(lifecycle.request_revision, order_id=order_id, user_id=shop["buyer"], note="تعديل آخر")
    assert refused.value.key == "order.no_revisions_left"


# -- paying twice -----------------------------------------------------------------------------


def test_a_double_click_reuses_the_payment_and_a_replayed_result_does_nothing(shop: dict[str, int]) -> None:
    order_id = place(shop)
    urls = [act(checkout.start_payment, order_id=order_id, user_id=shop["buyer"], gateway="sandbox", return_url="/orders") for _ in range(2)]
    assert urls[0] == urls[1] and len(rows(Payment)) == 1
    reference = urls[0].rsplit("/", 1)[-1]
    act(sandbox.submit_card, reference=reference, number="4111111111111111", expiry="12/30", cvc="123", holder="Abdullah Saad")
    for _ in range(3):
        act(checkout.confirm_payment, gateway="sandbox", reference=reference)
    assert money(chart.escrow(order_id)) == 10000
    assert money(chart.psp_clearing("sandbox")) == 10000
    ledger_clean()


def test_a_second_successful_payment_for_a_paid_order_goes_to_the_wallet(shop: dict[str, int]) -> None:
    """Our keys make a second charge impossible through checkout; a gateway could still take
    one (a buyer paying on its page twice). That money must be kept, not lost or held twice."""
    order_id = place(shop)
    pay_by_card(shop, order_id)
    with db.transaction() as session:
        started = sandbox.SandboxGateway().start(
            session, amount=Money(10000), description="again", return_url="/orders", idempotency_key="elsewhere", metadata={}
        )
        session.add(
            Payment(order_id=order_id, buyer_id=shop["buyer"], gateway="sandbox", reference=started.reference, amount_minor=10000, created_at=T0, updated_at=T0)
        )
    act(sandbox.submit_card, reference=started.reference, number="4111111111111111", expiry="12/30", cvc="123", holder="Abdullah Saad")
    for _ in range(2):
        act(checkout.confirm_payment, gateway="sandbox", reference=started.reference)
    assert money(chart.escrow(order_id)) == 10000
    assert money(chart.buyer_wallet(shop["buyer"])) == 10000
    assert any(n.kind == "paid_twice" for n in rows(Notification))
    ledger_clean()


def test_paying_from_a_wallet_without_enough_money_writes_nothing(shop: dict[str, int]) -> None:
    order_id = place(shop)
    before = snapshot_database()
    with pytest.raises(MihanError) as refused:
        act(checkout.pay_with_wallet, order_id=order_id, user_id=shop["buyer"])
    assert refused.value.key == "ledger.insufficient_funds"
    assert snapshot_database() == before


# -- cancellations and disputes ---------------------------------------------------------------


def test_an_unanswered_cancellation_request_cancels_after_48_hours_into_the_wallet(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.request_cancellation, order_id=order_id, user_id=shop["seller"], reason="ظرف طارئ")
    with pytest.raises(MihanError):
        act(lifecycle.accept_cancellation, order_id=order_id, user_id=shop["seller"])  # not one's own request
    assert jobs.run_all(T0 + timedelta(hours=47))["cancellation_timeout"] == 0
    assert jobs.run_all(T0 + timedelta(hours=49))["cancellation_timeout"] == 1
    assert order_of(order_id).status == OrderStatus.CANCELLED
    assert money(chart.buyer_wallet(shop["buyer"])) == 10000
    # the refund pays the next order
    second = place(shop)
    act(checkout.pay_with_wallet, order_id=second, user_id=shop["buyer"])
    assert money(chart.buyer_wallet(shop["buyer"])) == 0
    ledger_clean()


def test_a_partial_refund_takes_commission_only_on_what_the_seller_keeps(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.dispute, order_id=order_id, user_id=shop["buyer"], reason="الصوت غير واضح")
    with pytest.raises(MihanError):
        act(lifecycle.resolve, order_id=order_id, admin_id=shop["admin"], outcome="refund", note="نصف", refund_minor=10001)
    act(lifecycle.resolve, order_id=order_id, admin_id=shop["admin"], outcome="refund", note="نصف المبلغ", refund_minor=5000)
    order = order_of(order_id)
    assert (order.status, order.refunded_minor, order.commission_minor, order.commission_vat_minor, order.seller_net_minor) == (
        "refunded", 5000, 1000, 150, 3850,
    )
    assert money(chart.buyer_wallet(shop["buyer"])) == 5000
    assert money(chart.seller_pending(shop["seller"])) == 3850
    ledger_clean()


def test_a_late_order_can_be_cancelled_by_the_buyer(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = place(shop)
    pay_by_card(shop, order_id)
    with pytest.raises(MihanError) as refused:
        act(lifecycle.cancel_late, order_id=order_id, user_id=shop["buyer"])
    assert refused.value.key == "order.not_late"
    assert jobs.run_all(T0 + timedelta(days=3))["late"] == 1
    act(lifecycle.cancel_late, order_id=order_id, user_id=shop["buyer"])
    assert money(chart.buyer_wallet(shop["buyer"])) == 10000
    ledger_clean()


def test_a_delivery_left_unanswered_completes_after_three_days(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="تم")
    assert jobs.run_all(T0 + timedelta(days=2))["auto_complete"] == 0
    assert jobs.run_all(T0 + timedelta(days=3, minutes=1))["auto_complete"] == 1
    assert order_of(order_id).status == OrderStatus.COMPLETED
    assert jobs.run_all(T0 + timedelta(days=4))["unpaid"] == 0


def test_unpaid_orders_are_dropped_after_a_day(shop: dict[str, int]) -> None:
    order_id = place(shop)
    assert jobs.run_all(T0 + timedelta(days=1, minutes=1))["unpaid"] == 1
    assert order_of(order_id).status == OrderStatus.CANCELLED


# -- files ------------------------------------------------------------------------------------


def test_delivery_files_are_private_to_the_two_parties_and_admins(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    stored = act(files.attach, order_id=order_id, user_id=shop["seller"], filename="../../final.wav", data=b"RIFF\x24\x00\x00\x00WAVEfmt ")
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="الملف النهائي", file_tokens=[stored.token])
    with db.reading() as session:
        for user in ("buyer", "seller", "admin"):
            found = files.open_for(session, token=stored.token, user_id=shop[user])
            assert found is not None and found.name == ".._.._final.wav" and found.mime == "audio/x-wav"
        assert files.open_for(session, token=stored.token, user_id=shop["other"]) is None
    with pytest.raises(MihanError):
        act(files.attach, order_id=order_id, user_id=shop["other"], filename="x.txt", data=b"hello")


# -- withdrawals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ({"amount": "49.99", "iban": IBAN, "holder_name": "فهد"}, "wallet.invalid_amount"),
        ({"amount": "-100", "iban": IBAN, "holder_name": "فهد"}, "wallet.invalid_amount"),
        ({"amount": "100", "iban": "SA0380000000608010167518", "holder_name": "فهد"}, "wallet.invalid_iban"),
        ({"amount": "100", "iban": IBAN, "holder_name": ""}, "wallet.invalid_holder_name"),
    ],
)
def test_bad_withdrawal_forms_are_refused(form: dict[str, str], key: str) -> None:
    with pytest.raises(MihanError) as refused:
        withdrawals.parse_withdrawal(form)
    assert refused.value.key == key


def test_a_withdrawal_above_the_balance_or_twice_a_day_moves_nothing(shop: dict[str, int]) -> None:
    with db.transaction() as session:
        ledger.post(
            session,
            "test:seed",
            [ledger.debit(chart.BANK, Money(20000)), ledger.credit(chart.seller_available(shop["seller"]), Money(20000))],
            kind=TransactionKind.ADJUSTMENT,
        )
    before = snapshot_database()
    with pytest.raises(MihanError) as refused:
        act(withdrawals.request, seller_id=shop["seller"], data=withdrawals.parse_withdrawal({"amount": "200.01", "iban": IBAN, "holder_name": "فهد"}))
    assert refused.value.key == "wallet.insufficient_funds"
    assert snapshot_database() == before
    act(withdrawals.request, seller_id=shop["seller"], data=withdrawals.parse_withdrawal({"amount": "60", "iban": IBAN, "holder_name": "فهد"}))
    with pytest.raises(MihanError) as refused:
        act(withdrawals.request, seller_id=shop["seller"], data=withdrawals.parse_withdrawal({"amount": "60", "iban": IBAN, "holder_name": "فهد"}))
    assert refused.value.key == "wallet.one_per_day"
    assert len(rows(Withdrawal)) == 1
    with db.reading() as session:
        summary = balances.seller_balances(session, shop["seller"])
    assert (summary.available.minor, summary.withdrawing.minor) == (14000, 6000)
