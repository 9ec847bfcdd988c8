"""Design overview: the built-in sandbox gateway's own records.

The sandbox plays the part of a hosted payment gateway for pilots and tests, so it keeps what a
gateway keeps on its side: ``SandboxPayment`` is one payment from ``start`` to its final
outcome (``status`` is ``models.orders.PaymentStatus``; ``challenge_pending`` marks the OTP
step of the challenge test card), addressed by a random ``reference`` and made at most once per
caller ``idempotency_key``. ``SandboxRefund`` rows are the refunds of a paid payment, one per
idempotency key; ``refunded_minor`` on the payment is their sum and never exceeds the amount.
Mihan's own view of a payment (which order it pays) is ``models.orders.Payment``, not these.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.orders import PaymentStatus


class SandboxPayment(SQLModel, table=True):
    __tablename__ = "sandbox_payment"
    __table_args__ = (
        sa.CheckConstraint("amount_minor > 0", name="positive_amount"),
        sa.CheckConstraint("refunded_minor >= 0 AND refunded_minor <= amount_minor", name="refund_within_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, sa_column_kwargs={"unique": True})
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    description: str = Field(max_length=200)
    return_url: str = Field(max_length=500)
    metadata_json: str = Field(default="{}", sa_type=sa.Text)
    status: str = Field(default=PaymentStatus.INITIATED.value, max_length=16)
    message: str = Field(default="", max_length=60)  # a catalogue key: why it ended as it did
    challenge_pending: bool = Field(default=False)
    refunded_minor: int = Field(default=0, sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class SandboxRefund(SQLModel, table=True):
    __tablename__ = "sandbox_refund"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="positive_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="sandbox_payment.id", index=True)
    reference: str = Field(max_length=40, sa_column_kwargs={"unique": True})
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    amount_minor: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
