"""Pricing in deemed-supplier mode: VAT on the full price, commission without VAT, parts that add up."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.money import Money
from app.pricing import FeePolicy, SellerTerms, parse_fee_policy, quote_order
from tests.unit.test_pricing import AT, amounts, policies

DEEMED = FeePolicy(deemed_supplier=True)
UNREGISTERED = SellerTerms(vat_registered=False)


def half_up(amount: int, rate_bp: int) -> int:
    """The rounding ZATCA asks for, spelled independently of ``Money.percent``."""
    return (amount * rate_bp + 5_000) // 10_000


def test_worked_example_100_sar_deemed():
    """100.00 SAR from an unregistered seller: the buyer pays 115.00, the seller gets 80.00."""
    # given the deemed-supplier switch on and a seller without VAT registration
    # when a 100.00 SAR package is quoted
    quote = quote_order(price=Money(10_000), seller=UNREGISTERED, at=AT, policy=DEEMED)
    # then VAT is on the full price, and the commission is the platform's margin without VAT
    assert quote.deemed_supplier
    assert (quote.full_price_vat, quote.total) == (Money(1_500), Money(11_500))
    assert (quote.commission, quote.commission_vat, quote.seller_net) == (Money(2_000), Money(0), Money(8_000))


def test_the_buyer_fee_is_part_of_the_full_price_rounded_once():
    """Fee and price are taxed together, once, half up: 105.50 x 15% = 15.825 -> 15.83."""
    # given the buyer fee on (5.5% of 100.00 = 5.50, no fixed part at the threshold)
    policy = replace(DEEMED, buyer_fee_enabled=True)
    # when 100.00 is quoted
    quote = quote_order(price=Money(10_000), seller=UNREGISTERED, at=AT, policy=policy)
    # then the fee carries no VAT of its own: it is in the full-price VAT
    assert (quote.buyer_fee, quote.buyer_fee_vat, quote.full_price_vat) == (Money(550), Money(0), Money(1_583))
    assert quote.total == Money(10_000 + 550 + 1_583)


@pytest.mark.parametrize(
    ("policy", "seller"),
    [(DEEMED, SellerTerms(vat_registered=True)), (FeePolicy(), UNREGISTERED), (FeePolicy(), SellerTerms())],
    ids=["registered-seller", "switch-off", "switch-off-registered"],
)
def test_registered_sellers_and_the_switch_off_keep_the_agent_model(policy, seller):
    # given a registered seller, or the switch off
    # when an order is quoted (with the buyer fee on, so every VAT shows)
    quote = quote_order(price=Money(10_000), extras=[Money(5_000)], seller=seller, at=AT, policy=replace(policy, buyer_fee_enabled=True))
    # then it is today's quote to the halala: VAT on commission and fee only
    agent = quote_order(price=Money(10_000), extras=[Money(5_000)], seller=SellerTerms(), at=AT, policy=FeePolicy(buyer_fee_enabled=True))
    assert quote == agent
    assert not quote.deemed_supplier and quote.full_price_vat == Money(0)


def test_the_rule_is_saudi_an_aed_order_keeps_the_agent_model():
    quote = quote_order(price=Money(10_000, "AED"), seller=UNREGISTERED, at=AT, policy=DEEMED)
    assert not quote.deemed_supplier and quote.full_price_vat == Money(0, "AED") and quote.commission_vat == Money(100, "AED")


def test_a_tip_is_never_part_of_a_deemed_quote():
    with pytest.raises(ValueError, match="tip"):
        quote_order(price=Money(10_000), tip=Money(500), seller=UNREGISTERED, at=AT, policy=DEEMED)


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_the_switch_in_the_fees_file_must_be_true_or_false(value):
    with pytest.raises(TypeError, match="deemed_supplier"):
        parse_fee_policy({"deemed_supplier": value})


@given(
    price=amounts,
    quantity=st.integers(1, 50),
    extras=st.lists(amounts, max_size=4),
    policy=policies.map(lambda policy: replace(policy, deemed_supplier=True)),
)
def test_deemed_parts_add_up_round_half_up_and_are_never_negative(price, quantity, extras, policy):
    """Whatever the price and policy: no halala lost or created, VAT half up once on the full price."""
    # given any order of an unregistered seller under any policy within bounds
    # when it is quoted
    quote = quote_order(price=price, quantity=quantity, extras=extras, seller=UNREGISTERED, at=AT, policy=policy)
    # then the VAT is the full price's, rounded half up once
    full_price = quote.subtotal.minor + quote.buyer_fee.minor
    assert quote.full_price_vat.minor == half_up(full_price, quote.vat_rate_bp)
    assert quote.commission_vat.minor == quote.buyer_fee_vat.minor == 0
    # and the buyer's total splits exactly into the seller's net, the commission, the fee and the VAT
    assert quote.total.minor == quote.seller_net.minor + quote.commission.minor + quote.buyer_fee.minor + quote.full_price_vat.minor
    assert quote.total.minor == full_price + quote.full_price_vat.minor
    assert quote.seller_net + quote.commission == quote.subtotal
    # and every amount is a non-negative integer of halalas
    for amount in (quote.total, quote.seller_net, quote.commission, quote.full_price_vat, quote.buyer_fee):
        assert type(amount.minor) is int and amount.minor >= 0
