"""``mihan simulate``: drive random marketplace activity through the real services from many
threads, then prove no money was lost, created or moved twice.

Each worker plays whole orders with its own seeded random generator: checkout, paying by card
(double clicks, declined cards, replayed results and webhooks) or from the wallet, answering
requirements, deliveries, revisions, acceptance, tips after completion (double-clicked, from the
wallet or by card), cancellation requests, disputes that an admin resolves (release, partial
refund, cancel), and clock jumps that run the jobs far in the future.
Some moves are deliberately made twice at the same moment from two threads ("two tabs"): one
must win and the other be refused. Sellers then withdraw (two requests at once) and an admin
pays or rejects. At the end the ledger's own check runs, plus the order-level invariants the
ledger cannot know (``audit_orders``).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from threading import Lock
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app import catalog, ledger
from app.accounts import SignUpInput, become_seller
from app.accounts.registration import create_user
from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.money import Money
from app.ledger import chart
from app.orders import audit, checkout, jobs, lifecycle, tips
from app.payments import sandbox
from app.wallets import withdrawals
from models.accounts import Role, User
from models.catalog import Gig, GigExtra, GigRequirement
from models.orders import Order, OrderRequirement, OrderStatus, Withdrawal, WithdrawalStatus

SIM_DOMAIN = "sim.mihan.sa"
SIM_PASSWORD = "simulation-only-2026"
GOOD_CARD, DECLINED_CARD = "4111111111111111", "4000000000000002"
IBAN = "SA0380000000608010167519"
FUTURE = timedelta(days=30)


@dataclass
class Cast:
    """The simulation's people and gigs (created once, reused by later runs)."""

    admin: int
    buyers: list[int]
    sellers: list[int]
    gigs: list[int]


@dataclass
class Report:
    orders: int
    workers: int
    seconds: float
    moves: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    breaches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaches

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "orders": self.orders,
            "workers": self.workers,
            "seconds": round(self.seconds, 2),
            "moves": dict(sorted(self.moves.items())),
            "refused": dict(sorted(self.refused.items())),
            "breaches": self.breaches,
        }


# -- the cast --------------------------------------------------------------------------------


def _user(session: Session, name: str, local: str, role: Role = Role.USER) -> int:
    email = f"{local}@{SIM_DOMAIN}"
    found = session.exec(select(User.id).where(User.email == email)).first()
    if found is not None:
        return found
    user = create_user(session, SignUpInput(name=name, email=email, password=SIM_PASSWORD), role=role, verified=True)
    assert user.id is not None
    return user.id


def _gig(session: Session, seller: int, number: int) -> int:
    found = session.exec(select(Gig.id).where(Gig.ref == f"sim-{number}")).first()
    if found is not None:
        return found
    category = catalog.list_categories(session)[0].slug
    data = catalog.parse_gig(
        {
            "title": f"تعليق صوتي تجريبي للمحاكاة رقم {number}",
            "category": category,
            "description": "خدمة تعليق صوتي تستخدمها المحاكاة لاختبار الطلبات والأموال من البداية إلى النهاية.",
            "packages": [
                {"tier": "basic", "name": "أساسية", "price": str(50 + 25 * number), "delivery_days": 2, "revisions": 1},
                {"tier": "premium", "name": "مميزة", "price": str(200 + 50 * number), "delivery_days": 4, "revisions": 3},
            ],
        }
    )
    gig = catalog.create_gig(session, seller_id=seller, data=data)
    gig.ref = f"sim-{number}"
    catalog.publish(session, gig)
    session.add(GigExtra(gig_id=gig.id, position=0, title="تسليم سريع", price_minor=2500, added_days=0))  # type: ignore[arg-type]
    if number % 2:
        session.add(GigRequirement(gig_id=gig.id, position=0, question="أرسل النص المطلوب تسجيله", kind="text"))  # type: ignore[arg-type]
    assert gig.id is not None
    return gig.id


def cast(sellers: int = 4, buyers: int = 8) -> Cast:
    """Create (or find) the simulation's admin, sellers with one gig each, and buyers."""
    with transaction() as session:
        admin = _user(session, "مشرف المحاكاة", "admin", Role.ADMIN)
        seller_ids = [_user(session, f"بائع {n}", f"seller{n}") for n in range(sellers)]
        for seller in seller_ids:
            become_seller(session, user_id=seller)
        gigs = [_gig(session, seller, n) for n, seller in enumerate(seller_ids)]
        buyer_ids = [_user(session, f"مشترٍ {n}", f"buyer{n}") for n in range(buyers)]
    return Cast(admin, buyer_ids, seller_ids, gigs)


# -- one order's life ------------------------------------------------------------------------


