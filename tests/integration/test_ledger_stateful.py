"""Random money flows against a plain model: after every step the books agree and every invariant holds.

Hypothesis drives payments (by card or from a wallet), completions with commission and buyer
fee, partial and full refunds, clearance, withdrawals, payouts and returned payouts, and
replays of anything already posted, in any order. After each step ``check`` must find nothing
and every cached balance must equal the model's. The database outlives the examples, so order
and withdrawal numbers come from counters that never repeat.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlmodel import select

from app import ledger
from app.core.db import reading, transaction
from app.core.money import Money
from app.ledger import Leg, LedgerError, chart, credit, debit
from app.ledger.chart import describe
from app.pricing import FeePolicy, SellerTerms, quote_order
from models.ledger import LedgerAccount, TransactionKind as K
from tests.integration.ledgerkit import CARD, add_users, completion_legs

AT = datetime(2026, 11, 27, tzinfo=UTC)
POLICY = FeePolicy(buyer_fee_enabled=True, level_bp={"top": 1_500})
amounts = st.integers(min_value=1, max_value=500_000)


def cached_balances() -> dict[str, int]:
    with reading() as session:
        return {row.code: row.balance_minor for row in session.exec(select(LedgerAccount)).all()}


def build_machine() -> type[RuleBasedStateMachine]:
    orders, withdrawals = count(1), count(1)
    people = st.integers(min_value=0, max_value=2)

    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            # fresh people per example, so no refusal depends on an earlier example's balances
            self.sellers, self.buyers = add_users(3), add_users(3)
            self.expected = cached_balances()
            self.open: dict[int, tuple[int, int, int]] = {}  # order -> (buyer, seller, price)
            self.refunded: set[int] = set()
            self.closed: set[int] = set()
            self.posted: list[tuple[str, list[Leg], K, int | None]] = []

        # -- helpers --------------------------------------------------------------------------

        def post(self, key: str, legs: list[Leg], kind: K, order_id: int | None = None) -> bool:
            """Post; on success apply the legs to the model, on a refusal check it was deserved."""
            try:
                with transaction() as session:
                    ledger.post(session, key, legs, kind=kind, order_id=order_id)
            except LedgerError as exc:
                assert exc.key == "ledger.insufficient_funds"
                code = str(exc.params["account"])
                assert self.balance(code) + describe(code).kind.sign * sum(leg.amount.minor for leg in legs if leg.account == code) < 0
                return False
            for leg in legs:
                self.expected[leg.account] = self.balance(leg.account) + describe(leg.account).kind.sign * leg.amount.minor
            self.posted.append((key, legs, kind, order_id))
            return True

        def balance(self, code: str) -> int:
            return self.expected.get(code, 0)

        def transfer(self, key: str, source: str, target: str, amount: int, kind: K) -> bool:
            return self.post(key, [debit(source, Money(amount)), credit(target, Money(amount))], kind)

        # -- rules ----------------------------------------------------------------------------

        @rule(price=amounts, buyer=people, seller=people, wallet=st.booleans())
        def pay(self, price: int, buyer: int, seller: int, wallet: bool) -> None:
            order, buyer, seller = next(orders), self.buyers[buyer], self.sellers[seller]
            total = quote_order(price=Money(price), seller=SellerTerms(), at=AT, policy=POLICY).total
            source = chart.buyer_wallet(buyer) if wallet else CARD
            if self.post(f"order:{order}:pay", [debit(source, total), credit(chart.escrow(order), total)], K.PAYMENT, order):
                self.open[order] = (buyer, seller, price)

        @precondition(lambda self: self.open)
        @rule(data=st.data(), level=st.sampled_from(["new", "top"]), founding=st.booleans())
        def complete(self, data: st.DataObject, level: str, founding: bool) -> None:
            order = data.draw(st.sampled_from(sorted(self.open)))
            buyer, seller, price = self.open.pop(order)
            held = self.balance(chart.escrow(order))
            terms = SellerTerms(level=level, founding_since=AT if founding else None)
            if order in self.refunded:  # what is left after a partial refund, priced again, no buyer fee
                quote = quote_order(price=Money(held), seller=terms, at=AT, policy=FeePolicy(level_bp=POLICY.level_bp))
            else:
                quote = quote_order(price=Money(price), seller=terms, at=AT, policy=POLICY)
            assert quote.total.minor == held
            assert self.post(f"order:{order}:complete", completion_legs(order, seller, quote), K.COMPLETION, order)
            self.closed.add(order)

        @precondition(lambda self: self.open)
        @rule(data=st.data(), to_wallet=st.booleans())
        def refund(self, data: st.DataObject, to_wallet: bool) -> None:
            order = data.draw(st.sampled_from(sorted(self.open)))
            buyer = self.open[order][0]
            held = self.balance(chart.escrow(order))
            amount = data.draw(st.integers(min_value=1, max_value=held + 100), label="refund")
            target = chart.buyer_wallet(buyer) if to_wallet else CARD
            refunded = self.transfer(f"order:{order}:refund:{held}", chart.escrow(order), target, amount, K.REFUND)
            assert refunded == (amount <= held)
            if refunded and amount == held:
                del self.open[order]
                self.closed.add(order)
            elif refunded:
                self.refunded.add(order)

        @rule(seller=people)
        def release(self, seller: int) -> None:
            seller = self.sellers[seller]
            pending = self.balance(chart.seller_pending(seller))
            if pending:
                key = f"seller:{seller}:release:{next(withdrawals)}"
                assert self.transfer(key, chart.seller_pending(seller), chart.seller_available(seller), pending, K.CLEARANCE)

        @rule(seller=people, amount=amounts)
        def withdraw(self, seller: int, amount: int) -> None:
            seller = self.sellers[seller]
            available = self.balance(chart.seller_available(seller))
            key = f"withdrawal:{next(withdrawals)}:request"
            moved = self.transfer(key, chart.seller_available(seller), chart.seller_withdrawing(seller), amount, K.WITHDRAWAL)
            assert moved == (amount <= available)

        @rule(seller=people, paid=st.booleans())
        def settle_withdrawal(self, seller: int, paid: bool) -> None:
            seller = self.sellers[seller]
            reserved = self.balance(chart.seller_withdrawing(seller))
            if reserved:
                key, target = f"withdrawal:{next(withdrawals)}:settle", chart.BANK if paid else chart.seller_available(seller)
                assert self.transfer(key, chart.seller_withdrawing(seller), target, reserved, K.PAYOUT if paid else K.PAYOUT_RETURNED)

        @precondition(lambda self: self.posted)
        @rule(data=st.data())
        def replay(self, data: st.DataObject) -> None:
            key, legs, kind, order_id = data.draw(st.sampled_from(self.posted))
            before = dict(self.expected)
            with transaction() as session:
                again = ledger.post(session, key, legs, kind=kind, order_id=order_id)
            assert again.idempotency_key == key
            assert self.expected == before

        # -- invariants -----------------------------------------------------------------------

        @invariant()
        def books_agree(self) -> None:
            with reading() as session:
                assert ledger.check(session, closed_order_ids=self.closed) == []
            cached = cached_balances()
            assert cached == {code: self.expected.get(code, 0) for code in cached}
            # every entry sums to zero overall: debit-normal balances equal credit-normal ones
            assert sum(describe(code).kind.sign * balance for code, balance in cached.items()) == 0

    return LedgerMachine


def test_random_flows_keep_the_books_straight(database):
    """Any sequence of the flows of payments.md §7.3 leaves a ledger that passes every check."""
    # given three sellers and three buyers per example
    # when hypothesis runs random sequences of postings
    # then each step leaves the books consistent (the machine's invariant)
    run_state_machine_as_test(
        build_machine(),
        settings=settings(
            max_examples=20, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
