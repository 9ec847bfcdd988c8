"""The ledger on both backends: the worked example, replays, refusals, audit and the database's own guards.

Most tests run on ``database`` (``create_all``, fast); the ones about the append-only triggers
and Postgres's deferred balance check run on ``migrated_database``, the only place they exist.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlmodel import func, select

from app import ledger
from app.core.db import get_engine, reading, transaction
from app.core.money import Money
from app.ledger import Leg, LedgerError, chart, credit, debit
from app.pricing import FeePolicy, SellerTerms, quote_order
from models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind
from tests.integration.ledgerkit import CARD, add_users, complete, move, pay, tamper

K = TransactionKind


@pytest.fixture
def seller(database: str) -> int:
    return add_users(1)[0]


def _balances(*codes: str) -> list[int]:
    with reading() as session:
        return [ledger.balance(session, code).minor for code in codes]


def _counts() -> tuple[int, int, int]:
    with reading() as session:
        stats = ledger.get_stats(session)
    return stats.accounts, stats.transactions, stats.entries


def _breaches(**kwargs: object) -> set[tuple[str, str]]:
    with reading() as session:
        return {(breach.rule.value, breach.subject) for breach in ledger.check(session, **kwargs)}  # type: ignore[arg-type]


def test_worked_example_from_payment_to_payout(seller):
    """100.00 SAR paid, completed, cleared, withdrawn and paid out: every balance as in payments.md §7.3."""
    # given an order of 100.00 and its quote (commission 20.00, VAT 3.00, seller 77.00)
    quote = quote_order(price=Money(10_000), seller=SellerTerms(), at=datetime(2026, 11, 27, tzinfo=UTC), policy=FeePolicy())
    pending, available, withdrawing = chart.seller_pending(seller), chart.seller_available(seller), chart.seller_withdrawing(seller)
    vat = chart.vat_output("SA")
    with transaction() as session:
        # when the buyer pays
        pay(session, 1, quote.total)
        # then the money is held in escrow, owed to us by the gateway
        assert [ledger.balance(session, code).minor for code in (CARD, chart.escrow(1))] == [10_000, 10_000]
        # when the order completes
        complete(session, 1, seller, quote)
    # then escrow is split into the seller's pending 77.00, commission 20.00 and VAT 3.00
    assert _balances(chart.escrow(1), pending, chart.COMMISSION, vat) == [0, 7_700, 2_000, 300]
    with transaction() as session:
        # when the clearance passes, the seller withdraws 50.00 and the bank transfer goes out
        move(session, "order:1:release", pending, available, Money(7_700), K.CLEARANCE)
        move(session, "withdrawal:1:request", available, withdrawing, Money(5_000), K.WITHDRAWAL)
        move(session, "withdrawal:1:paid", withdrawing, chart.BANK, Money(5_000), K.PAYOUT)
    # then 27.00 stays available, nothing is in flight, and the bank paid 50.00 out
    assert _balances(pending, available, withdrawing, chart.BANK) == [0, 2_700, 0, -5_000]
    # and every invariant holds, including a zero escrow for the closed order
    assert _breaches(closed_order_ids=[1]) == set()
    assert _counts() == (8, 5, 12)


def test_a_replayed_key_returns_the_first_transaction_and_moves_nothing(seller):
    """Webhook and callback both land: the second posting is a no-op that returns the first."""
    # given a payment posted under its key
    with transaction() as session:
        first = pay(session, 7, Money(5_000))
    # when the same event is posted again, in a later transaction and in the same one
    with transaction() as session:
        again = pay(session, 7, Money(5_000))
        twice = pay(session, 7, Money(5_000))
    # then the same transaction comes back and the balance moved once
    assert first.id == again.id == twice.id
    assert _balances(chart.escrow(7)) == [5_000]
    assert _counts()[1:] == (1, 2)


@pytest.mark.parametrize(
    "other",
    [
        {"amount": Money(5_001)},  # other money
        {"order_id": 8},  # the same legs for another order
        {"kind": K.REFUND},  # the same legs for another reason
    ],
)
def test_a_key_reused_for_other_money_is_refused(seller, other):
    """A key is the identity of one movement: reusing it for anything else is a bug, said loudly."""
    # given a payment posted under its key
    with transaction() as session:
        pay(session, 7, Money(5_000))
    # when the key is posted with other money, another order or another kind
    posting = {"amount": Money(5_000), "order_id": 7, "kind": K.PAYMENT} | other
    legs = [debit(CARD, posting["amount"]), credit(chart.escrow(7), posting["amount"])]
    with pytest.raises(LedgerError) as caught, transaction() as session:
        ledger.post(session, "order:7:pay", legs, kind=posting["kind"], order_id=posting["order_id"])
    # then it is refused with ledger.key_reused and the first posting is all there is
    assert caught.value.key == "ledger.key_reused"
    assert "order:7:pay" in caught.value.message("en")
    assert _balances(chart.escrow(7)) == [5_000]
    assert _counts()[1:] == (1, 2)


def test_insufficient_funds_leaves_nothing_written(seller):
    """A withdrawal above the available balance is refused; the caller's other work still commits."""
    # given a seller with 30.00 available
    available, withdrawing = chart.seller_available(seller), chart.seller_withdrawing(seller)
    with transaction() as session:
        move(session, "seed", CARD, available, Money(3_000), K.ADJUSTMENT)
    before = _counts()
    # when they ask for 30.01 and the caller catches the refusal and commits
    with transaction() as session:
        with pytest.raises(LedgerError) as caught:
            move(session, "withdrawal:9:request", available, withdrawing, Money(3_001), K.WITHDRAWAL)
    # then the error says why, and no account, transaction or entry was written
    assert caught.value.key == "ledger.insufficient_funds"
    assert caught.value.params["account"] == available
    assert (caught.value.params["balance"], caught.value.params["needed"]) == (Money(3_000), Money(3_001))
    assert _counts() == before
    assert _balances(available, withdrawing) == [3_000, 0]
    # and the exact balance can still be withdrawn
    with transaction() as session:
        move(session, "withdrawal:9:request", available, withdrawing, Money(3_000), K.WITHDRAWAL)
    assert _balances(available, withdrawing) == [0, 3_000]