class Player:
    """One worker: plays orders with its own random generator and tallies what happened."""

    def __init__(self, cast: Cast, seed: int, report: Report, lock: Lock) -> None:
        self.cast, self.rng, self.report, self.lock = cast, random.Random(seed), report, lock

    def _try(self, name: str, fn: Callable[..., object], **kwargs: Any) -> bool:
        """Run one service in its own transaction; a refusal is counted, not raised."""
        try:
            with transaction() as session:
                fn(session, **kwargs)
        except MihanError as exc:
            with self.lock:
                self.report.refused[exc.key] += 1
            return False
        with self.lock:
            self.report.moves[name] += 1
        return True

    def _twice(self, name: str, fn: Callable[..., object], **kwargs: Any) -> None:
        """The same move from two tabs at once: the services let exactly one through."""
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda _: self._try(name, fn, **kwargs), range(2)))

    def _status(self, order_id: int) -> str:
        with reading() as session:
            return session.exec(select(Order.status).where(Order.id == order_id)).one()

    def play(self) -> None:
        rng = self.rng
        buyer, gig = rng.choice(self.cast.buyers), rng.choice(self.cast.gigs)
        choice = {"tier": rng.choice(["basic", "premium"]), "quantity": rng.randint(1, 3), "extras": rng.choice([[], [0]])}
        with transaction() as session:
            order_id = checkout.place_order(session, buyer_id=buyer, gig_id=gig, data=checkout.parse_checkout(choice)).id
        assert order_id is not None
        if not self._pay(order_id, buyer):
            return
        self._answer(order_id, buyer)
        self._work(order_id, buyer)
        self._tip(order_id, buyer)

    def _pay(self, order_id: int, buyer: int) -> bool:
        if self.rng.random() < 0.2 and self._try("pay_wallet", checkout.pay_with_wallet, order_id=order_id, user_id=buyer):
            return True
        if self.rng.random() < 0.1:
            self._card(order_id, buyer, DECLINED_CARD)
        if self.rng.random() < 0.05:
            return self._try("abandon", lifecycle.abandon, order_id=order_id, user_id=buyer) and False
        return self._card(order_id, buyer, GOOD_CARD)

    def _card(self, order_id: int, buyer: int, number: str) -> bool:
        """Pay the order on the sandbox page; True once it is paid."""

        def start(session: Session) -> str:
            return checkout.start_payment(session, order_id=order_id, user_id=buyer, gateway="sandbox", return_url=f"/orders/{order_id}")

        self._on_sandbox("start_payment", start, number)
        return self._status(order_id) != OrderStatus.PLACED.value

    def _on_sandbox(self, name: str, start: Callable[[Session], str], number: str) -> None:
        """Pay on the sandbox page after a double click on the button that ``start`` serves; the
        result comes back twice (the return and a replayed webhook)."""
        urls: list[str] = []
        self._twice(name, lambda session: urls.append(start(session)))
        if not urls or not urls[0]:
            return
        reference = urls[0].rsplit("/", 1)[-1]
        self._try("card", sandbox.submit_card, reference=reference, number=number, expiry="12/35", cvc="123", holder="Simulation Buyer")
        for _ in range(2):
            self._try("confirm", checkout.confirm_payment, gateway="sandbox", reference=reference)

    def _tip(self, order_id: int, buyer: int) -> None:
        """Some buyers tip a completed order, double-clicking «أرسل الإكرامية»: from the wallet
        (a refund may cover it, or not) or by card. Exactly one click may tip."""
        if self.rng.random() > 0.3 or self._status(order_id) != OrderStatus.COMPLETED.value:
            return
        amount = Money(self.rng.choice([1000, 2500, 5000, 1234]))

        def give(method: str) -> Callable[[Session], str]:
            def start(session: Session) -> str:
                return tips.give_tip(session, order_id=order_id, user_id=buyer, amount=amount, method=method, return_url=f"/orders/{order_id}").redirect_url

            return start

        if self.rng.random() < 0.4:
            self._twice("tip_wallet", give(tips.WALLET))
        else:
            self._on_sandbox("tip_card", give("sandbox"), self.rng.choice([GOOD_CARD, GOOD_CARD, DECLINED_CARD]))

    def _answer(self, order_id: int, buyer: int) -> None:
        if self._status(order_id) != OrderStatus.AWAITING_REQUIREMENTS.value:
            return
        with reading() as session:
            positions = list(session.exec(select(OrderRequirement.position).where(OrderRequirement.order_id == order_id)))
        self._twice("requirements", lifecycle.submit_requirements, order_id=order_id, user_id=buyer, answers={p: "نص تجريبي" for p in positions})

    def _work(self, order_id: int, buyer: int) -> None:
        with reading() as session:
            seller = session.exec(select(Order.seller_id).where(Order.id == order_id)).one()
        for _ in range(4):
            roll = self.rng.random()
            if roll < 0.08:
                self._dispute(order_id, self.rng.choice([buyer, seller]))
                return
            if roll < 0.16:
                self._cancel(order_id, buyer, seller)
                return
            if roll < 0.2:
                self._jump()
            self._try("deliver", lifecycle.deliver, order_id=order_id, user_id=seller, message="تم التسليم")
            if self.rng.random() < 0.3 and self._try("revision", lifecycle.request_revision, order_id=order_id, user_id=buyer, note="تعديل بسيط"):
                continue
            self._twice("accept", lifecycle.accept, order_id=order_id, user_id=buyer)
            return

    def _dispute(self, order_id: int, by: int) -> None:
        if not self._try("dispute", lifecycle.dispute, order_id=order_id, user_id=by, reason="خلاف على الجودة"):
            return
        outcome = self.rng.choice(["release", "refund", "cancel"])
        with reading() as session:
            subtotal = session.exec(select(Order.subtotal_minor).where(Order.id == order_id)).one()
        part = self.rng.randint(1, max(1, subtotal - 1))
        self._twice("resolve", lifecycle.resolve, order_id=order_id, admin_id=self.cast.admin, outcome=outcome, note="قرار الإدارة", refund_minor=part)

    def _cancel(self, order_id: int, buyer: int, seller: int) -> None:
        asker, other = self.rng.choice([(buyer, seller), (seller, buyer)])
        if not self._try("cancel_request", lifecycle.request_cancellation, order_id=order_id, user_id=asker, reason="ظرف طارئ"):
            return
        if self.rng.random() < 0.5:
            self._twice("cancel_accept", lifecycle.accept_cancellation, order_id=order_id, user_id=other)
        # otherwise silence: the 48-hour time-out cancels it at the next clock jump

    def _jump(self) -> None:
        """Run the jobs as if days had passed; orders other workers are playing may move under them."""
        moved = jobs.run_all(clock.now() + timedelta(days=self.rng.choice([2, 4, 16])))
        with self.lock:
            self.report.moves.update({f"job_{name}": count for name, count in moved.items()})

    def withdraw(self, seller: int) -> None:
        """Ask for most of what is available, twice at once; the admin pays or rejects it."""
        with reading() as session:
            available = ledger.balance(session, chart.seller_available(seller)).minor
        if available < withdrawals.MIN_WITHDRAWAL_MINOR:
            return
        amount = self.rng.randint(withdrawals.MIN_WITHDRAWAL_MINOR, available)
        form = withdrawals.parse_withdrawal({"amount": f"{amount // 100}.{amount % 100:02d}", "iban": IBAN, "holder_name": "بائع المحاكاة"})
        self._twice("withdraw", withdrawals.request, seller_id=seller, data=form)
        with reading() as session:
            pending = list(session.exec(select(Withdrawal.id).where(Withdrawal.seller_id == seller, Withdrawal.status == WithdrawalStatus.REQUESTED.value)))
        for withdrawal_id in pending:
            if self.rng.random() < 0.8:
                self._twice("payout", withdrawals.mark_paid, withdrawal_id=withdrawal_id, admin_id=self.cast.admin, bank_reference="SIM-TRANSFER")
            else:
                self._twice("payout_rejected", withdrawals.reject, withdrawal_id=withdrawal_id, admin_id=self.cast.admin, note="رفض تجريبي")


