"""Amounts: half-up rounding to the halala, category VAT rounded once, totals that add up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.money import Money
from app.invoices.zatca import Allowance, Exemption, Line, TaxCategory, amount_text, compute_totals
from app.invoices.zatca.amounts import percent_text, vat_on

halalas = st.integers(min_value=0, max_value=10**13)
rates = st.integers(min_value=1, max_value=10_000)
categories = st.sampled_from(
    [
        TaxCategory.standard(),
        TaxCategory.standard(500),
        TaxCategory.zero_rated(Exemption.EXPORT_OF_SERVICES),
        TaxCategory.exempt(Exemption.FINANCIAL_SERVICES),
        TaxCategory.out_of_scope(),
    ]
)
lines = st.lists(
    st.builds(
        lambda price, quantity, tax: Line("بند", quantity, Money(price), tax), halalas, st.integers(1, 50), categories
    ),
    min_size=1,
    max_size=8,
)


def _half_up(net: Money, rate_bp: int) -> Money:
    """The standard's definition (§10), computed independently in decimal riyals."""
    riyals = Decimal(net.minor) / 100 * Decimal(rate_bp) / 10_000
    return Money(int(riyals.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100))


@given(halalas, rates)
def test_vat_is_rounded_half_up_to_the_halala(net, rate_bp):
    """VAT on any amount at any rate equals the standard's half-up rounding of the exact product."""
    # given a net amount and a standard rate
    # when its VAT is computed in integer halalas
    vat = vat_on(Money(net), TaxCategory.standard(rate_bp))
    # then it is the decimal product rounded half up
    assert vat == _half_up(Money(net), rate_bp)


@pytest.mark.parametrize(
    ("net", "vat"),
    [(10, 2), (30, 5), (3, 0), (70, 11), (2_000, 300), (100_000, 15_000), (1, 0), (4, 1)],
)
def test_half_way_values_round_up(net, vat):
    """0.10 at 15% is 0.015, which rounds up to 0.02; 0.03 at 15% is 0.0045, down to 0.00."""
    # given a net amount whose VAT falls on or near a half halala
    # when its VAT is computed
    # then half-way rounds up and below half rounds down
    assert vat_on(Money(net), TaxCategory.standard()) == Money(vat)


def test_category_vat_is_rounded_once_not_summed_from_lines():
    """Three lines of 0.10 at 15%: each line shows 0.02, the category owes 0.05 (0.045 rounded)."""
    # given three lines whose VATs each round up
    items = [Line("بند", 1, Money(10), TaxCategory.standard()) for _ in range(3)]
    # when the document is totalled
    totals = compute_totals(items, [], "SAR")
    # then each line keeps its own rounding, and the document rounds the category total once
    assert [line.vat for line in totals.lines] == [Money(2)] * 3
    assert totals.vat == Money(5)
    assert totals.tax_inclusive == Money(35)


def test_the_domain_worked_example():
    """docs/domain.md: commission 20.00 SAR carries 3.00 VAT, 23.00 in all."""
    # given the commission of a 100.00 order
    # when it is invoiced at the Saudi rate
    totals = compute_totals([Line("عمولة", 1, Money(2_000), TaxCategory.standard())], [], "SAR")
    # then the VAT and the total are the ledger's
    assert (totals.vat, totals.tax_inclusive) == (Money(300), Money(2_300))


@given(lines, st.lists(st.tuples(halalas, categories), max_size=3))
def test_totals_always_add_up(items, discounts):
    """BR-CO-10/13/14/15 and BR-CO-17 hold for any lines and allowances."""
    # given any lines and document allowances
    allowances = [Allowance(Money(amount + 1), "خصم", tax) for amount, tax in discounts]
    # when they are totalled
    totals = compute_totals(items, allowances, "SAR")
    # then every document total is the sum the standard defines
    assert totals.line_extension.minor == sum(line.amount.minor for line in items)
    assert totals.allowances.minor == sum(item.amount.minor for item in allowances)
    assert totals.tax_exclusive == totals.line_extension - totals.allowances
    assert totals.vat.minor == sum(subtotal.vat.minor for subtotal in totals.subtotals)
    assert totals.tax_inclusive == totals.tax_exclusive + totals.vat
    assert sum(subtotal.taxable.minor for subtotal in totals.subtotals) == totals.tax_exclusive.minor
    for subtotal in totals.subtotals:
        assert subtotal.vat == _half_up(subtotal.taxable, subtotal.tax.rate_bp)
    assert len({subtotal.tax for subtotal in totals.subtotals}) == len(totals.subtotals)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_amount_text_has_two_decimals_and_reads_back(minor):
    """Amounts become text with exactly two decimals, and ``Money.parse`` reads them back."""
    # given any amount
    money = Money(minor)
    # when it is written as XML text
    text = amount_text(money)
    # then it has two decimals and parses to the same amount
    assert len(text.split(".")[1]) == 2
    assert Money.parse(text) == money


@pytest.mark.parametrize(("rate_bp", "text"), [(1_500, "15.00"), (500, "5.00"), (1_234, "12.34"), (0, "0.00")])
def test_rates_are_percentages_with_two_decimals(rate_bp, text):
    # given a rate in basis points
    # when it is written as XML text
    # then it is the percentage with two decimals (BR-KSA-DEC-02)
    assert percent_text(rate_bp) == text
