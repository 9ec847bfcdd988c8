"""Design overview: orders, their timeline, deliveries, payments, withdrawals and notifications.

An ``Order`` freezes what the buyer bought at checkout (the package, the extras and the money
breakdown the tax invoices need) so later gig edits never change a placed order. It moves
through the states of docs/domain.md; every move writes an ``OrderEvent`` (the timeline) and,
when money moves, a ledger transaction in the same database transaction. Requirements answers,
deliveries and their files hang off the order; files live in private storage. ``Payment`` rows
track a gateway payment from start to its verified result, for the order's total or (with
``tip_id``) for a tip; a ``CardRefund`` is money owed back to the card that paid an order (a
refund the buyer or the admin sent to the card), from its booking to the gateway's answer;
``Withdrawal`` rows are a seller's payout requests. ``Notification`` rows
are the queue the notification centre reads.

An ``OrderTip`` is the buyer's gift after completion (one per order, as on Fiverr). It freezes
its own commission, VAT and seller net at tipping time, for the tax invoices, and clears on its
own clock. Tips never touch the order's escrow: the money goes from the payer straight to the
seller's pending balance, the commission and the VAT.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class OrderStatus(StrEnum):
    PLACED = "placed"  # created, not paid yet
    AWAITING_REQUIREMENTS = "awaiting_requirements"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    DISPUTED = "disputed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentStatus(StrEnum):
    INITIATED = "initiated"
    PAID = "paid"
    FAILED = "failed"


class TipStatus(StrEnum):
    INITIATED = "initiated"  # chosen; a card payment for it may be pending
    PAID = "paid"


class CardRefundStatus(StrEnum):
    PENDING = "pending"  # booked in our ledger, the gateway not (yet) told
    DONE = "done"  # the gateway refunded the card
    FAILED = "failed"  # given up: the money went back to the buyer's wallet


class WithdrawalStatus(StrEnum):
    REQUESTED = "requested"
    PAID = "paid"
    REJECTED = "rejected"


class Order(SQLModel, table=True):
    __tablename__ = "gig_order"  # "order" is an SQL keyword
    __table_args__ = (
        sa.Index("ix_gig_order_buyer_status", "buyer_id", "status"),
        sa.Index("ix_gig_order_seller_status", "seller_id", "status"),
        sa.Index("ix_gig_order_status_due", "status", "due_at"),
        sa.Index("ix_gig_order_status_delivered", "status", "delivered_at"),
        sa.Index("ix_gig_order_status_clears", "status", "clears_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="user_account.id")
    seller_id: int = Field(foreign_key="user_account.id")
    gig_id: int = Field(foreign_key="gig.id", index=True)
    status: str = Field(default=OrderStatus.PLACED.value, max_length=24)
    # what was bought, frozen at checkout
    gig_title: str = Field(max_length=120)
    package_tier: str = Field(max_length=16)
    package_name: str = Field(max_length=80)
    quantity: int = Field(default=1)
    delivery_days: int
    revisions_allowed: int = Field(default=0)
    revisions_used: int = Field(default=0)
    # money, in minor units of ``currency``: the amounts the tax invoices are issued from
    currency: str = Field(default="SAR", max_length=3)
    subtotal_minor: int = Field(default=0, sa_type=sa.BigInteger)  # packages × quantity + extras
    tip_minor: int = Field(default=0, sa_type=sa.BigInteger)
    buyer_fee_minor: int = Field(default=0, sa_type=sa.BigInteger)
    buyer_fee_vat_minor: int = Field(default=0, sa_type=sa.BigInteger)
    total_minor: int = Field(default=0, sa_type=sa.BigInteger)  # what the buyer pays
    commission_rate_bp: int = Field(default=0)  # basis points: 2000 = 20%
    commission_rule: str = Field(default="default", max_length=16)
    vat_country: str = Field(default="SA", max_length=2)
    vat_rate_bp: int = Field(default=0)
    commission_minor: int = Field(default=0, sa_type=sa.BigInteger)
    commission_vat_minor: int = Field(default=0, sa_type=sa.BigInteger)
    seller_net_minor: int = Field(default=0, sa_type=sa.BigInteger)
    refunded_minor: int = Field(default=0, sa_type=sa.BigInteger)
    # deemed supplier (docs/architecture.md, Invoices): the platform sells the whole service, so
    # the buyer pays VAT on subtotal + buyer fee, invoiced at payment; frozen at checkout
    deemed_supplier: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    full_price_vat_minor: int = Field(default=0, sa_type=sa.BigInteger, sa_column_kwargs={"server_default": "0"})
    refunded_vat_minor: int = Field(default=0, sa_type=sa.BigInteger, sa_column_kwargs={"server_default": "0"})  # part of refunded_minor
    payment_method: str = Field(default="", max_length=16)  # "wallet" or a gateway's name
    # the clock
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    paid_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    started_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    due_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    delivered_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    clears_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))  # earnings available on
    cleared_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    is_late: bool = Field(default=False)
    # a pending cancellation request, answered by the other party within the window
    cancel_requested_by: int | None = Field(default=None)
    cancel_requested_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    cancel_reason: str = Field(default="", max_length=500)
    status_before_dispute: str = Field(default="", max_length=24)


class OrderExtra(SQLModel, table=True):
    """An extra bought with the order, copied from the gig at checkout."""

    __tablename__ = "order_extra"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", index=True)
    title: str = Field(max_length=80)
    price_minor: int = Field(sa_type=sa.BigInteger)
    added_days: int = Field(default=0)


class OrderRequirement(SQLModel, table=True):
    """A requirements question copied from the gig at checkout, and the buyer's answer."""

    __tablename__ = "order_requirement"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", index=True)
    position: int = Field(default=0)
    question: str = Field(max_length=300)
    kind: str = Field(max_length=16)
    choices: str = Field(default="", max_length=1000)
    required: bool = Field(default=True)
    answer: str = Field(default="", sa_type=sa.Text)


