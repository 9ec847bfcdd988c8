"""Concurrent workers on real threads: one transaction per key, and never an overdraft.

Eight threads start together behind a barrier, each in its own ``db.transaction()``, as web
workers and job runners would. On Postgres they contend for row locks and the unique index; on
SQLite ``BEGIN IMMEDIATE`` queues them. Both must give the same books.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app import ledger
from app.core.db import reading, transaction
from app.core.money import Money
from app.ledger import LedgerError, chart
from models.ledger import TransactionKind
from tests.integration.ledgerkit import CARD, add_users, move, pay

WORKERS = 8


def _race(attempt: Callable[[int], object]) -> list[object]:
    """Run ``attempt(i)`` on WORKERS threads released at once; return each result or exception."""
    barrier = threading.Barrier(WORKERS)
    results: list[object] = [None] * WORKERS

    def worker(index: int) -> None:
        barrier.wait()
        try:
            results[index] = attempt(index)
        except Exception as exc:  # collected: the test looks at every outcome
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_workers_posting_the_same_key_make_one_transaction(database):
    """The gateway's webhook, its retries and the browser's return all land at once: one payment."""
    # given no accounts yet, so every worker also races to open them
    # when eight workers post the same payment key at once
    def attempt(_: int) -> int | None:
        with transaction() as session:
            return pay(session, 1, Money(5_000)).id

    ids = _race(attempt)
    # then all of them got the same transaction back, and the money moved once
    assert all(isinstance(txn, int) for txn in ids), ids
    assert len(set(ids)) == 1
    with reading() as session:
        assert ledger.balance(session, chart.escrow(1)) == Money(5_000)
        assert ledger.balance(session, CARD) == Money(5_000)
        assert (ledger.get_stats(session).transactions, ledger.check(session)) == (1, [])


def test_workers_withdrawing_at_once_never_overdraw(database):
    """Eight withdrawals of 6.00 against 25.00: exactly four succeed, the rest are refused."""
    # given a seller with 25.00 available
    seller = add_users(1)[0]
    available, withdrawing = chart.seller_available(seller), chart.seller_withdrawing(seller)
    with transaction() as session:
        move(session, "seed", CARD, available, Money(2_500), TransactionKind.ADJUSTMENT)
    # when eight workers each withdraw 6.00 under their own key at once
    def attempt(index: int) -> bool:
        with transaction() as session:
            move(session, f"withdrawal:{index}:request", available, withdrawing, Money(600), TransactionKind.WITHDRAWAL)
        return True

    results = _race(attempt)
    # then the ones that fit succeeded and the others were refused for funds, nothing else
    succeeded = [result for result in results if result is True]
    refused = [result for result in results if isinstance(result, LedgerError)]
    assert len(succeeded) + len(refused) == WORKERS, results
    assert {error.key for error in refused} <= {"ledger.insufficient_funds"}
    # and the total moved is min(what was asked, what fits), the balance never below zero
    moved = min(WORKERS * 600, 2_500 // 600 * 600)
    assert len(succeeded) * 600 == moved
    with reading() as session:
        assert ledger.balance(session, available) == Money(2_500 - moved)
        assert ledger.balance(session, withdrawing) == Money(moved)
        assert ledger.check(session) == []


def test_workers_reusing_a_key_for_other_money_all_but_one_are_refused(database):
    """A key reused for other accounts is not serialised by row locks: the unique index decides."""
    # given eight workers that wrongly post one key, each between accounts no other one touches
    def attempt(index: int) -> int | None:
        with transaction() as session:
            gateway, order = chart.psp_clearing(f"gateway{index}"), chart.escrow(index + 1)
            legs = [ledger.debit(gateway, Money(100)), ledger.credit(order, Money(100))]
            return ledger.post(session, "payment:shared", legs, kind=TransactionKind.PAYMENT).id

    results = _race(attempt)
    # then exactly one posted, the others were refused as a reused key, and the books balance
    assert len([result for result in results if isinstance(result, int)]) == 1, results
    assert {error.key for error in results if isinstance(error, LedgerError)} == {"ledger.key_reused"}
    with reading() as session:
        assert (ledger.get_stats(session).transactions, ledger.check(session)) == (1, [])
