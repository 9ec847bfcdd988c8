"""ZATCA phase-2 e-invoicing as a pure library: no database, no network, no UI.

Design overview. The invoicing service maps an order's stored amounts onto an
``InvoiceDocument`` (``document``), takes the next ``ChainLink`` of its EGS unit (``chain``)
under a row lock, and calls ``build_invoice`` (``ubl``: totals from ``amounts``, business rules
from ``rules``, UBL 2.1 XML with empty slots for the stamp and the QR); then ``sign_invoice``
(``signing``, ``xades``) hashes it (``hashing``), signs the hash, writes the XAdES block and the
QR (``tlv``) and returns the hash the next document carries as its PIH. ``onboarding`` builds the
unit's CSR and, behind the ``Onboarding`` protocol, gets its CSIDs; only a local simulation
exists until the platform goes live.

Sources: the XML Implementation Standard and the Security Features standard (v1.1), the sample
invoice and the vectors in ``shared/reference/zatca/`` and ``payments.md`` §4.
"""

from app.invoices.zatca.amounts import Totals, amount_text, compute_totals
from app.invoices.zatca.chain import ChainLink, first_link, next_link
from app.invoices.zatca.document import (
    Allowance,
    CreditNote,
    DocumentType,
    InvoiceDocument,
    InvoiceKind,
    InvoiceReference,
    Line,
    PaymentMeans,
)
from app.invoices.zatca.errors import ZatcaError
from app.invoices.zatca.hashing import FIRST_PREVIOUS_HASH, invoice_hash
from app.invoices.zatca.onboarding import Csid, EgsUnit, Environment, Onboarding, SimulatedOnboarding, build_csr
from app.invoices.zatca.parties import Address, Party, PartyId, is_vat_number
from app.invoices.zatca.signing import (
    SignedInvoice,
    SigningCredentials,
    generate_private_key,
    self_signed_certificate,
    sign_invoice,
    verify_invoice,
)
from app.invoices.zatca.tax import SA_STANDARD_RATE_BP, Exemption, TaxCategory, VatCategory
from app.invoices.zatca.tlv import QrPayload, QrStamp, decode_qr, encode_qr
from app.invoices.zatca.ubl import build_invoice

__all__ = [
    "FIRST_PREVIOUS_HASH",
    "SA_STANDARD_RATE_BP",
    "Address",
    "Allowance",
    "ChainLink",
    "CreditNote",
    "Csid",
    "DocumentType",
    "EgsUnit",
    "Environment",
    "Exemption",
    "InvoiceDocument",
    "InvoiceKind",
    "InvoiceReference",
    "Line",
    "Onboarding",
    "Party",
    "PartyId",
    "PaymentMeans",
    "QrPayload",
    "QrStamp",
    "SignedInvoice",
    "SigningCredentials",
    "SimulatedOnboarding",
    "TaxCategory",
    "Totals",
    "VatCategory",
    "ZatcaError",
    "amount_text",
    "build_csr",
    "build_invoice",
    "compute_totals",
    "decode_qr",
    "encode_qr",
    "first_link",
    "generate_private_key",
    "invoice_hash",
    "is_vat_number",
    "next_link",
    "self_signed_certificate",
    "sign_invoice",
    "verify_invoice",
]
