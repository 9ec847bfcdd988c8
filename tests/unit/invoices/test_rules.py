"""Bad input is refused with the rule it breaks, before any XML is written."""

from __future__ import annotations

import dataclasses

import pytest

from app.core.money import Money
from app.invoices.zatca import (
    Address,
    Allowance,
    CreditNote,
    Exemption,
    InvoiceReference,
    Line,
    Party,
    PartyId,
    TaxCategory,
    ZatcaError,
    build_invoice,
    is_vat_number,
)
from tests.unit.invoices.factories import (
    LINK,
    SELLER_VAT,
    business_buyer,
    commission_line,
    credit_note,
    refusal,
    seller,
    simplified_invoice,
    standard_invoice,
)


def _refused(make) -> str:
    """The rule named when ``make()`` (building values, then the XML) is refused."""
    return refusal(lambda: build_invoice(make(), LINK))


@pytest.mark.parametrize(
    "number",
    [
        "310122393500004",
        "210122393500003",
        "31012239350003",
        "3101223935000033",
        "31012239350000A",
        "1234567891",
        "",
        "٣١٠١٢٢٣٩٣٥٠٠٠٠٣",
    ],
)
def test_an_invalid_vat_number_is_refused(number):
    """BR-KSA-40/44: 15 ASCII digits, the first and the last a 3 (python-stdnum has no Saudi rule)."""
    # given a malformed VAT number
    # when a party is made with it
    # then it is refused
    assert not is_vat_number(number)
    with pytest.raises(ZatcaError, match="BR-KSA-40"):
        Party("بائع", vat_number=number)


@pytest.mark.parametrize("number", ["310122393500003", "300000000000003", "399999999999993"])
def test_valid_vat_numbers_pass(number):
    # given a well-formed VAT number
    # when it is checked
    # then it passes
    assert is_vat_number(number)


def test_a_zero_total_is_refused():
    """BR-KSA-F-04: a document worth nothing is not issued."""
    # given a line at a price of zero
    # when its invoice is built
    # then it is refused
    assert _refused(lambda: simplified_invoice(lines=(commission_line(0),))) == "BR-KSA-F-04"


def test_an_allowance_larger_than_its_lines_is_refused():
    """A discount cannot take a category (and so the total) below zero."""
    # given a 50.00 discount on a 20.00 line
    discount = Allowance(Money(5_000), "خصم", TaxCategory.standard())
    # when the invoice is built
    # then it is refused
    assert _refused(lambda: simplified_invoice(allowances=(discount,))) == "BR-KSA-F-04"


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda: Line("بند", 1, Money(-100), TaxCategory.standard()), "BR-KSA-F-04"),
        (lambda: Line("بند", 0, Money(100), TaxCategory.standard()), "BR-KSA-F-04"),
        (lambda: Line("بند", 1.5, Money(100), TaxCategory.standard()), "BR-KSA-F-04"),
        (lambda: Line(" ", 1, Money(100), TaxCategory.standard()), "BR-25"),
        (lambda: Allowance(Money(0), "خصم", TaxCategory.standard()), "BR-KSA-F-04"),
        (lambda: Allowance(Money(-1), "خصم", TaxCategory.standard()), "BR-KSA-F-04"),
        (lambda: simplified_invoice(lines=()), "BR-16"),
        (lambda: simplified_invoice(number=""), "BR-02"),
        (
            lambda: simplified_invoice(lines=(Line("بند", 1, Money(100, "AED"), TaxCategory.standard()),)),
            "BR-KSA-CL-02",
        ),
    ],
)
def test_negative_empty_or_foreign_amounts_are_refused(make, rule):
    """Negative prices, no quantity, no lines, another currency: refused when the values are built."""
    # given values the standard forbids
    # when they are built
    # then the rule is named
    assert refusal(make) == rule


def test_a_naive_issue_time_is_refused():
    """Without a zone the UTC time written (with its Z) could be hours off."""
    # given an issue time with no zone
    # when the document is made
    # then it is refused
    with pytest.raises(ZatcaError, match="BR-KSA-70"):
        simplified_invoice(issued_at=simplified_invoice().issued_at.replace(tzinfo=None))


def test_a_credit_note_above_its_invoice_is_refused():
    """Crediting 23.01 on an invoice of 23.00 is refused; 23.00 exactly is fine."""
    # given an original invoice of 23.00 and credit notes of 23.00 and of more
    # when they are built
    build_invoice(credit_note(original_total=Money(2_300)), LINK)
    # then only the one within the invoice passes
    assert _refused(lambda: credit_note(original_total=Money(2_299))) == "MIHAN-CREDIT-LIMIT"


def test_credit_notes_together_stay_within_their_invoice():
    """What earlier notes credited counts: 23.00 invoice, 10.00 credited, a 23.00 note is refused."""
    # given an invoice of 23.00 of which 10.00 was credited already
    original = InvoiceReference("MHN-2026-000001", credit_note().credit.original.issue_date, Money(2_300), Money(1_000))
    # when a note for the whole commission is built
    # then it is refused, while one for what is left passes
    assert _refused(lambda: credit_note(credit=CreditNote(original, "استرداد"))) == "MIHAN-CREDIT-LIMIT"
    partial = credit_note(credit=CreditNote(original, "استرداد جزئي"), lines=(commission_line(1_130),))
    build_invoice(partial, LINK)


