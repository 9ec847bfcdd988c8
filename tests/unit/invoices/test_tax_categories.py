"""VAT categories: only the combinations ZATCA accepts can be built."""

from __future__ import annotations

import pytest

from app.invoices.zatca import Exemption, TaxCategory, VatCategory
from tests.unit.invoices.factories import refusal


def test_the_four_categories_as_the_standard_describes_them():
    """S has a rate; Z and E are 0% with their official reason text; O has no rate, only a reason."""
    # given one category of each kind
    standard = TaxCategory.standard()
    zero = TaxCategory.zero_rated(Exemption.EXPORT_OF_SERVICES)
    exempt = TaxCategory.exempt(Exemption.REAL_ESTATE)
    outside = TaxCategory.out_of_scope()
    # when their XML values are read
    # then they are those of §11.2.4
    assert (standard.code, standard.rate_bp, standard.has_rate, standard.reason_text) == ("S", 1_500, True, "")
    assert (zero.code, zero.rate_bp, zero.reason_text) == ("Z", 0, "Export of services")
    assert (exempt.code, exempt.reason_text) == (
        "E",
        "Real estate transactions mentioned in Article 30 of the VAT Regulations",
    )
    assert (outside.code, outside.has_rate, outside.reason_text) == ("O", False, "Not subject to VAT")


def test_every_exemption_belongs_to_zero_rated_or_exempt():
    # given the code list
    # when each code's category is read
    # then it is Z or E, with a non-empty official text
    assert {code.category for code in Exemption} == {VatCategory.ZERO_RATED, VatCategory.EXEMPT}
    assert all(code.text for code in Exemption)


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda: TaxCategory.standard(0), "BR-S-06"),
        (lambda: TaxCategory.standard(10_001), "BR-S-06"),
        (lambda: TaxCategory(VatCategory.STANDARD, 1_500, Exemption.EXPORT_OF_SERVICES), "BR-S-10"),
        (lambda: TaxCategory(VatCategory.ZERO_RATED, 1_500, Exemption.EXPORT_OF_SERVICES), "BR-Z-05"),
        (lambda: TaxCategory(VatCategory.ZERO_RATED), "BR-KSA-CL-04"),
        (lambda: TaxCategory.zero_rated(Exemption.FINANCIAL_SERVICES), "BR-KSA-CL-04"),
        (lambda: TaxCategory.exempt(Exemption.EXPORT_OF_GOODS), "BR-KSA-CL-04"),
        (lambda: TaxCategory.out_of_scope(""), "BR-O-10"),
        (lambda: TaxCategory("X", 1_500), "BR-KSA-18"),
        (lambda: TaxCategory.standard(15.0), "BR-KSA-DEC-02"),  # type: ignore[arg-type]
    ],
)
def test_combinations_the_validator_rejects_cannot_be_built(make, rule):
    """A wrong rate, a missing or foreign exemption code, a float rate: refused with the rule."""
    # given a category ZATCA would reject
    # when it is built
    # then the rule it breaks is named
    assert refusal(make) == rule
