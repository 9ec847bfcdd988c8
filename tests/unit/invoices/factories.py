"""Documents, parties and credentials for the ZATCA tests: valid by default, overridable."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from uuid import UUID

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from app.core.money import Money
from app.invoices.zatca import (
    Address,
    CreditNote,
    InvoiceDocument,
    InvoiceKind,
    InvoiceReference,
    Line,
    Party,
    PartyId,
    PaymentMeans,
    SigningCredentials,
    TaxCategory,
    ZatcaError,
    first_link,
    generate_private_key,
    self_signed_certificate,
)

ISSUED_AT = datetime(2026, 3, 1, 9, 30, 15, tzinfo=UTC)
SELLER_VAT = "310122393500003"
BUYER_VAT = "311111111111113"
COMMISSION_WITH_VAT = Money(2_300)  # what simplified_invoice() and standard_invoice() total


def seller() -> Party:
    """The platform as the supplier: the full Saudi national address and a CRN."""
    address = Address(
        street="طريق الملك فهد",
        city="الرياض",
        postal_code="12271",
        building_number="2322",
        district="العليا",
        additional_number="8125",
    )
    return Party("شركة مهن للخدمات الرقمية", address, SELLER_VAT, PartyId("CRN", "1010101010"))


def business_buyer() -> Party:
    """A VAT-registered seller being invoiced for commission, as a standard invoice needs."""
    address = Address(street="شارع التحلية", city="جدة", postal_code="23431", building_number="7788", district="الروضة")
    return Party("استوديو الصوت الذهبي", address, BUYER_VAT)


def commission_line(minor: int = 2_000) -> Line:
    return Line("عمولة الطلب رقم ١٢٣", 1, Money(minor), TaxCategory.standard())


def simplified_invoice(**changes: object) -> InvoiceDocument:
    document = InvoiceDocument(
        number="MHN-2026-000001",
        uuid=UUID("3f9bfa3f-2d5d-450a-967d-351b05c62947"),
        issued_at=ISSUED_AT,
        kind=InvoiceKind.SIMPLIFIED,
        seller=seller(),
        lines=(commission_line(),),
        payment_means=PaymentMeans.BANK_CARD,
        buyer=Party("سارة أحمد"),
    )
    return dataclasses.replace(document, **changes)  # type: ignore[arg-type]


def standard_invoice(**changes: object) -> InvoiceDocument:
    return simplified_invoice(
        **{"kind": InvoiceKind.STANDARD, "buyer": business_buyer(), "supply_date": date(2026, 2, 28), **changes}
    )


def credit_note(original_total: Money = COMMISSION_WITH_VAT, **changes: object) -> InvoiceDocument:
    """A refund of a standard invoice's whole commission."""
    original = InvoiceReference("MHN-2026-000001", date(2026, 3, 1), original_total)
    return standard_invoice(
        **{"number": "MHN-2026-000002", "credit": CreditNote(original, "استرداد بعد إلغاء الطلب"), **changes}
    )


@cache
def credentials() -> SigningCredentials:
    """A secp256k1 key and its self-signed simulation certificate (made once per run)."""
    key = generate_private_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mihan test EGS")])
    return SigningCredentials(key, self_signed_certificate(key, name, valid_from=ISSUED_AT))


LINK = first_link()


def refusal(action: Callable[[], object]) -> str:
    """The rule ``action`` is refused under; it fails the test if ``action`` is accepted."""
    with pytest.raises(ZatcaError) as refused:
        action()
    return refused.value.rule
