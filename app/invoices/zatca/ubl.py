"""The UBL 2.1 XML of a tax invoice, a simplified invoice or a credit note, before its stamp.

Every mandatory field of the XML Implementation Standard is written, in the order of the UBL 2.1
schema (validation checks the sequence, §4 1.b). Credit notes keep the ``Invoice`` root with
type code 381, a billing reference to the original and the reason in the payment means
(BR-KSA-56, BR-KSA-17), and positive amounts like any invoice (BR-KSA-F-04).

The document leaves empty the two places ``signing`` fills, as the standard's sample does: the
``ext:UBLExtensions`` for the signature and the QR reference. Both are outside the invoice hash,
so the hash of this XML is already the hash of the stamped invoice.

A simplified invoice without a buyer still has an (empty) ``cac:AccountingCustomerParty``: UBL
2.1 requires the element, and BR-KSA-F-03's "no empty elements" has to give way to the schema.
"""

from __future__ import annotations

from datetime import UTC

from lxml import etree

from app.core.money import Money
from app.invoices.zatca._xml import INDENT, NS, element, parse, qname, select, serialize, text_of
from app.invoices.zatca.amounts import LineTotal, Totals, amount_text, compute_totals, percent_text
from app.invoices.zatca.chain import ChainLink
from app.invoices.zatca.document import CURRENCY, Allowance, InvoiceDocument, Line
from app.invoices.zatca.parties import Address, Party
from app.invoices.zatca.rules import ensure_issuable
from app.invoices.zatca.tax import TaxCategory

PROFILE = "reporting:1.0"  # BR-KSA-EN16931-01
SIGNATURE_ID = "urn:oasis:names:specification:ubl:signature:Invoice"  # BR-KSA-29
SIGNATURE_METHOD = "urn:oasis:names:specification:ubl:dsig:enveloped:xades"  # BR-KSA-30
_ROOT_NAMESPACES = {None: NS["inv"], "cac": NS["cac"], "cbc": NS["cbc"], "ext": NS["ext"]}


def build_invoice(document: InvoiceDocument, link: ChainLink) -> bytes:
    """The unsigned XML of ``document`` at ``link`` in its unit's chain.

    Raises:
        ZatcaError: when the document breaks a business rule (see ``rules``).
    """
    totals = compute_totals(document.lines, document.allowances, CURRENCY)
    ensure_issuable(document, totals)
    # lxml takes None as the default namespace's prefix, which its type stubs do not know
    root = etree.Element(qname("inv:Invoice"), nsmap=_ROOT_NAMESPACES)  # type: ignore[arg-type]
    element(root, "ext:UBLExtensions")
    _header(root, document)
    _references(root, document, link)
    _signature_reference(root)
    _party(element(root, "cac:AccountingSupplierParty"), document.seller)
    customer = element(root, "cac:AccountingCustomerParty")
    if document.buyer is not None:
        _party(customer, document.buyer)
    if document.supply_date is not None:
        element(element(root, "cac:Delivery"), "cbc:ActualDeliveryDate", document.supply_date.isoformat())
    _payment_means(root, document)
    for allowance in document.allowances:
        _allowance(root, allowance)
    _tax_totals(root, totals)
    _monetary_total(root, totals)
    for number, (line, line_total) in enumerate(zip(document.lines, totals.lines, strict=True), start=1):
        _invoice_line(root, number, line, line_total)
    etree.indent(root, space=INDENT)
    return serialize(root)


def _header(root: etree._Element, document: InvoiceDocument) -> None:
    issued = document.issued_at.astimezone(UTC)
    element(root, "cbc:ProfileID", PROFILE)
    element(root, "cbc:ID", document.number)
    element(root, "cbc:UUID", str(document.uuid))
    element(root, "cbc:IssueDate", issued.date().isoformat())
    element(root, "cbc:IssueTime", issued.strftime("%H:%M:%SZ"))  # KSA-25 in UTC, so with a Z
    # KSA-2: the subtype, then the third-party, nominal, export, summary and self-billed flags
    element(root, "cbc:InvoiceTypeCode", document.document_type.value, name=f"{document.kind.value}00000")
    element(root, "cbc:DocumentCurrencyCode", CURRENCY)
    element(root, "cbc:TaxCurrencyCode", CURRENCY)


