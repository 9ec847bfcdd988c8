"""Design overview: what the gateways keep on our side — the sandbox's records, Moyasar's links.

The sandbox plays the part of a hosted payment gateway for pilots and tests, so it keeps what a
gateway keeps on its side: ``SandboxPayment`` is one payment from ``start`` to its final
outcome (``status`` is ``models.orders.PaymentStatus``; ``challenge_pending`` marks the OTP
step of the challenge test card), addressed by a random ``reference`` and made at most once per
caller ``idempotency_key``. ``SandboxRefund`` rows are the refunds of a paid payment, one per
idempotency key; ``refunded_minor`` on the payment is their sum and never exceeds the amount.
Mihan's own view of a payment (which order it pays) is ``models.orders.Payment``, not these.

Moyasar keeps the payment itself; ``MoyasarInvoice`` links our ``reference`` (what checkout's
``Payment.reference`` holds and the buyer's return URL carries) and idempotency key to the
Moyasar invoice made for them, with the amount that was asked for, so a record changed at the
gateway is caught. ``MoyasarRefund`` rows are the refunds made through Mihan, one per
idempotency key, with Moyasar's ``refunded`` total after each; ``MoyasarWebhookEvent`` rows are
the webhook events already handled (Moyasar's event id) and the result each gave, so a replay
is answered without asking Moyasar again.

PayTabs keeps the payment too; ``PaytabsPayment`` links our ``reference`` (also the ``cart_id``
PayTabs knows it by) and idempotency key to PayTabs' ``tran_ref`` once the hosted page is made,
with the amount asked for and the site path the buyer returns to. ``PaytabsRefund`` rows are the
refunds made through Mihan (each its own ``cart_id``, so a lost answer can be looked up before
refunding again); ``PaytabsNotification`` rows are the signed callbacks already handled (by the
digest of their raw body) and the verified result each gave.

Stripe keeps the payment too; ``StripeCheckout`` links our ``reference`` (the Checkout Session's
``client_reference_id``) and idempotency key to the session Stripe made, with the amount asked
for; ``StripeRefund`` rows are the refunds made through Mihan, one per idempotency key (which is
also the ``Idempotency-Key`` Stripe saw); ``StripeWebhookEvent`` rows are the events already
handled (Stripe's ``evt_…`` id) and the verified result each gave.

A bank transfer is a manual gateway: ``BankTransfer`` is one transfer Mihan asked a buyer to
make to the platform's IBAN, from ``start`` to an admin's decision. Its short ``reference``
(``MH-7K3Q9P``) is what the buyer writes in the transfer's description and what checkout's
``Payment.reference`` holds; ``status`` is pending until an admin confirms (the money is in the
account) or rejects it (with a ``reason`` the buyer reads), or ``due_at`` passes and the job
expires it. The buyer's receipt is a private file (``receipt_token`` names it), replaceable while
the transfer is pending.

Admins' gateway settings (``GatewaySetting``: enabled, mode, plain fields, and the secret ones
as one encrypted token) override the environment; ``GatewaySettingChange`` audits who changed
which field and when. ``WebhookLog`` keeps every delivery to the webhook and return routes with
its verification outcome, for admins, for a bounded time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.orders import PaymentStatus


class TransferStatus(StrEnum):
    PENDING = "pending"  # waiting for the money (and the receipt) and an admin's look
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    EXPIRED = "expired"


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


class MoyasarInvoice(SQLModel, table=True):
    __tablename__ = "moyasar_invoice"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="positive_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, sa_column_kwargs={"unique": True})
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    invoice_id: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})  # None until Moyasar answers
    url: str = Field(default="", max_length=500)  # Moyasar's hosted page for the invoice
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class MoyasarRefund(SQLModel, table=True):
    __tablename__ = "moyasar_refund"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="positive_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_row_id: int = Field(foreign_key="moyasar_invoice.id", index=True)
    payment_id: str = Field(max_length=64)  # Moyasar's id of the refunded payment
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    amount_minor: int = Field(sa_type=sa.BigInteger)
    refunded_after_minor: int = Field(sa_type=sa.BigInteger)  # Moyasar's ``refunded`` once this refund was made
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class RememberedResult(SQLModel):
    """The columns a gateway's notification row keeps of the verified result it gave
    (``app.payments._rows.remembered``), so a replay is answered from them."""

    reference: str = Field(max_length=40)  # ours (the gateway's link row's ``reference``)
    status: str = Field(max_length=16)  # the verified result the event gave
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    refunded_minor: int = Field(default=0, sa_type=sa.BigInteger)
    message: str = Field(default="", max_length=200)
    received_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class MoyasarWebhookEvent(RememberedResult, table=True):
    __tablename__ = "moyasar_webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    type: str = Field(max_length=40)


class PaytabsPayment(SQLModel, table=True):
    __tablename__ = "paytabs_payment"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="positive_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, sa_column_kwargs={"unique": True})  # also PayTabs' cart_id
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    tran_ref: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})  # None until PayTabs answers
    url: str = Field(default="", max_length=500)  # PayTabs' hosted payment page
    return_url: str = Field(max_length=500)  # the site path the buyer comes back to
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class PaytabsRefund(SQLModel, table=True):
    __tablename__ = "paytabs_refund"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="positive_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_row_id: int = Field(foreign_key="paytabs_payment.id", index=True)
    cart_id: str = Field(max_length=40, sa_column_kwargs={"unique": True})  # the refund's own cart_id at PayTabs
    tran_ref: str = Field(max_length=64)  # PayTabs' reference of the refund transaction
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    amount_minor: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class PaytabsNotification(RememberedResult, table=True):
    __tablename__ = "paytabs_notification"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(max_length=64, sa_column_kwargs={"unique": True})  # SHA-256 of the raw body
    tran_ref: str = Field(max_length=64)


class StripeCheckout(SQLModel, table=True):
    """Our link to the Stripe Checkout Session made for ``reference`` (and its PaymentIntent once paid)."""

    __tablename__ = "stripe_checkout"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="positive_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, sa_column_kwargs={"unique": True})  # also the session's client_reference_id
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    session_id: str | None = Field(default=None, max_length=255, sa_column_kwargs={"unique": True})  # None until Stripe answers
    url: str = Field(default="", max_length=1000)  # Stripe's hosted Checkout page
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class StripeRefund(SQLModel, table=True):
    __tablename__ = "stripe_refund"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="positive_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    checkout_id: int = Field(foreign_key="stripe_checkout.id", index=True)
    refund_id: str = Field(max_length=255)  # Stripe's re_…
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    amount_minor: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class StripeWebhookEvent(RememberedResult, table=True):
    """A Stripe event already handled (by its evt_… id) and the verified result it gave."""

    __tablename__ = "stripe_webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=255, sa_column_kwargs={"unique": True})
    type: str = Field(max_length=60)


class BankTransfer(SQLModel, table=True):
    __tablename__ = "bank_transfer"
    __table_args__ = (
        sa.CheckConstraint("amount_minor > 0", name="positive_amount"),
        sa.Index("ix_bank_transfer_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16, sa_column_kwargs={"unique": True})  # MH-XXXXXX: the buyer writes it in the transfer
    idempotency_key: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    return_url: str = Field(max_length=500)  # the site path that shows the instructions
    status: str = Field(default=TransferStatus.PENDING.value, max_length=16)
    due_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    receipt_token: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})
    receipt_name: str = Field(default="", max_length=200)
    receipt_mime: str = Field(default="", max_length=80)
    receipt_size: int = Field(default=0)
    receipt_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    bank_reference: str = Field(default="", max_length=100)  # the bank's own reference, typed by the admin
    reason: str = Field(default="", max_length=500)  # why it was rejected, as the buyer reads it
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class GatewaySetting(SQLModel, table=True):
    """An admin's settings of one gateway, over the environment's (``app.payments.config``).

    ``values_json`` keeps the plain fields (PayTabs' profile id and region); ``secrets`` is one
    Fernet token of the secret ones (keys, webhook secrets) under the data dir's
    ``gateway-settings.key``, never stored or shown in clear.
    """

    __tablename__ = "gateway_setting"

    id: int | None = Field(default=None, primary_key=True)
    gateway: str = Field(max_length=24, sa_column_kwargs={"unique": True})
    enabled: bool = Field(default=False)
    live: bool = Field(default=False)  # test or live mode
    values_json: str = Field(default="{}", sa_type=sa.Text)
    secrets: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_by: int | None = Field(default=None, foreign_key="user_account.id")


class GatewaySettingChange(SQLModel, table=True):
    """Who changed which field of a gateway's settings, and when: never the value."""

    __tablename__ = "gateway_setting_change"
    __table_args__ = (sa.Index("ix_gateway_setting_change_gateway_at", "gateway", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    gateway: str = Field(max_length=24)
    field: str = Field(max_length=40)
    admin_id: int = Field(foreign_key="user_account.id")
    changed_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class WebhookLog(SQLModel, table=True):
    """One delivery to ``/payments/webhook/<gateway>`` or ``/payments/return/<gateway>``, accepted
    or refused: what it was, how verification ended, never a secret (a digest of the raw body and
    a redacted excerpt). Rows older than the retention are deleted by a job."""

    __tablename__ = "webhook_log"
    __table_args__ = (
        sa.Index("ix_webhook_log_received_at", "received_at"),
        sa.Index("ix_webhook_log_gateway_outcome_received", "gateway", "outcome", "received_at"),
        sa.Index("ix_webhook_log_digest", "digest"),
    )

    id: int | None = Field(default=None, primary_key=True)
    gateway: str = Field(max_length=24)
    channel: str = Field(max_length=8)  # webhook | return
    outcome: str = Field(max_length=24)  # ok, replay, bad_signature, unknown_payment, bad_body, ...
    reference: str = Field(default="", max_length=100)  # ours, when known
    digest: str = Field(max_length=64)  # SHA-256 of the raw body
    size: int = Field(default=0)
    excerpt: str = Field(default="", max_length=600)  # redacted, truncated
    source_ip: str = Field(default="", max_length=45)
    received_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