# -- the whole run ---------------------------------------------------------------------------


def simulate(*, orders: int, seed: int = 0, workers: int = 4) -> Report:
    """Play ``orders`` orders over ``workers`` threads, settle everything, and audit."""
    started = time.monotonic()
    people = cast()
    report, lock = Report(orders=orders, workers=workers, seconds=0.0), Lock()
    players = [Player(people, seed * 1000 + n, report, lock) for n in range(workers)]
    shares = [orders // workers + (1 if n < orders % workers else 0) for n in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda pair: [pair[0].play() for _ in range(pair[1])], zip(players, shares, strict=True)))
    report.moves.update({f"job_{name}": count for name, count in jobs.run_all(clock.now() + FUTURE).items()})
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda n: players[n % workers].withdraw(people.sellers[n]), range(len(people.sellers))))
    with reading() as session:
        report.breaches = [f"{b.rule}: {b.subject} {b.detail}" for b in ledger.check(session, closed_order_ids=audit.closed_order_ids(session))]
        report.breaches += [f"{b.rule}: {b.subject} {b.detail}" for b in audit.order_breaches(session)] + _bank_matches_payouts(session)
    report.seconds = time.monotonic() - started
    return report


def _bank_matches_payouts(session: Session) -> list[str]:
    """The simulation's bank account only ever pays sellers out (no gateway settlements run)."""
    paid_out = session.exec(
        select(func.coalesce(func.sum(Withdrawal.amount_minor), 0)).where(Withdrawal.status == WithdrawalStatus.PAID.value)
    ).one()
    bank = ledger.balance(session, chart.BANK).minor
    return [] if bank == -paid_out else [f"bank moved {bank}, but {paid_out} was paid out"]