def _references(root: etree._Element, document: InvoiceDocument, link: ChainLink) -> None:
    if document.credit is not None:
        original = element(element(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        element(original, "cbc:ID", document.credit.original.number)
        element(original, "cbc:IssueDate", document.credit.original.issue_date.isoformat())
    counter = element(root, "cac:AdditionalDocumentReference")
    element(counter, "cbc:ID", "ICV")
    element(counter, "cbc:UUID", str(link.counter))
    _attachment(root, "PIH", link.previous_hash)
    _attachment(root, "QR", None)


def _attachment(root: etree._Element, name: str, text: str | None) -> None:
    reference = element(root, "cac:AdditionalDocumentReference")
    element(reference, "cbc:ID", name)
    element(element(reference, "cac:Attachment"), "cbc:EmbeddedDocumentBinaryObject", text, mimeCode="text/plain")


def _signature_reference(root: etree._Element) -> None:
    signature = element(root, "cac:Signature")
    element(signature, "cbc:ID", SIGNATURE_ID)
    element(signature, "cbc:SignatureMethod", SIGNATURE_METHOD)


def _party(parent: etree._Element, party: Party) -> None:
    node = element(parent, "cac:Party")
    if party.identification is not None:
        identification = element(node, "cac:PartyIdentification")
        element(identification, "cbc:ID", party.identification.value, schemeID=party.identification.scheme)
    if party.address is not None:
        _address(element(node, "cac:PostalAddress"), party.address)
    if party.vat_number is not None:
        scheme = element(node, "cac:PartyTaxScheme")
        element(scheme, "cbc:CompanyID", party.vat_number)
        _vat_scheme(scheme)
    element(element(node, "cac:PartyLegalEntity"), "cbc:RegistrationName", party.name)


def _address(node: etree._Element, address: Address) -> None:
    element(node, "cbc:StreetName", address.street)
    _optional(node, "cbc:BuildingNumber", address.building_number)
    _optional(node, "cbc:PlotIdentification", address.additional_number)
    _optional(node, "cbc:CitySubdivisionName", address.district)
    element(node, "cbc:CityName", address.city)
    element(node, "cbc:PostalZone", address.postal_code)
    element(element(node, "cac:Country"), "cbc:IdentificationCode", address.country)


def _payment_means(root: etree._Element, document: InvoiceDocument) -> None:
    means = element(root, "cac:PaymentMeans")
    element(means, "cbc:PaymentMeansCode", document.payment_means.value)
    if document.credit is not None:
        element(means, "cbc:InstructionNote", document.credit.reason)


def _allowance(root: etree._Element, allowance: Allowance) -> None:
    node = element(root, "cac:AllowanceCharge")
    element(node, "cbc:ChargeIndicator", "false")
    element(node, "cbc:AllowanceChargeReason", allowance.reason)
    _amount(node, "cbc:Amount", allowance.amount)
    _tax_category(node, "cac:TaxCategory", allowance.tax)


def _tax_totals(root: etree._Element, totals: Totals) -> None:
    """Two totals, as BR-KSA-EN16931-08/09 want: the VAT in SAR alone, then with its breakdown."""
    _amount(element(root, "cac:TaxTotal"), "cbc:TaxAmount", totals.vat)
    total = element(root, "cac:TaxTotal")
    _amount(total, "cbc:TaxAmount", totals.vat)
    for subtotal in totals.subtotals:
        node = element(total, "cac:TaxSubtotal")
        _amount(node, "cbc:TaxableAmount", subtotal.taxable)
        _amount(node, "cbc:TaxAmount", subtotal.vat)
        _tax_category(node, "cac:TaxCategory", subtotal.tax, with_reason=True)


def _monetary_total(root: etree._Element, totals: Totals) -> None:
    node = element(root, "cac:LegalMonetaryTotal")
    _amount(node, "cbc:LineExtensionAmount", totals.line_extension)
    _amount(node, "cbc:TaxExclusiveAmount", totals.tax_exclusive)
    _amount(node, "cbc:TaxInclusiveAmount", totals.tax_inclusive)
    _amount(node, "cbc:AllowanceTotalAmount", totals.allowances)
    _amount(node, "cbc:PayableAmount", totals.tax_inclusive)


def _invoice_line(root: etree._Element, number: int, line: Line, line_total: LineTotal) -> None:
    node = element(root, "cac:InvoiceLine")
    element(node, "cbc:ID", str(number))
    element(node, "cbc:InvoicedQuantity", str(line.quantity), unitCode=line.unit_code)
    _amount(node, "cbc:LineExtensionAmount", line_total.net)
    tax_total = element(node, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", line_total.vat)  # KSA-11
    _amount(tax_total, "cbc:RoundingAmount", line_total.gross)  # KSA-12
    item = element(node, "cac:Item")
    element(item, "cbc:Name", line.name)
    _tax_category(item, "cac:ClassifiedTaxCategory", line.tax)
    _amount(element(node, "cac:Price"), "cbc:PriceAmount", line.unit_price)


def _tax_category(parent: etree._Element, tag: str, tax: TaxCategory, *, with_reason: bool = False) -> None:
    """A category; the exemption reason is stated once, in the VAT breakdown (BR-E-10 …)."""
    node = element(parent, tag)
    element(node, "cbc:ID", tax.code.value)
    if tax.has_rate:
        element(node, "cbc:Percent", percent_text(tax.rate_bp))
    if with_reason and tax.exemption is not None:
        element(node, "cbc:TaxExemptionReasonCode", tax.exemption.value)
    if with_reason and tax.reason_text:
        element(node, "cbc:TaxExemptionReason", tax.reason_text)
    _vat_scheme(node)


def _vat_scheme(parent: etree._Element) -> None:
    element(element(parent, "cac:TaxScheme"), "cbc:ID", "VAT")


def _amount(parent: etree._Element, tag: str, money: Money) -> None:
    element(parent, tag, amount_text(money), currencyID=money.currency)


def _optional(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None:
        element(parent, tag, text)


def read_lines(xml: bytes) -> list[dict[str, str]]:
    """The invoice lines of a built document as its XML states them (for the printed sheet):
    ``name``, ``quantity``, ``price``, ``net``, ``vat``, ``gross``, amounts as the XML's text."""
    root = parse(xml)
    paths = {
        "name": "cac:Item/cbc:Name",
        "quantity": "cbc:InvoicedQuantity",
        "price": "cac:Price/cbc:PriceAmount",
        "net": "cbc:LineExtensionAmount",
        "vat": "cac:TaxTotal/cbc:TaxAmount",
        "gross": "cac:TaxTotal/cbc:RoundingAmount",
    }
    return [{key: text_of(line, path) for key, path in paths.items()} for line in select(root, "cac:InvoiceLine")]
