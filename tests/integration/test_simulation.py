"""``mihan simulate`` on SQLite and Postgres with eight workers: random activity, double
clicks, two tabs, replayed results, clock jumps and withdrawals leave every invariant whole."""

from __future__ import annotations

import pytest

from app.orders import audit
from app.orders.simulation import simulate
from app.core import db
from app import ledger
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def test_eight_workers_move_money_once_and_lose_none(migrated_database: str) -> None:
    report = simulate(orders=40, seed=7, workers=8)
    assert report.ok, report.breaches
    moves = report.moves
    # the run exercised what it claims to: payments, deliveries, disputes, clearance, payouts
    assert moves["accept"] and moves["confirm"] and moves["job_clearance"] and moves["withdraw"]
    assert moves["tip_card"] and moves["job_tip_clearance"]
    # "two tabs": the second of each simultaneous pair was refused, never applied twice
    assert report.refused["order.closed"] + report.refused["order.not_allowed"] > 0
    assert report.refused["wallet.one_per_day"] + report.refused.get("wallet.insufficient_funds", 0) > 0
    with db.reading() as session:
        assert ledger.check(session, closed_order_ids=audit.closed_order_ids(session)) == []
        assert audit.order_breaches(session) == []
