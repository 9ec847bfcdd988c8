"""The business rules that need the whole document and its totals, checked before any XML.

Field-level rules live with their values (``parties``, ``tax``, ``document``); these are the ones
that depend on the kind of document, on a party's role, or on the computed amounts. Each check
names its rule, so a refusal says exactly which requirement of the standard was not met.
"""

from __future__ import annotations

from app.invoices.zatca.amounts import Totals
from app.invoices.zatca.document import InvoiceDocument, InvoiceKind
from app.invoices.zatca.errors import ZatcaError, ensure
from app.invoices.zatca.parties import BUYER_ID_SCHEMES, SELLER_ID_SCHEMES, Party
from app.invoices.zatca.tax import VatCategory


def ensure_issuable(document: InvoiceDocument, totals: Totals) -> None:
    """Refuse a document ZATCA would reject, or one the platform must never issue.

    Raises:
        ZatcaError: with the id of the first rule the document breaks.
    """
    ensure_seller(document.seller)
    if document.kind is InvoiceKind.STANDARD:
        _ensure_standard_buyer(document)
    _ensure_citizen_buyer_where_needed(document)
    _ensure_one_breakdown_per_category(document, totals)
    _ensure_positive(totals)
    _ensure_within_original(document, totals)


def ensure_seller(seller: Party) -> None:
    """A seller has a VAT number, a registration identifier and a full Saudi address."""
    ensure(seller.vat_number is not None, "BR-KSA-39", "the seller's VAT number is missing")
    ensure(
        seller.identification is not None and seller.identification.scheme in SELLER_ID_SCHEMES,
        "BR-KSA-08",
        f"the seller needs one identifier with a scheme of {', '.join(SELLER_ID_SCHEMES)}",
    )
    ensure(
        seller.address is not None and seller.address.country == "SA", "BR-KSA-09", "the seller needs a Saudi address"
    )


def _ensure_standard_buyer(document: InvoiceDocument) -> None:
    """A tax invoice names its buyer, their address and identity, and the supply date."""
    buyer = document.buyer
    if buyer is None:
        raise ZatcaError("BR-KSA-42", "a standard invoice names its buyer")
    ensure(buyer.address is not None, "BR-KSA-10", "a standard invoice has the buyer's address")
    ensure(
        buyer.vat_number is not None or buyer.identification is not None,
        "BR-KSA-14",
        f"a standard invoice's buyer has a VAT number or an identifier ({', '.join(BUYER_ID_SCHEMES)})",
    )
    ensure(document.supply_date is not None, "BR-KSA-15", "a standard invoice has its supply date")


def _ensure_citizen_buyer_where_needed(document: InvoiceDocument) -> None:
    """Zero-rated private education or healthcare names the buyer and their national ID."""
    if not any(item.tax.exemption and item.tax.exemption.needs_citizen_buyer for item in document.lines):
        return
    buyer = document.buyer
    ensure(
        buyer is not None and buyer.identification is not None and buyer.identification.scheme == "NAT",
        "BR-KSA-49",
        "education and healthcare to citizens need the buyer's name and national ID",
    )


def _ensure_one_breakdown_per_category(document: InvoiceDocument, totals: Totals) -> None:
    """One breakdown per category (BR-Z-01, BR-E-01, BR-O-01), so one reason per exemption."""
    codes = [subtotal.tax.code for subtotal in totals.subtotals]
    for code in (VatCategory.ZERO_RATED, VatCategory.EXEMPT, VatCategory.OUT_OF_SCOPE):
        ensure(codes.count(code) <= 1, f"BR-{code}-01", f"all category {code} items share one reason")
    if VatCategory.OUT_OF_SCOPE in codes:
        ensure(
            all(item.tax.code is VatCategory.OUT_OF_SCOPE for item in document.allowances),
            "BR-O-13",
            "with out-of-scope items, allowances are out of scope too",
        )


def _ensure_positive(totals: Totals) -> None:
    """No category is discounted below zero, and the document is worth something."""
    ensure(
        all(subtotal.taxable.minor >= 0 for subtotal in totals.subtotals),
        "BR-KSA-F-04",
        "an allowance exceeds its lines",
    )
    ensure(totals.tax_inclusive.minor > 0, "BR-KSA-F-04", "the total with VAT must be above zero")


def _ensure_within_original(document: InvoiceDocument, totals: Totals) -> None:
    """A credit note never credits more than is left of the invoice it corrects."""
    if document.credit is None:
        return
    left = document.credit.original.creditable
    ensure(
        totals.tax_inclusive <= left,
        "MIHAN-CREDIT-LIMIT",
        f"the credit note's {totals.tax_inclusive.minor} halalas exceed the {left.minor} left on its invoice",
    )
