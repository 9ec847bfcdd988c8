"""What a person holds on the platform, read from the ledger: balances and their history.

Balances are the ledger's cached account balances (rebuilt from entries by ``mihan ledger
rebuild``); the seller's pending money is also listed per order (and per tip, which clears on
its own date) with the date it becomes available, as Fiverr's "pending clearance" does, so a
seller can see when to expect it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.core.money import Money
from app.ledger import balance, chart
from models.ledger import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction
from models.orders import Order, OrderStatus, OrderTip, TipStatus


UPCOMING = 100  # pending earnings listed at most


@dataclass(frozen=True)
class PendingEarning:
    order_id: int
    title: str
    net: Money
    clears_at: datetime
    is_tip: bool = False  # a tip on the order, clearing on its own date


@dataclass(frozen=True)
class SellerBalances:
    pending: Money
    available: Money
    withdrawing: Money
    upcoming: list[PendingEarning]


@dataclass(frozen=True)
class HistoryLine:
    """One movement on one of the person's accounts (positive: money in)."""

    at: datetime
    account: str  # wallet | pending | available | withdrawing
    kind: str  # the ledger transaction kind: payment, completion, clearance, ...
    amount: Money
    order_id: int | None


def buyer_balance(session: Session, user_id: int, currency: str = "SAR") -> Money:
    """The buyer's wallet (refunds), usable to pay for orders."""
    return balance(session, chart.buyer_wallet(user_id), currency)


def seller_balances(session: Session, user_id: int, currency: str = "SAR") -> SellerBalances:
    """The seller's three balances and the orders and tips whose earnings are still clearing."""
    orders = session.exec(
        select(Order.id, Order.gig_title, Order.seller_net_minor, Order.currency, Order.clears_at)
        .where(
            Order.seller_id == user_id,
            col(Order.status).in_([OrderStatus.COMPLETED.value, OrderStatus.REFUNDED.value]),
            col(Order.cleared_at).is_(None),
            col(Order.clears_at).is_not(None),
            Order.seller_net_minor > 0,
        )
        .order_by(col(Order.clears_at), col(Order.id))
        .limit(UPCOMING)
    )
    tips = session.exec(
        select(Order.id, Order.gig_title, OrderTip.seller_net_minor, OrderTip.currency, OrderTip.clears_at)
        .join(Order, col(Order.id) == OrderTip.order_id)
        .where(
            OrderTip.seller_id == user_id,
            OrderTip.status == TipStatus.PAID.value,
            col(OrderTip.cleared_at).is_(None),
            col(OrderTip.clears_at).is_not(None),
        )
        .order_by(col(OrderTip.clears_at), col(OrderTip.id))
        .limit(UPCOMING)
    )
    upcoming = [PendingEarning(order_id, title, Money(net, cur), clears_at) for order_id, title, net, cur, clears_at in orders]
    upcoming += [PendingEarning(order_id, title, Money(net, cur), clears_at, is_tip=True) for order_id, title, net, cur, clears_at in tips]
    return SellerBalances(
        pending=balance(session, chart.seller_pending(user_id), currency),
        available=balance(session, chart.seller_available(user_id), currency),
        withdrawing=balance(session, chart.seller_withdrawing(user_id), currency),
        upcoming=sorted(upcoming, key=lambda earning: (earning.clears_at, earning.order_id, earning.is_tip))[:UPCOMING],
    )


def count_history(session: Session, user_id: int) -> int:
    """How many movements ``history`` can page through."""
    query = select(func.count()).select_from(LedgerEntry).join(LedgerAccount, col(LedgerAccount.id) == LedgerEntry.account_id)
    return session.exec(query.where(LedgerAccount.owner_id == user_id)).one()


def history(session: Session, user_id: int, *, limit: int = 50, offset: int = 0) -> list[HistoryLine]:
    """The person's movements, newest first, paged in SQL."""
    rows = session.exec(
        select(LedgerTransaction.created_at, LedgerAccount.code, LedgerAccount.kind, LedgerTransaction.kind, LedgerEntry.amount_minor, LedgerEntry.currency, LedgerTransaction.order_id)
        .join(LedgerAccount, col(LedgerAccount.id) == LedgerEntry.account_id)
        .join(LedgerTransaction, col(LedgerTransaction.id) == LedgerEntry.transaction_id)
        .where(LedgerAccount.owner_id == user_id)
        .order_by(col(LedgerTransaction.created_at).desc(), col(LedgerEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return [
        HistoryLine(at, code.rsplit(":", 1)[-1], kind, Money(AccountKind(account_kind).sign * amount, currency), order_id)
        for at, code, account_kind, kind, amount, currency, order_id in rows
    ]
