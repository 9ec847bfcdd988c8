"""Shared set-up for order tests: a frozen clock, a shop (seller, gig with extras, buyer,
stranger, admin) on a migrated database, and one-line helpers for services and balances."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app import ledger
from app.core import clock, db
from app.core.errors import MihanError
from app.ledger import chart
from app.core.money import Money
from app.orders import checkout, lifecycle
from app.payments import sandbox
from models.accounts import Role
from models.catalog import GigExtra
from models.ledger import TransactionKind
from models.orders import Order
from tests.integration.statekit import add_user, snapshot_database
from tests.integration.test_catalog_state import make_gig, make_seller

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
IBAN = "SA0380000000608010167519"


@pytest.fixture
def now():  # type: ignore[no-untyped-def]
    with clock.frozen(T0) as move:
        yield move


@pytest.fixture
def shop(migrated_database: str, now) -> dict[str, int]:  # type: ignore[no-untyped-def]
    seller = make_seller("seller@example.com", "فهد العتيبي")
    packages = [
        {"tier": "basic", "name": "أساسية", "price": "100", "delivery_days": 2, "revisions": 1},
        {"tier": "standard", "name": "قياسية", "price": "250", "delivery_days": 3, "revisions": 2},
    ]
    gig = make_gig(seller, "تعليق صوتي احترافي لإعلانك باللهجة النجدية", packages=packages)
    with db.transaction() as session:
        session.add(GigExtra(gig_id=gig, position=0, title="تسليم سريع", price_minor=5000, added_days=0))
        session.add(GigExtra(gig_id=gig, position=1, title="حقوق استخدام تجاري", price_minor=15000, added_days=1))
    return {
        "seller": seller,
        "gig": gig,
        "buyer": add_user("buyer@example.com", name="عبدالله"),
        "other": add_user("other@example.com", name="سارة"),
        "admin": add_user("admin@example.com", name="المشرف", role=Role.ADMIN),
    }


def place(shop: dict[str, int], **choice: object) -> int:
    with db.transaction() as session:
        order = checkout.place_order(session, buyer_id=shop["buyer"], gig_id=shop["gig"], data=checkout.parse_checkout({"tier": "basic", **choice}))
        assert order.id is not None
        return order.id


def pay_by_card(shop: dict[str, int], order_id: int, card: str = "4111111111111111") -> str:
    """Start a sandbox payment, pay it on the 'hosted page', come back and confirm."""
    with db.transaction() as session:
        url = checkout.start_payment(session, order_id=order_id, user_id=shop["buyer"], gateway="sandbox", return_url=f"/orders/{order_id}")
    reference = url.rsplit("/", 1)[-1]
    with db.transaction() as session:
        sandbox.submit_card(session, reference=reference, number=card, expiry="12/30", cvc="123", holder="Abdullah")
    with db.transaction() as session:
        checkout.confirm_payment(session, gateway="sandbox", reference=reference)
    return reference


def paid(shop: dict[str, int], **choice: object) -> int:
    """An order (the basic package unless ``choice`` says more) paid by card."""
    order_id = place(shop, **choice)
    pay_by_card(shop, order_id)
    return order_id


def disputed(shop: dict[str, int], order_id: int | None = None) -> int:
    """An order (``order_id``, already paid, or a new one paid by sandbox card) delivered and
    disputed by the buyer."""
    if order_id is None:
        order_id = paid(shop)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="النسخة الأولى")
    act(lifecycle.dispute, order_id=order_id, user_id=shop["buyer"], reason="الصوت غير واضح في النصف الثاني")
    return order_id


def cancel_by_agreement(shop: dict[str, int], order_id: int) -> None:
    """The buyer asks to cancel and the seller agrees: a full refund."""
    act(lifecycle.request_cancellation, order_id=order_id, user_id=shop["buyer"], reason="تغيرت الخطة")
    act(lifecycle.accept_cancellation, order_id=order_id, user_id=shop["seller"])


def completed(shop: dict[str, int], **choice: object) -> int:
    """A 100 SAR order, paid, delivered and accepted: 77.00 for the seller after clearance."""
    order_id = paid(shop, **choice)
    deliver_and_accept(shop, order_id)
    return order_id


def deliver_and_accept(shop: dict[str, int], order_id: int) -> None:
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="الملف النهائي")
    act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])


def top_up(buyer: int, minor: int) -> None:
    """Put money in a buyer's wallet (as a refund would)."""
    with db.transaction() as session:
        ledger.post(
            session,
            f"test:top-up:{buyer}:{minor}",
            [ledger.debit(chart.BANK, Money(minor)), ledger.credit(chart.buyer_wallet(buyer), Money(minor))],
            kind=TransactionKind.ADJUSTMENT,
        )


def act(fn, **kwargs):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return fn(session, **kwargs)


def refused(key: str, fn, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """``fn`` refuses with ``key`` and the database is as it was."""
    before = snapshot_database()
    with pytest.raises(MihanError) as caught:
        act(fn, **kwargs)
    assert caught.value.key == key
    assert snapshot_database() == before


def order_of(order_id: int) -> Order:
    with db.reading() as session:
        found = session.get(Order, order_id)
        assert found is not None
        session.expunge(found)  # keep its loaded values after the read-only session ends
        return found


def money(code: str) -> int:
    with db.reading() as session:
        return ledger.balance(session, code).minor


def ledger_clean() -> None:
    with db.reading() as session:
        closed = [o.id for o in session.exec(select(Order)) if o.status in ("completed", "cancelled", "refunded")]
        assert ledger.check(session, closed_order_ids=closed) == []