class OrderEvent(SQLModel, table=True):
    """One line of an order's timeline: who did what, when, with an optional note."""

    __tablename__ = "order_event"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")  # None: the platform
    kind: str = Field(max_length=32)
    note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class OrderDelivery(SQLModel, table=True):
    __tablename__ = "order_delivery"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", index=True)
    number: int
    message: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class OrderFile(SQLModel, table=True):
    """A file attached to a delivery or to the requirements, kept in private storage."""

    __tablename__ = "order_file"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", index=True)
    delivery_id: int | None = Field(default=None, foreign_key="order_delivery.id")
    uploaded_by: int = Field(foreign_key="user_account.id")
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})  # the private file's name
    name: str = Field(max_length=200)
    mime: str = Field(max_length=80)
    size_bytes: int = Field(default=0)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class OrderTip(SQLModel, table=True):
    """A tip the buyer gave after completion, with the money breakdown frozen when it was given."""

    __tablename__ = "order_tip"
    __table_args__ = (
        sa.CheckConstraint("amount_minor > 0", name="positive_amount"),
        sa.Index("ix_order_tip_status_clears", "status", "clears_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", sa_column_kwargs={"unique": True})  # one tip per order
    buyer_id: int = Field(foreign_key="user_account.id")
    seller_id: int = Field(foreign_key="user_account.id", index=True)
    currency: str = Field(default="SAR", max_length=3)
    amount_minor: int = Field(sa_type=sa.BigInteger)  # what the buyer pays
    commission_rate_bp: int = Field(default=0)
    commission_minor: int = Field(default=0, sa_type=sa.BigInteger)
    commission_vat_minor: int = Field(default=0, sa_type=sa.BigInteger)
    vat_country: str = Field(default="SA", max_length=2)
    vat_rate_bp: int = Field(default=0)
    seller_net_minor: int = Field(default=0, sa_type=sa.BigInteger)
    status: str = Field(default=TipStatus.INITIATED.value, max_length=16)
    payment_method: str = Field(default="", max_length=24)  # "wallet" or a gateway's name
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    paid_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    clears_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    cleared_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class Payment(SQLModel, table=True):
    """One attempt to pay an order (or its tip) through a gateway, from start to its verified result."""

    __tablename__ = "payment"
    __table_args__ = (sa.UniqueConstraint("gateway", "reference", name="uq_payment_gateway_reference"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", index=True)
    tip_id: int | None = Field(default=None, foreign_key="order_tip.id", index=True)  # None: the order's total
    buyer_id: int = Field(foreign_key="user_account.id")
    gateway: str = Field(max_length=24)
    reference: str = Field(max_length=100)  # the gateway's payment id
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    status: str = Field(default=PaymentStatus.INITIATED.value, max_length=16)
    failure: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class CardRefund(SQLModel, table=True):
    """A refund owed back to the card that paid an order: written in the refunding transaction,
    made at the gateway after it commits (``app.orders.card_refunds``), at most one per order."""

    __tablename__ = "card_refund"
    __table_args__ = (
        sa.CheckConstraint("amount_minor > 0", name="positive_amount"),
        sa.Index("ix_card_refund_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id", sa_column_kwargs={"unique": True})
    payment_id: int = Field(foreign_key="payment.id", index=True)  # the card payment that paid the order
    buyer_id: int = Field(foreign_key="user_account.id")
    gateway: str = Field(max_length=24)
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})  # also the ledger key
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    status: str = Field(default=CardRefundStatus.PENDING.value, max_length=16)
    attempts: int = Field(default=0)
    failure: str = Field(default="", max_length=200)  # the last refusal's catalogue key
    gateway_reference: str = Field(default="", max_length=100)  # the gateway's refund id once done
    next_attempt_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class Withdrawal(SQLModel, table=True):
    """A seller's request to be paid out to their bank account, and how it ended."""

    __tablename__ = "withdrawal"
    __table_args__ = (sa.Index("ix_withdrawal_status_created", "status", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="user_account.id", index=True)
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    iban: str = Field(max_length=34)
    holder_name: str = Field(max_length=120)
    status: str = Field(default=WithdrawalStatus.REQUESTED.value, max_length=16)
    bank_reference: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    decided_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")


class Notification(SQLModel, table=True):
    """Something a person should hear about; the notification centre and mail read this queue."""

    __tablename__ = "notification"
    __table_args__ = (
        sa.Index("ix_notification_user_read", "user_id", "read_at"),
        # the bell's newest-first page of one person's notifications
        sa.Index("ix_notification_user_newest", "user_id", "created_at"),
        # the mail job's candidates: rows still waiting, oldest first
        sa.Index("ix_notification_mail_state_created", "mail_state", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(max_length=40)
    order_id: int | None = Field(default=None, foreign_key="gig_order.id")
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    read_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # e-mail: NULL while waiting for the mail job; then sent, skipped (preference off, read in
    # time, too old) or merged (into another row's mail); mailed_at is when the job decided
    mail_state: str | None = Field(default=None, max_length=8)
    mailed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
