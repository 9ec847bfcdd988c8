"""The admins' list of gateway payments: every ``Payment`` with its order and buyer, filtered and paged in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from models.accounts import User
from models.orders import Order, Payment


@dataclass(frozen=True)
class PaymentFilter:
    """Which payments: a gateway, a status, created in [``since``, ``until``) (all optional)."""

    gateway: str = ""
    status: str = ""
    since: datetime | None = None
    until: datetime | None = None

    def where(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.gateway:
            conditions.append(col(Payment.gateway) == self.gateway)
        if self.status:
            conditions.append(col(Payment.status) == self.status)
        if self.since is not None:
            conditions.append(col(Payment.created_at) >= self.since)
        if self.until is not None:
            conditions.append(col(Payment.created_at) < self.until)
        return conditions


@dataclass(frozen=True)
class PaymentRow:
    payment: Payment
    gig_title: str
    buyer_name: str
    buyer_email: str


def count_payments(session: Session, where: PaymentFilter) -> int:
    return session.exec(select(func.count()).select_from(Payment).where(*where.where())).one()


def list_payments(session: Session, where: PaymentFilter, *, limit: int, offset: int) -> list[PaymentRow]:
    """Newest first, with the order's title and the buyer's name and e-mail."""
    found = session.exec(
        select(Payment, Order.gig_title, User.name, User.email)
        .join(Order, col(Order.id) == col(Payment.order_id))
        .join(User, col(User.id) == col(Payment.buyer_id))
        .where(*where.where())
        .order_by(col(Payment.created_at).desc(), col(Payment.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [PaymentRow(payment, title, name, email) for payment, title, name, email in found]


def gateway_names(session: Session) -> list[str]:
    """Every gateway a payment was made through (for the filter), plus none twice."""
    return sorted(session.exec(select(Payment.gateway).distinct()).all())