@pytest.mark.parametrize(
    ("legs", "error"),
    [
        ([debit(CARD, Money(100)), credit(chart.escrow(1), Money(99))], ValueError),  # unbalanced
        ([debit(CARD, Money(100)), credit(chart.escrow(1), Money(100, "AED"))], ValueError),  # per currency
        ([debit(CARD, Money(100)), credit(CARD, Money(100))], ValueError),  # one account only
        ([debit(CARD, Money(0)), credit(chart.escrow(1), Money(0))], ValueError),  # nothing moves
        ([debit("cash:drawer", Money(100)), credit(chart.escrow(1), Money(100))], ValueError),  # outside the chart
        ([(CARD, 100), (chart.escrow(1), -100)], TypeError),  # not legs
    ],
)
def test_malformed_legs_are_refused_before_anything_is_written(seller, legs, error):
    """Unbalanced, single-account, empty, unknown-account or float postings are programming errors."""
    # given legs that cannot form a transaction
    # when they are posted
    with pytest.raises(error), transaction() as session:
        ledger.post(session, "bad", legs, kind=K.ADJUSTMENT)
    # then nothing was written
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize("amount", [100, 1.5, -1.0, "100"])
def test_a_leg_holds_only_money(amount):
    """Integer minor units only: a bare number or a float never becomes a leg."""
    # given an amount that is not Money
    # when a leg is made of it
    # then it is refused
    with pytest.raises(TypeError):
        Leg(CARD, amount)


def test_debit_and_credit_take_positive_amounts():
    """The sign comes from the side, so a sign error cannot silently flip a transfer."""
    # given a negative amount
    # when it is used for a debit or a credit
    # then it is refused
    with pytest.raises(ValueError):
        debit(CARD, Money(-1))
    with pytest.raises(ValueError):
        credit(CARD, Money(-1))


def test_an_account_keeps_one_currency(seller):
    """An account opened in riyals never takes dirhams: amounts in one account always add up."""
    # given an escrow opened in SAR
    with transaction() as session:
        pay(session, 3, Money(1_000))
    # when dirhams are posted to it, or it is asked for in dirhams
    with pytest.raises(ValueError, match="kept in SAR"), transaction() as session:
        move(session, "aed", chart.psp_clearing("paytabs"), chart.escrow(3), Money(1_000, "AED"), K.PAYMENT)
    # then both are refused
    with reading() as session, pytest.raises(ValueError, match="kept in SAR"):
        ledger.balance(session, chart.escrow(3), "AED")
    with transaction() as session, pytest.raises(ValueError, match="kept in SAR"):
        ledger.account(session, chart.escrow(3), "AED")


