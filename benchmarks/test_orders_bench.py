"""Order throughput and the ledger check at scale (run with `make bench`; figures recorded in
docs/benchmarks.md and benchmarks/results/orders.json).

* A full order cycle — place → pay by sandbox card (start, card, confirm) → deliver → accept —
  through the services, each step its own transaction as in the UI, on SQLite and Postgres.
* ``mihan ledger check`` (the ledger's invariants plus the order escrow audit) over 100 000
  completed orders, written in bulk so the bench measures the check, not the set-up.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from app import ledger
from app.core import clock, db
from app.ledger import chart
from app.ledger.chart import describe
from app.orders import audit, checkout, lifecycle
from app.payments import sandbox
from models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction
from models.orders import Order
from tests.integration.statekit import add_user
from tests.integration.test_catalog_state import make_gig, make_seller
from tests.passwords import use_fast_password_hashing

RESULTS = Path(__file__).parent / "results" / "orders.json"
ORDERS_AT_SCALE = 100_000


def _record(key: str, value: dict[str, float]) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = value
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


@pytest.fixture
def shop(migrated_database: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    use_fast_password_hashing(monkeypatch)
    seller = make_seller("seller@bench.mihan.sa", "بائع")
    return {
        "seller": seller,
        "buyer": add_user("buyer@bench.mihan.sa", name="مشترٍ"),
        "gig": make_gig(seller, "تعليق صوتي احترافي لإعلانك باللهجة النجدية", price="100"),
    }


def _cycle(shop: dict[str, int]) -> None:
    with db.transaction() as session:
        order = checkout.place_order(session, buyer_id=shop["buyer"], gig_id=shop["gig"], data=checkout.parse_checkout({"tier": "basic"}))
    assert order.id is not None
    with db.transaction() as session:
        url = checkout.start_payment(session, order_id=order.id, user_id=shop["buyer"], gateway="sandbox", return_url="/orders")
    reference = url.rsplit("/", 1)[-1]
    with db.transaction() as session:
        sandbox.submit_card(session, reference=reference, number="4111111111111111", expiry="12/35", cvc="123", holder="Bench Buyer")
    with db.transaction() as session:
        checkout.confirm_payment(session, gateway="sandbox", reference=reference)
    with db.transaction() as session:
        lifecycle.deliver(session, order_id=order.id, user_id=shop["seller"], message="تم")
    with db.transaction() as session:
        lifecycle.accept(session, order_id=order.id, user_id=shop["buyer"])


def test_full_order_cycles_per_second(benchmark, shop: dict[str, int], backend: str) -> None:  # type: ignore[no-untyped-def]
    benchmark.pedantic(_cycle, args=(shop,), rounds=40, iterations=1, warmup_rounds=2)
    mean = benchmark.stats.stats.mean
    _record(f"order_cycle_{backend}", {"cycles_per_second": round(1 / mean, 1), "mean_ms": round(mean * 1000, 1)})


def _bulk_completed_orders(shop: dict[str, int], count: int) -> None:
    """``count`` orders paid (clearing → escrow) and completed (escrow → seller, commission,
    VAT), rows and entries written in bulk with consistent cached balances."""
    now = clock.now()
    seller, buyer, gig = shop["seller"], shop["buyer"], shop["gig"]
    with db.transaction() as session:
        fixed = {code: ledger.account(session, code, "SAR") for code in (chart.psp_clearing("sandbox"), chart.seller_pending(seller), chart.COMMISSION, chart.vat_output("SA"))}
        order_rows = [
            dict(buyer_id=buyer, seller_id=seller, gig_id=gig, status="completed", gig_title="خدمة", package_tier="basic", package_name="أساسية",
                 quantity=1, delivery_days=2, revisions_allowed=0, revisions_used=0, currency="SAR", subtotal_minor=10000, tip_minor=0,
                 buyer_fee_minor=0, buyer_fee_vat_minor=0, total_minor=10000, commission_rate_bp=2000, commission_rule="default",
                 vat_country="SA", vat_rate_bp=1500, commission_minor=2000, commission_vat_minor=300, seller_net_minor=7700,
                 refunded_minor=0, payment_method="sandbox", created_at=now, closed_at=now, is_late=False, cancel_reason="",
                 status_before_dispute="")
            for _ in range(count)
        ]
        session.execute(insert(Order), order_rows)
        ids = [i for (i,) in session.execute(Order.__table__.select().with_only_columns(Order.__table__.c.id).order_by(Order.__table__.c.id))]
        nature = describe(chart.escrow(1))
        session.execute(insert(LedgerAccount), [
            dict(code=chart.escrow(i), kind=nature.kind.value, currency="SAR", owner_id=None, may_go_negative=False, balance_minor=0, created_at=now)
            for i in ids
        ])
        escrow_ids = dict(session.execute(LedgerAccount.__table__.select().with_only_columns(LedgerAccount.__table__.c.code, LedgerAccount.__table__.c.id)).all())
        transactions = []
        for i in ids:
            transactions.append(dict(idempotency_key=f"order:{i}:pay", kind="payment", memo="", order_id=i, created_at=now))
            transactions.append(dict(idempotency_key=f"order:{i}:complete", kind="completion", memo="", order_id=i, created_at=now))
        session.execute(insert(LedgerTransaction), transactions)
        tx_ids = dict(session.execute(LedgerTransaction.__table__.select().with_only_columns(LedgerTransaction.__table__.c.idempotency_key, LedgerTransaction.__table__.c.id)).all())
        entries = []
        clearing, pending = fixed[chart.psp_clearing("sandbox")].id, fixed[chart.seller_pending(seller)].id
        commission, vat = fixed[chart.COMMISSION].id, fixed[chart.vat_output("SA")].id
        for i in ids:
            escrow, pay, done = escrow_ids[chart.escrow(i)], tx_ids[f"order:{i}:pay"], tx_ids[f"order:{i}:complete"]
            entries += [
                dict(transaction_id=pay, account_id=clearing, amount_minor=10000, currency="SAR"),
                dict(transaction_id=pay, account_id=escrow, amount_minor=-10000, currency="SAR"),
                dict(transaction_id=done, account_id=escrow, amount_minor=10000, currency="SAR"),
                dict(transaction_id=done, account_id=pending, amount_minor=-7700, currency="SAR"),
                dict(transaction_id=done, account_id=commission, amount_minor=-2000, currency="SAR"),
                dict(transaction_id=done, account_id=vat, amount_minor=-300, currency="SAR"),
            ]
        session.execute(insert(LedgerEntry), entries)
        for code, each in ((chart.psp_clearing("sandbox"), 10000), (chart.seller_pending(seller), 7700), (chart.COMMISSION, 2000), (chart.vat_output("SA"), 300)):
            fixed[code].balance_minor = each * count
            session.add(fixed[code])


def test_ledger_check_at_100k_orders(benchmark, shop: dict[str, int], backend: str) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    _bulk_completed_orders(shop, ORDERS_AT_SCALE)
    setup = time.monotonic() - started

    def check() -> int:
        with db.reading() as session:
            breaches = ledger.check(session, closed_order_ids=audit.closed_order_ids(session))
            return len(breaches) + len(audit.escrow_mismatches(session))

    assert benchmark.pedantic(check, rounds=3, iterations=1) == 0
    mean = benchmark.stats.stats.mean
    _record(f"ledger_check_100k_{backend}", {"seconds": round(mean, 2), "setup_seconds": round(setup, 1)})
