"""Two workers acting on the same money at the same instant, on Postgres (row locks, not a
single writer): whatever the interleaving, money moves once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from app.core import db
from app.core.errors import MihanError
from app.ledger import chart
from app.orders import jobs, lifecycle
from app.wallets import withdrawals
from models.orders import Withdrawal
from tests.integration.orderkit import IBAN, T0, act, ledger_clean, money, now, order_of, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.passwords import use_fast_password_hashing

pytestmark = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def at_once(*calls: Callable[[], Any]) -> list[str]:
    """Run the calls in threads released together; return 'ok' or the refusal key of each."""
    gate = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(index: int) -> None:
        gate.wait()
        try:
            calls[index]()
            outcomes[index] = "ok"
        except MihanError as exc:
            outcomes[index] = exc.key

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def delivered(shop: dict[str, int]) -> int:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="تم")
    return order_id


def test_two_tabs_accepting_complete_once(shop: dict[str, int]) -> None:
    order_id = delivered(shop)
    accept = lambda: act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])  # noqa: E731
    assert at_once(accept, accept) == ["ok", "order.closed"]
    assert money(chart.seller_pending(shop["seller"])) == 7700
    ledger_clean()


def test_an_admin_refund_racing_the_buyers_acceptance_moves_the_escrow_once(shop: dict[str, int]) -> None:
    order_id = delivered(shop)
    act(lifecycle.dispute, order_id=order_id, user_id=shop["seller"], reason="خلاف")
    refund = lambda: act(lifecycle.resolve, order_id=order_id, admin_id=shop["admin"], outcome="cancel", note="إلغاء")  # noqa: E731
    release = lambda: act(lifecycle.resolve, order_id=order_id, admin_id=shop["admin"], outcome="release", note="تحرير")  # noqa: E731
    assert at_once(refund, release) == ["ok", "order.closed"]
    paid_out = money(chart.buyer_wallet(shop["buyer"])) + money(chart.seller_pending(shop["seller"]))
    assert paid_out in (10000, 7700)  # all back to the buyer, or the seller's net: never both
    assert money(chart.escrow(order_id)) == 0
    ledger_clean()


def test_the_auto_complete_job_on_two_workers_completes_once(shop: dict[str, int]) -> None:
    order_id = delivered(shop)
    later = T0 + timedelta(days=4)
    counts: list[dict[str, int]] = []
    run = lambda: counts.append(jobs.run_all(later))  # noqa: E731
    assert at_once(run, run) == ["ok", "ok"]
    assert sum(c["auto_complete"] for c in counts) == 1
    assert order_of(order_id).status == "completed"
    ledger_clean()


def test_two_withdrawals_at_once_reserve_the_money_once(shop: dict[str, int]) -> None:
    order_id = delivered(shop)
    act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])
    jobs.run_all(T0 + timedelta(days=15))
    form = withdrawals.parse_withdrawal({"amount": "70", "iban": IBAN, "holder_name": "فهد العتيبي"})
    ask = lambda: act(withdrawals.request, seller_id=shop["seller"], data=form)  # noqa: E731
    assert at_once(ask, ask) == ["ok", "wallet.one_per_day"]
    assert (money(chart.seller_available(shop["seller"])), money(chart.seller_withdrawing(shop["seller"]))) == (700, 7000)
    with db.reading() as session:
        (withdrawal_id,) = session.exec(select(Withdrawal.id)).all()
    pay = lambda: act(withdrawals.mark_paid, withdrawal_id=withdrawal_id, admin_id=shop["admin"], bank_reference="TRX-1")  # noqa: E731
    reject = lambda: act(withdrawals.reject, withdrawal_id=withdrawal_id, admin_id=shop["admin"], note="خطأ في الآيبان")  # noqa: E731
    assert at_once(pay, reject) == ["ok", "wallet.already_decided"]
    assert money(chart.seller_withdrawing(shop["seller"])) == 0
    ledger_clean()
