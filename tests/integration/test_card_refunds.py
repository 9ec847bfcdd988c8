"""Refunds back to the card: disputes and cancellations, with the sandbox and a fake Moyasar.

Every test runs on SQLite and Postgres (the ``shop`` fixture's backends). The money must end
where the rule says (the card, or the wallet when the card cannot take it), be refunded at the
gateway exactly once whatever is retried, and ``ledger.check`` (with the card-refund audit) must
find nothing after each step.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.core import db
from app.ledger import chart
from app.orders import card_refunds, checkout, disputes, jobs, lifecycle
from app.orders.audit import order_breaches
from app.orders.errors import OrderError
from app.payments.reconcile import reconcile
from models.orders import CardRefund, Notification, Payment
from models.payments import MoyasarRefund, SandboxRefund
from tests.fakes.moyasar import FakeMoyasar
from tests.integration.gatewaykit import site  # noqa: F401 (fixture)
from tests.integration.orderkit import T0, act, disputed, ledger_clean, money, now, order_of, paid, place, refused, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import rows
from tests.integration.test_moyasar import fake, paid_order  # noqa: F401 (fixture)

NOTE = "قرار الإدارة بعد مراجعة التسليم"


def resolve(shop: dict[str, int], order_id: int, decision: str, refund_to: str = card_refunds.CARD, refund_minor: int = 0) -> None:
    act(disputes.resolve_dispute, order_id=order_id, admin_id=shop["admin"], decision=decision, note=NOTE, refund_minor=refund_minor, refund_to=refund_to)


def books(shop: dict[str, int], gateway: str) -> tuple[int, int]:
    """The buyer's wallet and the gateway's clearing."""
    return money(chart.buyer_wallet(shop["buyer"])), money(chart.psp_clearing(gateway))


def told(shop: dict[str, int]) -> list[str]:
    return [n.kind for n in rows(Notification, Notification.user_id == shop["buyer"]) if n.kind.startswith("card_refund")]


def mismatched() -> list[tuple[str, str]]:
    """What reconciliation finds out of step: (gateway, kind) of each mismatch."""
    with db.reading() as session:
        return [(m.gateway, m.kind) for m in reconcile(session).mismatches]


def the_refund() -> CardRefund:
    [refund] = rows(CardRefund)
    return refund


# -- the sandbox -----------------------------------------------------------------------------


@pytest.mark.parametrize(("decision", "part", "back"), [("refund_full", 0, 10000), ("refund_part", 4000, 4000), ("cancel", 0, 10000)])
def test_a_dispute_refunds_the_card_once(shop: dict[str, int], decision: str, part: int, back: int) -> None:
    # given a disputed order paid 100 SAR by card
    order_id = disputed(shop)
    # when the admin refunds it to the card
    resolve(shop, order_id, decision, refund_minor=part)
    # then the sandbox refunded the card once, after the commit, and nothing stays in the wallet
    [paid] = rows(Payment)
    assert [(r.amount_minor, r.idempotency_key) for r in rows(SandboxRefund)] == [(back, f"refund:payment:sandbox:{paid.reference}:refund")]
    refund = the_refund()
    assert (refund.status, refund.attempts, refund.amount_minor) == ("done", 1, back)
    assert books(shop, "sandbox") == (0, 10000 - back) and told(shop) == ["card_refunded"]
    # when the admin clicks again, or the job runs, then nothing moves twice
    with pytest.raises(OrderError, match="order.closed"):
        resolve(shop, order_id, decision, refund_minor=part)
    jobs.run_all(T0 + timedelta(days=1))
    assert len(rows(SandboxRefund)) == 1 and books(shop, "sandbox") == (0, 10000 - back)
    ledger_clean()
    assert mismatched() == []  # the card refund reconciles with the sandbox's own record


def test_the_wallet_stays_a_choice_and_a_wallet_paid_order_cannot_go_to_a_card(shop: dict[str, int]) -> None:
    # given an order paid by card refunded to the wallet: no card refund at all
    order_id = disputed(shop)
    resolve(shop, order_id, "refund_full", refund_to=card_refunds.WALLET)
    assert books(shop, "sandbox") == (10000, 10000) and rows(CardRefund) == [] == rows(SandboxRefund)
    # given an order paid from that wallet: «to the card» and junk are refused, nothing changes
    wallet_paid = place(shop)
    act(checkout.pay_with_wallet, order_id=wallet_paid, user_id=shop["buyer"])
    disputed(shop, wallet_paid)
    for refund_to, key in [(card_refunds.CARD, "order.refund_no_card"), ("bank", "order.invalid_refund_to"), (None, "order.invalid_refund_to")]:
        refused(key, disputes.resolve_dispute, order_id=wallet_paid, admin_id=shop["admin"], decision="refund_full", note=NOTE, refund_to=refund_to)
    resolve(shop, wallet_paid, "cancel", refund_to=card_refunds.WALLET)
    assert books(shop, "sandbox") == (10000, 10000) and rows(CardRefund) == []
    ledger_clean()


def test_a_refund_above_what_the_card_paid_is_refused_before_any_call(shop: dict[str, int]) -> None:
    order_id = disputed(shop)
    with db.reading() as session:
        order = lifecycle.locked(session, order_id)
        assert order is not None
        assert card_refunds.ensure_destination(session, order, card_refunds.CARD, 10000) is not None
        with pytest.raises(OrderError, match="order.refund_above_card"):
            card_refunds.ensure_destination(session, order, card_refunds.CARD, 10001)
    assert rows(SandboxRefund) == []


def test_a_buyer_cancelling_chooses_the_card_and_a_seller_cannot(shop: dict[str, int]) -> None:
    # given a late order: the buyer cancels it back to the card
    late = paid(shop)
    assert jobs.run_all(T0 + timedelta(days=3))["late"] == 1
    act(lifecycle.cancel_late, order_id=late, user_id=shop["buyer"], refund_to=card_refunds.CARD)
    assert the_refund().amount_minor == 10000 and books(shop, "sandbox") == (0, 0)
    # given the buyer's request accepted by the seller: the seller's choice of the card is ignored
    agreed = paid(shop)
    act(lifecycle.request_cancellation, order_id=agreed, user_id=shop["buyer"], reason="تغيرت الخطة")
    act(lifecycle.accept_cancellation, order_id=agreed, user_id=shop["seller"], refund_to=card_refunds.CARD)
    assert len(rows(CardRefund)) == 1 and books(shop, "sandbox") == (10000, 10000)
    # given the seller's request accepted by the buyer, who picks the card
    asked = paid(shop)
    act(lifecycle.request_cancellation, order_id=asked, user_id=shop["seller"], reason="لا أستطيع التسليم")
    act(lifecycle.accept_cancellation, order_id=asked, user_id=shop["buyer"], refund_to=card_refunds.CARD)
    assert [r.order_id for r in rows(CardRefund)] == [late, asked] and books(shop, "sandbox") == (10000, 10000)
    ledger_clean()


# -- a fake Moyasar: faults, retries by the job, giving up ------------------------------------


def moyasar_dispute(shop: dict[str, int], site: str) -> int:
    order_id, _ = paid_order(shop, site)
    return disputed(shop, order_id)


def test_a_gateway_that_fails_is_retried_by_the_job_and_refunds_once(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given Moyasar answering 500 when the refund is first made after the decision
    order_id = moyasar_dispute(shop, site)
    total = order_of(order_id).total_minor
    fake.fail_next("GET", "/v1/invoices/")
    resolve(shop, order_id, "refund_part", refund_minor=4000)
    # then the decision stands, the refund waits (booked at the clearing, not in the wallet)
    refund = the_refund()
    assert (refund.status, refund.attempts, refund.failure) == ("pending", 1, "payment.gateway_unavailable")
    assert books(shop, "moyasar") == (0, total - 4000) and rows(MoyasarRefund) == [] and told(shop) == []
    ledger_clean()
    assert mismatched() == [("moyasar", "refund_mismatch")]  # booked, not yet made at the gateway
    # when the job runs before the back-off, nothing is tried; after it, the refund is made once
    assert jobs.run_all(T0 + timedelta(seconds=30))["card_refunds"] == 0
    assert jobs.run_all(T0 + timedelta(minutes=3))["card_refunds"] == 1
    [payment] = fake.payments.values()
    assert (the_refund().status, payment["refunded"], fake.count("POST", "/v1/payments/")) == ("done", 4000, 1)
    assert told(shop) == ["card_refunded"]
    assert jobs.run_all(T0 + timedelta(days=1))["card_refunds"] == 0 and payment["refunded"] == 4000
    ledger_clean()
    assert mismatched() == []


def test_a_refund_moyasar_made_but_did_not_answer_is_not_made_twice(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    order_id = moyasar_dispute(shop, site)
    total = order_of(order_id).total_minor
    fake.fail_next("POST", "/v1/payments/", applied=True)
    resolve(shop, order_id, "refund_full")
    [payment] = fake.payments.values()
    assert (the_refund().status, payment["refunded"], fake.count("POST", "/v1/payments/")) == ("done", total, 1)
    assert books(shop, "moyasar") == (0, 0)
    ledger_clean()


def test_a_refund_the_gateway_refuses_leaves_the_money_in_the_wallet(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a payment someone refunded on Moyasar's dashboard: Moyasar and Mihan disagree
    order_id = moyasar_dispute(shop, site)
    total = order_of(order_id).total_minor
    [payment] = fake.payments.values()
    fake.refund_outside(payment["id"], 100)
    resolve(shop, order_id, "cancel")
    # then the card refund is given up at once: the money is in the wallet and the buyer is told
    refund = the_refund()
    assert (refund.status, refund.failure) == ("failed", "payment.refund_out_of_sync")
    assert books(shop, "moyasar") == (total, total) and told(shop) == ["card_refund_failed"]
    assert jobs.run_all(T0 + timedelta(days=1))["card_refunds"] == 0 and payment["refunded"] == 100
    ledger_clean()
    assert mismatched() == []  # the booking and its reversal net to nothing at the clearing


def test_a_gateway_down_for_every_try_gives_up_to_the_wallet(shop: dict[str, int], fake: FakeMoyasar, site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(card_refunds, "MAX_ATTEMPTS", 2)
    order_id = moyasar_dispute(shop, site)
    total = order_of(order_id).total_minor
    fake.fail_next("GET", "/v1/invoices/")
    fake.fail_next("GET", "/v1/invoices/")
    resolve(shop, order_id, "refund_full")
    assert jobs.run_all(T0 + timedelta(minutes=5))["card_refunds"] == 1
    assert (the_refund().status, the_refund().attempts) == ("failed", 2) and books(shop, "moyasar") == (total, total)
    ledger_clean()


def test_the_audit_finds_a_card_refund_out_of_step_with_the_ledger(shop: dict[str, int]) -> None:
    order_id = disputed(shop)
    resolve(shop, order_id, "refund_full")
    with db.transaction() as session:
        session.exec(update(CardRefund).values(status="failed"))  # type: ignore[call-overload]
    with db.reading() as session:
        found = [b.detail for b in order_breaches(session) if b.rule == "card_refund"]
    assert found == [f"card refund {the_refund().id} is failed, but the ledger has its booking and lacks its reversal"]
