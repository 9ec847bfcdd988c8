"""A hypothesis state machine drives orders, payments, jobs and withdrawals in any order and
checks after every step that the order machine and the ledger agree.

Every rule calls a real service. A refused call must change nothing (the order's status and
every ledger balance stay as they were); an accepted call must land the order where
``machine.MOVES`` says. Tips (from the wallet or by card) are refused exactly when the rules
say so. After each step the ledger's own check, the order-side escrow audit and
a conservation law hold: all money that came in from the gateway is somewhere in the ledger.
Runs on SQLite: each example starts from a copy of one migrated template database.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule
from sqlmodel import func, select

from app import ledger
from app.core import clock, db
from app.core.errors import MihanError
from app.core.money import Money
from app.ledger import chart
from app.orders import audit, checkout, jobs, lifecycle, tips
from app.orders.policy import POLICY
from app.orders.machine import MOVES, Actor, allowed
from app.payments import sandbox
from app.wallets import withdrawals
from models.accounts import Role
from models.catalog import GigExtra, GigRequirement
from models.ledger import LedgerAccount
from models.orders import Order, OrderStatus, OrderTip, TipStatus, Withdrawal
from tests.conftest import use_database
from tests.integration.statekit import add_user
from tests.integration.test_catalog_state import make_gig, make_seller

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
IBAN = "SA0380000000608010167519"
MAX_ORDERS = 3  # few orders, so random walks go deep into each one's life


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """One migrated database with a seller, a gig (two packages, an extra, a question) and people."""
    from app.core import migrations

    path = tmp_path_factory.mktemp("stateful") / "template.db"
    url = f"sqlite:///{path}"
    use_database(url)
    migrations.upgrade(url)
    with clock.frozen(T0):
        seller = make_seller("seller@example.com", "فهد العتيبي")
        packages = [
            {"tier": "basic", "name": "أساسية", "price": "100", "delivery_days": 2, "revisions": 1},
            {"tier": "premium", "name": "مميزة", "price": "333.33", "delivery_days": 4, "revisions": 2},
        ]
        gig = make_gig(seller, "تعليق صوتي احترافي لإعلانك باللهجة النجدية", packages=packages)
        with db.transaction() as session:
            session.add(GigExtra(gig_id=gig, position=0, title="تسليم سريع", price_minor=3750, added_days=1))
            session.add(GigRequirement(gig_id=gig, position=0, question="أرسل النص المطلوب تسجيله", kind="text"))
        people = {
            "seller": seller,
            "gig": gig,
            "buyer": add_user("buyer@example.com", name="عبدالله"),
            "admin": add_user("admin@example.com", name="المشرف", role=Role.ADMIN),
        }
    db.dispose_engines()
    return path, people


class OrdersAndMoney(RuleBasedStateMachine):
    """Random walks over orders; see the module docstring for what is checked."""

    orders = Bundle("orders")
    people: dict[str, int] = {}  # set by the test from the template

    def __init__(self) -> None:
        super().__init__()
        self.moment = T0
        self.placed = 0
        self.clock = clock.frozen(T0)
        self.move = self.clock.__enter__()

    def teardown(self) -> None:
        self.clock.__exit__(None, None, None)

    # -- helpers ------------------------------------------------------------------------------

    def _status(self, order_id: int) -> str:
        with db.reading() as session:
            return session.exec(select(Order.status).where(Order.id == order_id)).one()

    def _balances(self) -> list[tuple[str, int]]:
        with db.reading() as session:
            return list(session.exec(select(LedgerAccount.code, LedgerAccount.balance_minor).order_by(LedgerAccount.code)))

    def _order(self, order_id: int) -> Order:
        with db.reading() as session:
            order = session.get(Order, order_id)
            assert order is not None
            session.expunge(order)
            return order

    def _act(self, action: str, order_id: int, fn, *, actor: Actor, guard: bool = True, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        """Call a service. Refused: nothing changed, and the table and ``guard`` did not promise
        success. Accepted: the order is where MOVES says."""
        before, money = self._status(order_id), self._balances()
        promised = allowed(action, actor, before) and guard
        try:
            with db.transaction() as session:
                fn(session, order_id=order_id, **kwargs)
        except MihanError as refusal:
            assert not promised, (action, before, refusal.key)
            assert (self._status(order_id), self._balances()) == (before, money)
            return False
        target = MOVES[action].target
        after = self._status(order_id)
        if target is not None and action != "pay":
            assert after == target.value, (action, before, after)
        return True

    # -- rules --------------------------------------------------------------------------------

    @precondition(lambda self: self.placed < MAX_ORDERS)
    @rule(target=orders, tier=st.sampled_from(["basic", "premium"]), quantity=st.integers(1, 3), extra=st.booleans(), pay=st.sampled_from([True, True, True, False]))
    def place(self, tier: str, quantity: int, extra: bool, pay: bool) -> int:
        """Most orders are paid at once, as in life; some wait (and may expire)."""
        self.placed += 1
        with db.transaction() as session:
            choice = checkout.parse_checkout({"tier": tier, "quantity": quantity, "extras": [0] if extra else []})
            order = checkout.place_order(session, buyer_id=self.people["buyer"], gig_id=self.people["gig"], data=choice)
            assert order.id is not None
        if pay:
            self.pay_by_card(order.id, "4111111111111111", 2)
        return order.id

    @rule(order=orders, card=st.sampled_from(["4111111111111111", "4111111111111111", "4000000000000002"]), replays=st.integers(1, 3))
    def pay_by_card(self, order: int, card: str, replays: int) -> None:
        try:
            with db.transaction() as session:
                url = checkout.start_payment(session, order_id=order, user_id=self.people["buyer"], gateway="sandbox", return_url="/orders")
        except MihanError:
            assert self._status(order) != OrderStatus.PLACED.value
            return
        reference = url.rsplit("/", 1)[-1]
        try:
            with db.transaction() as session:
                sandbox.submit_card(session, reference=reference, number=card, expiry="12/35", cvc="123", holder="Abdullah Saad")
        except MihanError:
            return  # this payment was already decided
        for _ in range(replays):
            with db.transaction() as session:
                checkout.confirm_payment(session, gateway="sandbox", reference=reference)

    @rule(order=orders)
    def pay_from_wallet(self, order: int) -> None:
        self._act("pay", order, checkout.pay_with_wallet, actor=Actor.BUYER, guard=False, user_id=self.people["buyer"])

    @rule(order=orders)
    def answer(self, order: int) -> None:
        self._act("submit_requirements", order, lifecycle.submit_requirements, actor=Actor.BUYER, user_id=self.people["buyer"], answers={0: "نص الإعلان"})

    @rule(order=orders)
    def deliver(self, order: int) -> None:
        self._act("deliver", order, lifecycle.deliver, actor=Actor.SELLER, user_id=self.people["seller"], message="تم التسليم")

    @rule(order=orders)
    def revise(self, order: int) -> None:
        left = (o := self._order(order)).revisions_used < o.revisions_allowed
        self._act("request_revision", order, lifecycle.request_revision, actor=Actor.BUYER, guard=left, user_id=self.people["buyer"], note="تعديل")

    @rule(order=orders)
    def accept(self, order: int) -> None:
        self._act("accept", order, lifecycle.accept, actor=Actor.BUYER, user_id=self.people["buyer"])

    @rule(order=orders, by=st.sampled_from(["buyer", "seller"]))
    def ask_to_cancel(self, order: int, by: str) -> None:
        free = self._order(order).cancel_requested_by is None
        self._act("request_cancellation", order, lifecycle.request_cancellation, actor=Actor(by), guard=free, user_id=self.people[by], reason="ظرف طارئ")

    @rule(order=orders, by=st.sampled_from(["buyer", "seller"]))
    def agree_to_cancel(self, order: int, by: str) -> None:
        asked = self._order(order).cancel_requested_by not in (None, self.people[by])
        self._act("accept_cancellation", order, lifecycle.accept_cancellation, actor=Actor(by), guard=asked, user_id=self.people[by])

    @rule(order=orders, by=st.sampled_from(["buyer", "seller"]))
    def dispute(self, order: int, by: str) -> None:
        self._act("dispute", order, lifecycle.dispute, actor=Actor(by), user_id=self.people[by], reason="خلاف")

    @rule(order=orders, outcome=st.sampled_from(["release", "refund", "cancel"]), part=st.one_of(st.integers(1, 9_999), st.integers(-5, 200_000)))
    def resolve(self, order: int, outcome: str, part: int) -> None:
        o = self._order(order)
        valid = outcome != "refund" or 0 < part < o.subtotal_minor + o.tip_minor or part == o.total_minor - o.refunded_minor
        self._act(
            f"resolve_{outcome}", order, lifecycle.resolve, actor=Actor.ADMIN, guard=valid, admin_id=self.people["admin"], outcome=outcome, note="قرار", refund_minor=part
        )

    def _tip_refusal(self, order_id: int, amount: int, method: str) -> str | None:
        """The refusal the tip rules promise for this tip now (None: it must go through)."""
        order = self._order(order_id)
        with db.reading() as session:
            paid = session.exec(select(OrderTip.id).where(OrderTip.order_id == order_id, OrderTip.status == TipStatus.PAID.value)).first()
            wallet = ledger.balance(session, chart.buyer_wallet(self.people["buyer"])).minor
        if order.status != OrderStatus.COMPLETED.value:
            return "order.tip_not_completed"
        if order.closed_at is not None and clock.as_utc(order.closed_at) + POLICY.tip_window < self.moment:
            return "order.tip_too_late"
        if paid is not None:
            return "order.tip_already_given"
        if not POLICY.tip_min_minor <= amount <= POLICY.tip_max_minor:
            return "order.tip_invalid_amount"
        return "order.tip_wallet_short" if method == tips.WALLET and wallet < amount else None

    @rule(
        order=orders,
        finish=st.booleans(),
        amount=st.sampled_from([1000, 2500, 2500, 499, 100_001]),
        by_card=st.booleans(),
        replays=st.integers(1, 2),
    )
    def tip(self, order: int, finish: bool, amount: int, by_card: bool, replays: int) -> None:
        """The buyer tips, often after finishing the order (answer, delivery, acceptance, each
        only where the order allows it: random walks rarely complete one otherwise); a card tip is
        paid on the sandbox at once and its result comes back again."""
        if finish:
            self.answer(order)
            self.deliver(order)
            self.accept(order)
        method = "sandbox" if by_card else tips.WALLET
        promised, money = self._tip_refusal(order, amount, method), self._balances()
        try:
            with db.transaction() as session:
                started = tips.give_tip(session, order_id=order, user_id=self.people["buyer"], amount=Money(amount), method=method, return_url="/orders")
        except MihanError as refusal:
            assert refusal.key == promised, (refusal.key, promised)
            assert self._balances() == money
            return
        assert promised is None
        if started.redirect_url:
            reference = started.redirect_url.rsplit("/", 1)[-1]
            with db.transaction() as session:
                sandbox.submit_card(session, reference=reference, number="4111111111111111", expiry="12/35", cvc="123", holder="Abdullah Saad")
            for _ in range(replays):
                with db.transaction() as session:
                    checkout.confirm_payment(session, gateway="sandbox", reference=reference)
        assert self._tip_refusal(order, amount, method) == "order.tip_already_given"

    @rule(hours=st.sampled_from([2, 20, 30, 50, 80, 200, 400]))
    def time_passes(self, hours: int) -> None:
        self.moment += timedelta(hours=hours)
        self.move(self.moment)
        jobs.run_all(self.moment)

    @rule(amount=st.integers(withdrawals.MIN_WITHDRAWAL_MINOR, 60_000))
    def withdraw(self, amount: int) -> None:
        form = withdrawals.parse_withdrawal({"amount": f"{amount // 100}.{amount % 100:02d}", "iban": IBAN, "holder_name": "فهد العتيبي"})
        money = self._balances()
        try:
            with db.transaction() as session:
                withdrawals.request(session, seller_id=self.people["seller"], data=form)
        except MihanError:
            assert self._balances() == money

    @rule(paid=st.booleans())
    def decide_withdrawals(self, paid: bool) -> None:
        with db.reading() as session:
            waiting = list(session.exec(select(Withdrawal.id).where(Withdrawal.status == "requested")))
        for withdrawal_id in waiting:
            with db.transaction() as session:
                if paid:
                    withdrawals.mark_paid(session, withdrawal_id=withdrawal_id, admin_id=self.people["admin"], bank_reference="TRX-1")
                else:
                    withdrawals.reject(session, withdrawal_id=withdrawal_id, admin_id=self.people["admin"], note="آيبان مرفوض")

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def the_ledger_and_the_orders_agree(self) -> None:
        with db.reading() as session:
            assert ledger.check(session, closed_order_ids=audit.closed_order_ids(session)) == []
            assert audit.order_breaches(session) == []
            # nothing is created or lost: what the gateway took is in escrow, wallets, seller
            # balances, the platform's revenue and VAT, or paid out to the bank
            held = session.exec(
                select(func.coalesce(func.sum(LedgerAccount.balance_minor), 0)).where(LedgerAccount.kind.in_(["liability", "income"]))  # type: ignore[attr-defined]
            ).one()
            came_in = ledger.balance(session, chart.psp_clearing("sandbox")).minor
            went_out = -ledger.balance(session, chart.BANK).minor
            assert held == came_in - went_out


def test_orders_and_money_stay_consistent(template: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    counter = iter(range(10**6))

    class Fresh(OrdersAndMoney):
        people = template[1]

        def __init__(self) -> None:
            copy = tmp_path / f"example-{next(counter)}.db"
            shutil.copy(template[0], copy)
            use_database(f"sqlite:///{copy}")
            super().__init__()

    Fresh.TestCase.settings = settings(
        max_examples=20, stateful_step_count=35, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
    )
    Fresh.TestCase().runTest()
