"""What an invoice or credit note says, as plain frozen values the builder turns into UBL.

The invoicing service maps an order's stored amounts onto these, never recomputing prices:
- the platform's commission invoice (docs/domain.md, agent model) is one ``Line`` of
  ``Money(order.commission_minor)`` at ``TaxCategory.standard(order.vat_rate_bp)``; its VAT comes
  out equal to ``order.commission_vat_minor`` because both are the same half-up ``percent``;
- a buyer-fee invoice is the same with ``buyer_fee_minor`` and ``buyer_fee_vat_minor``;
- a deemed-supplier invoice (an unregistered seller) has one line per package, extra and fee.
Quantities are whole numbers, as the marketplace sells them, so a line's net amount is exact.

Only SAR documents are built: ZATCA wants tax totals in SAR (BR-KSA-EN16931-02), and an
invoice in another currency would also need the exchange rate and the SAR total (BT-111).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from app.core.money import Money
from app.invoices.zatca.errors import ensure
from app.invoices.zatca.parties import Party
from app.invoices.zatca.tax import TaxCategory

CURRENCY = "SAR"


class InvoiceKind(StrEnum):
    """The invoice subtype, positions 1-2 of KSA-2: who buys, and so how ZATCA sees it."""

    STANDARD = "01"  # a tax invoice to a business, cleared by ZATCA before it is shared
    SIMPLIFIED = "02"  # to a consumer, stamped by us and reported within 24 hours


class DocumentType(StrEnum):
    """UN/CEFACT 1001 codes (BT-3) for the documents this package builds."""

    INVOICE = "388"
    CREDIT_NOTE = "381"


class PaymentMeans(StrEnum):
    """UN/CEFACT 4461 codes ZATCA accepts (BT-81)."""

    CASH = "10"
    CREDIT = "30"
    BANK_ACCOUNT = "42"
    BANK_CARD = "48"
    OTHER = "1"


@dataclass(frozen=True)
class Line:
    """One invoiced item: ``quantity`` units at ``unit_price`` before VAT."""

    name: str
    quantity: int
    unit_price: Money
    tax: TaxCategory
    unit_code: str = "PCE"  # UN/ECE Recommendation 20

    def __post_init__(self) -> None:
        ensure(bool(self.name.strip()), "BR-25", "a line names its item")
        ensure(type(self.quantity) is int and self.quantity > 0, "BR-KSA-F-04", "a quantity is a whole number above 0")
        ensure(self.unit_price.minor >= 0, "BR-KSA-F-04", "a price is not negative")

    @property
    def amount(self) -> Money:
        """The line net amount (BT-131)."""
        return Money(self.unit_price.minor * self.quantity, self.unit_price.currency)


@dataclass(frozen=True)
class Allowance:
    """A document-level discount (BG-20); ZATCA allows no charges (BR-KSA-F-02)."""

    amount: Money
    reason: str
    tax: TaxCategory

    def __post_init__(self) -> None:
        ensure(self.amount.minor > 0, "BR-KSA-F-04", "an allowance is above zero")
        ensure(bool(self.reason.strip()), "BR-KSA-F-03", "an allowance says why")


@dataclass(frozen=True)
class InvoiceReference:
    """The invoice a credit note corrects, with what the service knows of its money."""

    number: str
    issue_date: date
    total: Money  # its total with VAT (BT-112)
    already_credited: Money | None = None  # by earlier credit notes

    @property
    def creditable(self) -> Money:
        """What is left to credit on it."""
        return self.total - (self.already_credited or Money(0, self.total.currency))


@dataclass(frozen=True)
class CreditNote:
    """Makes a document a credit note for ``original``, for ``reason`` (KSA-10)."""

    original: InvoiceReference
    reason: str

    def __post_init__(self) -> None:
        ensure(bool(self.reason.strip()), "BR-KSA-17", "a credit note states its reason")
        ensure(bool(self.original.number.strip()), "BR-KSA-56", "a credit note names its invoice")


@dataclass(frozen=True)
class InvoiceDocument:
    """A tax invoice, or with ``credit`` a credit note, before it is numbered into the chain."""

    number: str
    uuid: UUID
    issued_at: datetime
    kind: InvoiceKind
    seller: Party
    lines: tuple[Line, ...]
    payment_means: PaymentMeans
    buyer: Party | None = None
    supply_date: date | None = None
    allowances: tuple[Allowance, ...] = ()
    credit: CreditNote | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "allowances", tuple(self.allowances))
        ensure(bool(self.number.strip()), "BR-02", "a document has a number")
        ensure(bool(self.lines), "BR-16", "a document has at least one line")
        ensure(self.issued_at.utcoffset() is not None, "BR-KSA-70", "the issue time is an aware datetime")
        ensure(all(money.currency == CURRENCY for money in self._amounts()), "BR-KSA-CL-02", "amounts are in SAR")

    @property
    def document_type(self) -> DocumentType:
        return DocumentType.CREDIT_NOTE if self.credit else DocumentType.INVOICE

    def _amounts(self) -> list[Money]:
        amounts = [line.unit_price for line in self.lines] + [item.amount for item in self.allowances]
        if self.credit:
            amounts += [self.credit.original.total, self.credit.original.creditable]
        return amounts