def test_a_credit_note_needs_a_reason():
    # given a credit note with a blank reason
    # when it is made
    # then it is refused (BR-KSA-17)
    with pytest.raises(ZatcaError, match="BR-KSA-17"):
        CreditNote(credit_note().credit.original, " ")


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"buyer": None}, "BR-KSA-42"),
        ({"buyer": Party("استوديو الصوت الذهبي", vat_number="311111111111113")}, "BR-KSA-10"),
        ({"buyer": Party("استوديو", business_buyer().address)}, "BR-KSA-14"),
        ({"supply_date": None}, "BR-KSA-15"),
    ],
)
def test_a_standard_invoice_names_its_buyer_and_supply_date(changes, rule):
    """Buyer name, address and identity, and the supply date are mandatory on tax invoices."""
    # given a standard invoice missing one of them
    # when it is built
    # then the rule is named
    assert _refused(lambda: standard_invoice(**changes)) == rule


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"vat_number": None}, "BR-KSA-39"),
        ({"identification": None}, "BR-KSA-08"),
        ({"identification": PartyId("NAT", "1000000000")}, "BR-KSA-08"),
        ({"address": None}, "BR-KSA-09"),
    ],
)
def test_a_seller_has_its_vat_number_registration_and_address(changes, rule):
    # given the platform as seller without one of its identities
    broken = dataclasses.replace(seller(), **changes)
    # when an invoice is built
    # then the rule is named
    assert _refused(lambda: simplified_invoice(seller=broken)) == rule


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda: Address("شارع", "الرياض", "1234", building_number="1234", district="العليا"), "BR-KSA-66"),
        (lambda: Address("شارع", "الرياض", "12345", building_number="12", district="العليا"), "BR-KSA-37"),
        (lambda: Address("شارع", "الرياض", "12345", building_number="1234"), "BR-KSA-63"),
        (lambda: Address("شارع", "الرياض", "12345", "SA", "1234", "العليا", "99"), "BR-KSA-64"),
        (lambda: Address("", "الرياض", "12345", building_number="1234", district="العليا"), "BR-KSA-09"),
        (lambda: Address("Main St", "Cairo", "", "eg"), "BR-CL-14"),
        (lambda: PartyId("XYZ", "1"), "BR-KSA-14"),
        (lambda: PartyId("CRN", "10-10"), "BR-KSA-08"),
        (lambda: Party(" "), "BR-06"),
    ],
)
def test_malformed_addresses_and_identifiers_are_refused(make, rule):
    """The national address's digit counts, a country code, identifier schemes and characters."""
    # given a malformed address or identifier
    # when it is built
    # then the rule is named
    assert refusal(make) == rule


def test_a_foreign_address_keeps_its_own_format():
    """The Saudi digit counts apply to Saudi addresses only."""
    # given an Egyptian address without a building number or district
    # when it is made
    address = Address("شارع التحرير", "القاهرة", "11511", "EG")
    # then it is accepted
    assert address.country == "EG"


def test_education_to_citizens_needs_their_national_id():
    """BR-KSA-25/49: the VATEX-SA-EDU exemption names the buyer and their national ID."""
    # given a zero-rated private-education line sold to a buyer without a national ID
    lesson = Line("درس خصوصي", 1, Money(10_000), TaxCategory.zero_rated(Exemption.PRIVATE_EDUCATION))
    # when the invoice is built
    # then it is refused, and passes once the national ID is there
    assert _refused(lambda: simplified_invoice(lines=(lesson,))) == "BR-KSA-49"
    citizen = Party("سارة أحمد", identification=PartyId("NAT", "1000000001"))
    build_invoice(simplified_invoice(lines=(lesson,), buyer=citizen), LINK)


def test_one_reason_per_exempt_category():
    """BR-Z-01: all zero-rated items of a document share one breakdown, so one reason."""
    # given two zero-rated lines with different reasons
    lines = (
        Line("تصدير خدمة", 1, Money(1_000), TaxCategory.zero_rated(Exemption.EXPORT_OF_SERVICES)),
        Line("أدوية", 1, Money(1_000), TaxCategory.zero_rated(Exemption.MEDICINES)),
    )
    # when the invoice is built
    # then it is refused
    assert _refused(lambda: simplified_invoice(lines=lines)) == "BR-Z-01"


def test_allowances_beside_out_of_scope_items_are_out_of_scope():
    """BR-O-13: with a "not subject to VAT" breakdown, every allowance is "not subject" too."""
    # given an out-of-scope line and a standard-rated discount
    fee = Line("رسوم", 1, Money(300), TaxCategory.out_of_scope())
    discount = Allowance(Money(100), "خصم", TaxCategory.standard())
    # when the invoice is built
    # then it is refused
    assert _refused(lambda: simplified_invoice(lines=(commission_line(), fee), allowances=(discount,))) == "BR-O-13"


def test_the_seller_vat_number_in_the_factory_is_valid():
    # guard the guard: the happy-path fixtures really are valid
    assert is_vat_number(SELLER_VAT)
    build_invoice(simplified_invoice(), LINK)
    build_invoice(standard_invoice(), LINK)
