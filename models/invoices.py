"""Design overview: the platform's tax invoices and credit notes, and each EGS unit's chain.

An ``Invoice`` row is one issued document (ZATCA UBL 2.1, stamped): tax invoice (388) or credit
note (381), simplified or standard, numbered in the chain of its e-invoicing unit (``unit``):
the invoice counter ``icv`` and the previous document's hash ``pih``. Its totals, in minor units,
are copied from the order's frozen money, never recomputed later; ``xml`` and ``qr`` are the
exact stamped document. Rows are never updated: a correction is a credit note that refers to
its invoice through ``original_invoice_id``.

Two unique keys make double issuing impossible whatever the code does: ``(unit, icv)`` (the chain
cannot fork) and ``(order_id, purpose, kind, event)`` (one document per order event, so a replayed
completion or refund finds the first one). ``InvoiceChain`` keeps each unit's last counter and
hash; the invoicing service reads and advances it under a row lock in the same transaction as
the money.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class InvoiceKind(StrEnum):
    """UN/CEFACT 1001 document codes."""

    INVOICE = "388"
    CREDIT_NOTE = "381"


class InvoiceType(StrEnum):
    """ZATCA's subtype: simplified (B2C, reported) or standard (B2B, cleared)."""

    SIMPLIFIED = "simplified"
    STANDARD = "standard"


class InvoicePurpose(StrEnum):
    """What the platform invoices (docs/domain.md, Tax invoices)."""

    COMMISSION = "commission"  # commission + VAT, to the seller (agent model)
    BUYER_FEE = "buyer_fee"  # the buyer service fee + VAT, to the buyer
    TIP_COMMISSION = "tip_commission"  # the commission + VAT on a tip, to the seller
    FULL_PRICE = "full_price"  # deemed supplier: the whole service (lines: package, extras, fee), to the buyer


class Invoice(SQLModel, table=True):
    __tablename__ = "invoice"
    __table_args__ = (
        sa.UniqueConstraint("unit", "icv", name="uq_invoice_unit_icv"),
        sa.UniqueConstraint("unit", "number", name="uq_invoice_unit_number"),
        sa.UniqueConstraint("order_id", "purpose", "kind", "event", name="uq_invoice_order_event"),
        sa.CheckConstraint("net_minor >= 0 AND vat_minor >= 0 AND gross_minor = net_minor + vat_minor", name="totals"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32)  # INV-2026-000001 / CN-2026-000002, from the unit's counter
    uuid: str = Field(max_length=36, sa_column_kwargs={"unique": True})
    kind: str = Field(max_length=3)  # InvoiceKind
    type: str = Field(max_length=12)  # InvoiceType
    unit: str = Field(max_length=64)  # the EGS unit whose chain numbers it
    icv: int
    pih: str = Field(max_length=100)
    hash: str = Field(max_length=64)
    order_id: int = Field(foreign_key="gig_order.id", index=True)
    purpose: str = Field(max_length=16)  # InvoicePurpose
    event: str = Field(max_length=64)  # the order event it invoices: payment, completion, refund ...
    issuer_id: int | None = Field(default=None, foreign_key="user_account.id")  # None: the platform
    issuer_name: str = Field(max_length=200)
    recipient_id: int = Field(foreign_key="user_account.id", index=True)
    recipient_name: str = Field(max_length=200)
    currency: str = Field(default="SAR", max_length=3)
    net_minor: int = Field(sa_type=sa.BigInteger)
    vat_minor: int = Field(sa_type=sa.BigInteger)
    gross_minor: int = Field(sa_type=sa.BigInteger)
    original_invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    reason: str = Field(default="", max_length=500)
    xml: str = Field(sa_type=sa.Text)
    qr: str = Field(sa_type=sa.Text)
    issued_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class InvoiceChain(SQLModel, table=True):
    """The last link of an EGS unit's chain; locked while a document is numbered."""

    __tablename__ = "invoice_chain"

    unit: str = Field(primary_key=True, max_length=64)
    last_icv: int = Field(default=0)
    last_hash: str = Field(max_length=100)
