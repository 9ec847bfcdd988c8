"""Mandatory fields of the XML Implementation Standard, one XPath assertion per field.

The official UBL 2.1 XSDs and ZATCA's schematron are not in the reference folder, and nothing
is downloaded; so besides the fields, the order of the invoice's children is checked against
the UBL 2.1 ``Invoice`` sequence written out below.
"""

from __future__ import annotations

import re

import pytest
from lxml import etree

from app.core.money import Money
from app.invoices.zatca import (
    FIRST_PREVIOUS_HASH,
    Allowance,
    Exemption,
    Line,
    TaxCategory,
    build_invoice,
    sign_invoice,
)
from app.invoices.zatca._xml import NS
from tests.unit.invoices.factories import (
    ISSUED_AT,
    LINK,
    commission_line,
    credentials,
    credit_note,
    simplified_invoice,
    standard_invoice,
)

SELLER = "cac:AccountingSupplierParty/cac:Party/"
BUYER = "cac:AccountingCustomerParty/cac:Party/"
BREAKDOWN = "cac:TaxTotal[cac:TaxSubtotal]/cac:TaxSubtotal/"
LINE = "cac:InvoiceLine/"
ANY = re.compile(r".+", re.DOTALL)
BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")

# (rule, XPath, expected text or pattern) that every document must satisfy
EVERY_DOCUMENT = [
    ("BR-KSA-EN16931-01", "cbc:ProfileID", "reporting:1.0"),
    ("BR-02", "cbc:ID", ANY),
    ("BR-KSA-03", "cbc:UUID", re.compile(r"[0-9A-Za-z-]+")),
    ("BR-03 / BR-KSA-F-01", "cbc:IssueDate", "2026-03-01"),
    ("BR-KSA-70", "cbc:IssueTime", "09:30:15Z"),
    ("BR-04 / BR-KSA-05", "cbc:InvoiceTypeCode", re.compile(r"388|381")),
    ("BR-KSA-06", "cbc:InvoiceTypeCode/@name", re.compile(r"0[12]00000")),
    ("BR-05", "cbc:DocumentCurrencyCode", "SAR"),
    ("BR-KSA-68 / EN16931-02", "cbc:TaxCurrencyCode", "SAR"),
    ("BR-KSA-33/34", "cac:AdditionalDocumentReference[cbc:ID='ICV']/cbc:UUID", "1"),
    (
        "BR-KSA-61 / BR-KSA-26",
        "cac:AdditionalDocumentReference[cbc:ID='PIH']/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        FIRST_PREVIOUS_HASH,
    ),
    ("BR-KSA-CL-03", "cac:AdditionalDocumentReference[cbc:ID='PIH']//@mimeCode", "text/plain"),
    (
        "BR-KSA-27",
        "cac:AdditionalDocumentReference[cbc:ID='QR']/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        BASE64,
    ),
    ("BR-KSA-28/29", "cac:Signature/cbc:ID", "urn:oasis:names:specification:ubl:signature:Invoice"),
    ("BR-KSA-30", "cac:Signature/cbc:SignatureMethod", "urn:oasis:names:specification:ubl:dsig:enveloped:xades"),
    ("BR-KSA-60 / KSA-15", "ext:UBLExtensions//ds:Signature/ds:SignatureValue", BASE64),
    ("BR-06", SELLER + "cac:PartyLegalEntity/cbc:RegistrationName", "شركة مهن للخدمات الرقمية"),
    ("BR-KSA-39/40", SELLER + "cac:PartyTaxScheme/cbc:CompanyID", re.compile(r"3\d{13}3")),
    ("BR-KSA-08", SELLER + "cac:PartyIdentification/cbc:ID[@schemeID='CRN']", "1010101010"),
    ("BR-KSA-09", SELLER + "cac:PostalAddress/cbc:StreetName", ANY),
    ("BR-KSA-37", SELLER + "cac:PostalAddress/cbc:BuildingNumber", re.compile(r"\d{4}")),
    ("BR-KSA-64", SELLER + "cac:PostalAddress/cbc:PlotIdentification", re.compile(r"\d{4}")),
    ("BR-KSA-09 district", SELLER + "cac:PostalAddress/cbc:CitySubdivisionName", ANY),
    ("BR-KSA-09 city", SELLER + "cac:PostalAddress/cbc:CityName", ANY),
    ("BR-KSA-66", SELLER + "cac:PostalAddress/cbc:PostalZone", re.compile(r"\d{5}")),
    ("BR-09", SELLER + "cac:PostalAddress/cac:Country/cbc:IdentificationCode", "SA"),
    ("BR-49 / BR-KSA-16", "cac:PaymentMeans/cbc:PaymentMeansCode", "48"),
    ("BR-KSA-EN16931-09", "cac:TaxTotal[not(cac:TaxSubtotal)]/cbc:TaxAmount", "3.00"),
    ("BR-CO-14", "cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount", "3.00"),
    ("BR-45", BREAKDOWN + "cbc:TaxableAmount", "20.00"),
    ("BR-46 / BR-CO-17", BREAKDOWN + "cbc:TaxAmount", "3.00"),
    ("BR-47 / BR-KSA-18", BREAKDOWN + "cac:TaxCategory/cbc:ID", "S"),
    ("BR-48", BREAKDOWN + "cac:TaxCategory/cbc:Percent", "15.00"),
    ("VAT scheme", BREAKDOWN + "cac:TaxCategory/cac:TaxScheme/cbc:ID", "VAT"),
    ("BR-CO-10", "cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "20.00"),
    ("BR-13", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "20.00"),
    ("BR-14 / BR-CO-15", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "23.00"),
    ("BR-15 / BR-CO-16", "cac:LegalMonetaryTotal/cbc:PayableAmount", "23.00"),
    ("BR-16 / BR-21", LINE + "cbc:ID", "1"),
    ("BR-22", LINE + "cbc:InvoicedQuantity", "1"),
    ("UN/ECE 20", LINE + "cbc:InvoicedQuantity/@unitCode", "PCE"),
    ("BR-24", LINE + "cbc:LineExtensionAmount", "20.00"),
    ("BR-KSA-50/52", LINE + "cac:TaxTotal/cbc:TaxAmount", "3.00"),
    ("BR-KSA-51/53", LINE + "cac:TaxTotal/cbc:RoundingAmount", "23.00"),
    ("BR-25", LINE + "cac:Item/cbc:Name", "عمولة الطلب رقم ١٢٣"),
    ("BR-CO-04", LINE + "cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "S"),
    ("BR-KSA-DEC-02", LINE + "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "15.00"),
    ("BR-26", LINE + "cac:Price/cbc:PriceAmount", "20.00"),
]
STANDARD = [
    ("BR-KSA-06 tax invoice", "cbc:InvoiceTypeCode/@name", "0100000"),
    ("BR-KSA-42", BUYER + "cac:PartyLegalEntity/cbc:RegistrationName", "استوديو الصوت الذهبي"),
    ("BR-10 / BR-KSA-10 street", BUYER + "cac:PostalAddress/cbc:StreetName", ANY),
    ("BR-KSA-10 city", BUYER + "cac:PostalAddress/cbc:CityName", ANY),
    ("BR-KSA-10 / BR-KSA-67", BUYER + "cac:PostalAddress/cbc:PostalZone", re.compile(r"\d{5}")),
    ("BR-KSA-10 country", BUYER + "cac:PostalAddress/cac:Country/cbc:IdentificationCode", "SA"),
    ("BR-KSA-44", BUYER + "cac:PartyTaxScheme/cbc:CompanyID", re.compile(r"3\d{13}3")),
    ("BR-KSA-15", "cac:Delivery/cbc:ActualDeliveryDate", "2026-02-28"),
]
SIMPLIFIED = [
    ("BR-KSA-06 simplified", "cbc:InvoiceTypeCode/@name", "0200000"),
    ("BR-KSA-06 invoice", "cbc:InvoiceTypeCode", "388"),
]
CREDIT_NOTE = [
    ("BR-KSA-05 credit note", "cbc:InvoiceTypeCode", "381"),
    ("BR-KSA-56 / BR-55", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", "MHN-2026-000001"),
    ("BR-KSA-F-01", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate", "2026-03-01"),
    ("BR-KSA-17", "cac:PaymentMeans/cbc:InstructionNote", "استرداد بعد إلغاء الطلب"),
]

# UBL 2.1 Invoice: the order of the children this package writes
UBL_ORDER = [
    "UBLExtensions", "ProfileID", "ID", "UUID", "IssueDate", "IssueTime", "InvoiceTypeCode",
    "DocumentCurrencyCode", "TaxCurrencyCode", "BillingReference", "AdditionalDocumentReference",
    "Signature", "AccountingSupplierParty", "AccountingCustomerParty", "Delivery", "PaymentMeans",
    "AllowanceCharge", "TaxTotal", "LegalMonetaryTotal", "InvoiceLine",
]  # fmt: skip


def _stamped(document) -> etree._Element:
    xml = sign_invoice(build_invoice(document, LINK), credentials(), signed_at=ISSUED_AT).xml
    return etree.fromstring(xml)


def _assert_fields(root: etree._Element, fields) -> None:
    for rule, path, expected in fields:
        found = root.xpath(path, namespaces=NS)
        assert len(found) == 1, f"{rule}: {path} appears {len(found)} times"
        text = found[0] if isinstance(found[0], str) else found[0].text
        if isinstance(expected, re.Pattern):
            assert text is not None and expected.fullmatch(text), f"{rule}: {path} is {text!r}"
        else:
            assert text == expected, f"{rule}: {path} is {text!r}, not {expected!r}"


DOCUMENTS = {
    "simplified": (simplified_invoice, EVERY_DOCUMENT + SIMPLIFIED),
    "standard": (standard_invoice, EVERY_DOCUMENT + STANDARD),
    "credit note": (credit_note, EVERY_DOCUMENT + STANDARD + CREDIT_NOTE),
}


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_every_mandatory_field_is_present_once_with_its_value(kind):
    """Each rule's field exists exactly once and holds what the rule allows."""
    # given a stamped document of this kind
    make, fields = DOCUMENTS[kind]
    root = _stamped(make())
    # when each mandatory field is looked up
    # then it is there once, with its value
    _assert_fields(root, fields)


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_children_follow_the_ubl_sequence(kind):
    """Without the XSDs, the order of the root's children is checked against UBL 2.1's."""
    # given a stamped document
    root = _stamped(DOCUMENTS[kind][0](allowances=(Allowance(Money(100), "خصم", TaxCategory.standard()),)))
    # when its children's names are listed
    names = [etree.QName(child).localname for child in root]
    # then they appear in the schema's order
    assert names == sorted(names, key=UBL_ORDER.index)


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_amounts_are_in_sar_positive_with_two_decimals_and_nothing_is_empty(kind):
    """BR-KSA-CL-02, BR-KSA-F-04, BR-DEC / BR-KSA-DEC and BR-KSA-F-03 over the whole document."""
    # given a stamped document
    root = _stamped(DOCUMENTS[kind][0]())
    # when its amounts and leaves are collected
    amounts = root.xpath("//*[@currencyID]", namespaces=NS)
    # an element with only attributes (ds:DigestMethod, @Algorithm) is not empty
    empty = [node.tag for node in root.iter() if len(node) == 0 and not (node.text or "").strip() and not node.attrib]
    # then every amount is SAR, not negative, with two decimals, and no element is empty
    assert len(amounts) >= 13
    assert {node.get("currencyID") for node in amounts} == {"SAR"}
    assert all(re.fullmatch(r"\d+\.\d{2}", node.text) for node in amounts)
    assert empty == []


def test_a_simplified_invoice_without_a_buyer_keeps_the_customer_party_ubl_requires():
    # given a simplified invoice to an anonymous consumer
    # when it is built
    root = _stamped(simplified_invoice(buyer=None))
    # then the customer party is there, and empty
    customer = root.xpath("cac:AccountingCustomerParty", namespaces=NS)
    assert len(customer) == 1 and len(customer[0]) == 0


def test_allowances_and_exemptions_are_written_where_the_rules_expect_them():
    """A discount (BR-31/32, BR-KSA-F-02) and a zero-rated line with its reason (BR-KSA-69)."""
    # given a standard-rated and a zero-rated line, and a discount on the standard-rated one
    export = Line("خدمة لعميل خارج المملكة", 1, Money(5_000), TaxCategory.zero_rated(Exemption.EXPORT_OF_SERVICES))
    discount = Allowance(Money(500), "خصم ترويجي", TaxCategory.standard())
    # when the document is stamped
    root = _stamped(simplified_invoice(lines=(commission_line(), export), allowances=(discount,)))
    # then each piece is where the rules look for it
    _assert_fields(
        root,
        [
            ("BR-KSA-F-02", "cac:AllowanceCharge/cbc:ChargeIndicator", "false"),
            ("BR-31", "cac:AllowanceCharge/cbc:Amount", "5.00"),
            ("BR-32", "cac:AllowanceCharge/cac:TaxCategory/cbc:ID", "S"),
            ("BR-CO-11", "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount", "5.00"),
            ("BR-CO-13", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "65.00"),
            ("BR-S-09", "cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cbc:ID='S']/cbc:TaxableAmount", "15.00"),
            ("BR-S-09", "cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cbc:ID='S']/cbc:TaxAmount", "2.25"),
            ("BR-Z-09", "cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cbc:ID='Z']/cbc:TaxAmount", "0.00"),
            ("BR-KSA-69", BREAKDOWN + "cac:TaxCategory[cbc:ID='Z']/cbc:TaxExemptionReasonCode", "VATEX-SA-33"),
            ("BR-KSA-CL-05", BREAKDOWN + "cac:TaxCategory[cbc:ID='Z']/cbc:TaxExemptionReason", "Export of services"),
            ("BR-CO-14", "cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount", "2.25"),
            ("BR-CO-15", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "67.25"),
        ],
    )


def test_an_out_of_scope_line_has_a_reason_and_no_rate():
    """BR-O-05/06 (no cbc:Percent anywhere for O) and BR-O-10 (its reason text)."""
    # given a document with an out-of-scope line next to a standard one
    fee = Line("رسوم تحويل", 1, Money(300), TaxCategory.out_of_scope("Not subject to VAT"))
    # when it is stamped
    root = _stamped(simplified_invoice(lines=(commission_line(), fee)))
    # then the O category has its reason in the breakdown and no rate anywhere
    _assert_fields(
        root,
        [
            ("BR-O-09", "cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cbc:ID='O']/cbc:TaxAmount", "0.00"),
            ("BR-O-10", BREAKDOWN + "cac:TaxCategory[cbc:ID='O']/cbc:TaxExemptionReason", "Not subject to VAT"),
        ],
    )
    assert root.xpath("//*[cbc:ID='O']/cbc:Percent", namespaces=NS) == []