def test_legs_are_netted_per_account_and_zero_legs_dropped(seller):
    """A founding seller's 0.00 commission and two credits to one account make one entry each."""
    # given a completion split written naively: zero commission and VAT, the tip as a second leg
    with transaction() as session:
        pay(session, 4, Money(11_000))
        posted = ledger.post(
            session,
            "order:4:complete",
            [
                debit(chart.escrow(4), Money(11_000)),
                credit(chart.seller_pending(seller), Money(10_000)),
                credit(chart.seller_pending(seller), Money(1_000)),
                credit(chart.COMMISSION, Money(0)),
                credit(chart.vat_output("SA"), Money(0)),
            ],
            kind=K.COMPLETION,
            order_id=4,
        )
        entries = session.exec(select(LedgerEntry).where(LedgerEntry.transaction_id == posted.id)).all()
    # then two entries were written and the seller has it all
    assert sorted(entry.amount_minor for entry in entries) == [-11_000, 11_000]
    assert _balances(chart.seller_pending(seller)) == [11_000]


def test_accounts_take_their_nature_from_the_chart(seller):
    """Opening an account by code sets its kind, owner and overdraft rule; nobody passes them."""
    # given the codes of a seller's balance, the platform's clearing and a VAT account
    with transaction() as session:
        rows = [ledger.account(session, code) for code in (chart.seller_available(seller), CARD, chart.vat_output("SA"))]
        again = ledger.account(session, chart.seller_available(seller))
    # then each has the nature its code says, and asking twice returns the same account
    assert [(row.kind, row.owner_id, row.may_go_negative) for row in rows] == [
        ("liability", seller, False),
        ("asset", None, True),
        ("liability", None, False),
    ]
    assert again.id == rows[0].id
    with reading() as session:
        assert ledger.balance(session, "buyer:99:wallet") == Money(0)


def test_rebuild_restores_a_tampered_cache(seller, database):
    """The cached balance is only a cache: check finds a wrong one and rebuild recomputes it."""
    # given a paid order whose escrow cache was raised by hand
    with transaction() as session:
        pay(session, 5, Money(2_500))
    with get_engine(database).begin() as connection:
        connection.execute(text("UPDATE ledger_account SET balance_minor = balance_minor + 1 WHERE code = 'order:5:escrow'"))
    # when the ledger is checked
    # then the stale balance is reported
    assert _breaches() == {("stale_balance", "order:5:escrow")}
    # when the balances are rebuilt
    with transaction() as session:
        corrected = ledger.rebuild_balances(session)
    # then the one wrong account was corrected, and the cache equals the entries again
    assert corrected == ["order:5:escrow"]
    assert _balances(chart.escrow(5)) == [2_500]
    assert _breaches() == set()
    with transaction() as session:
        assert ledger.rebuild_balances(session) == []


def test_check_catches_a_tampered_entry(seller, database):
    """An entry changed behind the triggers' back breaks the transaction's balance and the cache."""
    # given a completed payment whose escrow entry was edited in the database
    with transaction() as session:
        posted = pay(session, 6, Money(4_000))
    tamper(
        database,
        "UPDATE ledger_entry SET amount_minor = -3000 WHERE transaction_id = :txn AND amount_minor = -4000",
        txn=posted.id,
    )
    # when the ledger is checked
    # then the unbalanced transaction and the now stale escrow cache are both reported
    assert _breaches() == {
        ("unbalanced_transaction", f"transaction {posted.id} (order:6:pay)"),
        ("stale_balance", "order:6:escrow"),
    }
    # and rebuilding cannot hide the broken transaction
    with transaction() as session:
        ledger.rebuild_balances(session)
    assert ("unbalanced_transaction", f"transaction {posted.id} (order:6:pay)") in _breaches()


def test_check_catches_a_forbidden_negative_and_an_altered_account(seller, database):
    """Someone who allows an overdraft in the database and then overdraws is caught twice."""
    # given a seller account made overdraftable by hand, then overdrawn by a posting
    available = chart.seller_available(seller)
    with transaction() as session:
        ledger.account(session, available)
    with get_engine(database).begin() as connection:
        connection.execute(text("UPDATE ledger_account SET may_go_negative = :yes WHERE code = :code"), {"yes": True, "code": available})
    with transaction() as session:
        move(session, "overdraw", available, chart.BANK, Money(100), K.PAYOUT)
    # when the ledger is checked
    # then the altered account and its negative balance are reported
    assert _breaches() == {("account_altered", available), ("negative_balance", available)}
    # and a rebuild refuses to bless it
    with pytest.raises(LedgerError) as caught, transaction() as session:
        ledger.rebuild_balances(session)
    assert caught.value.key == "ledger.rebuild_negative"


def test_check_reports_money_left_in_a_closed_orders_escrow(seller):
    """Each order's escrow is exactly zero once it is completed, cancelled or refunded."""
    # given two paid orders, one of them half refunded
    with transaction() as session:
        pay(session, 10, Money(1_000))
        pay(session, 11, Money(1_000))
        move(session, "refund:11:1", chart.escrow(11), CARD, Money(500), K.REFUND)
    # when the orders module says both are closed
    # then the one still holding money is reported, and an open order is not
    assert _breaches(closed_order_ids=[10, 11]) == {("open_escrow", "order:10:escrow"), ("open_escrow", "order:11:escrow")}
    assert _breaches(closed_order_ids=[]) == set()


def test_check_reports_transactions_without_enough_entries(seller, database):
    """A transaction row left without its entries (or with one) is reported."""
    # given a payment whose credit entry was deleted behind the triggers' back
    with transaction() as session:
        posted = pay(session, 12, Money(700))
    tamper(database, "DELETE FROM ledger_entry WHERE transaction_id = :txn AND amount_minor < 0", txn=posted.id)
    # when the ledger is checked
    rules = {rule for rule, _ in _breaches()}
    # then the transaction is reported as unbalanced and short of entries
    assert {"unbalanced_transaction", "too_few_entries", "stale_balance"} <= rules


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entry SET amount_minor = amount_minor * 2",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_transaction SET memo = 'edited'",
        "DELETE FROM ledger_transaction",
    ],
)
def test_the_database_refuses_to_edit_the_books(migrated_database, statement):
    """Entries and transactions are append-only in the database too: corrections are new postings."""
    # given a posted payment
    with transaction() as session:
        pay(session, 13, Money(900))
    # when an entry or a transaction is updated or deleted with SQL
    # then the database refuses
    with pytest.raises(DatabaseError, match="append-only"), get_engine(migrated_database).begin() as connection:
        connection.execute(text(statement))
    assert _breaches() == set()


def test_the_database_refuses_a_negative_cached_balance(seller, database):
    """The CHECK on ledger_account backs up the code: a user-held balance cannot be stored below zero."""
    # given a seller's available account
    with transaction() as session:
        ledger.account(session, chart.seller_available(seller))
    # when its balance is set below zero with SQL
    # then the database refuses
    with pytest.raises(IntegrityError), get_engine(database).begin() as connection:
        connection.execute(text("UPDATE ledger_account SET balance_minor = -1 WHERE owner_id = :owner"), {"owner": seller})


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgres_refuses_to_commit_an_unbalanced_transaction(migrated_database):
    """The deferred trigger checks Σ = 0 at commit, so even raw SQL cannot leave money created.

    Postgres only: SQLite has no deferred constraints, and relies on ``post`` and ``check``.
    """
    # given an account and a transaction row
    with transaction() as session:
        account = ledger.account(session, CARD)
        session.add(LedgerTransaction(idempotency_key="raw", kind="adjustment", created_at=datetime.now(UTC)))
    # when a single entry is inserted with SQL and committed
    with pytest.raises(DatabaseError, match="does not balance"), get_engine(migrated_database).begin() as connection:
        connection.execute(
            text("INSERT INTO ledger_entry (transaction_id, account_id, amount_minor, currency) "
                 "SELECT id, :account, 100, 'SAR' FROM ledger_transaction WHERE idempotency_key = 'raw'"),
            {"account": account.id},
        )
    # then nothing was written
    with reading() as session:
        assert session.exec(select(func.count()).select_from(LedgerEntry)).one() == 0
        assert session.exec(select(LedgerAccount.balance_minor).where(LedgerAccount.code == CARD)).one() == 0
