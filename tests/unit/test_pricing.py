"""Pricing: the worked example, the commission rules, the buyer fee, tips, and parts that add up."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.money import Money
from app.core.settings import get_settings
from app.pricing import CommissionRule, FeePolicy, Quote, SellerTerms, TaxRule, get_fee_policy, parse_fee_policy, quote_order

AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SELLER = SellerTerms()
FEE_ON = FeePolicy(buyer_fee_enabled=True)


def test_worked_example_100_sar():
    """docs/domain.md: price 100.00 SAR -> commission 20.00, VAT 3.00, the seller receives 77.00."""
    # given a 100.00 SAR package and the default policy
    # when it is quoted
    quote = quote_order(price=Money(10_000), seller=SELLER, at=AT, policy=FeePolicy())
    # then the split is the one of the domain notes, and the buyer pays just the price
    assert (quote.commission, quote.commission_vat, quote.seller_net) == (Money(2_000), Money(300), Money(7_700))
    assert (quote.commission_rate_bp, quote.commission_rule) == (2_000, CommissionRule.DEFAULT)
    assert (quote.vat_country, quote.vat_rate_bp) == ("SA", 1_500)
    assert quote.buyer_fee == quote.buyer_fee_vat == Money(0)
    assert quote.total == Money(10_000)


def test_the_default_policy_matches_the_domain_defaults():
    """20% seller-side, founding sellers 0% for 90 days, no buyer fee unless a founder turns it on."""
    # given the built-in policy
    policy = FeePolicy()
    # then its numbers are those of docs/domain.md
    assert (policy.commission_bp, policy.founding_bp, policy.founding_days) == (2_000, 0, 90)
    assert policy.taxes == {"SAR": TaxRule("SA", 1_500), "AED": TaxRule("AE", 500)}
    assert not policy.buyer_fee_enabled
    assert (policy.buyer_fee_bp, policy.buyer_fee_fixed_minor, policy.buyer_fee_threshold_minor) == (550, 300, 10_000)


@pytest.mark.parametrize(
    ("days_since_founding", "rate", "rule"),
    [(0, 0, CommissionRule.FOUNDING), (89, 0, CommissionRule.FOUNDING), (90, 2_000, CommissionRule.DEFAULT), (400, 2_000, CommissionRule.DEFAULT)],
)
def test_founding_sellers_pay_nothing_inside_their_window(days_since_founding, rate, rule):
    """Founding sellers keep 0% for their first 90 days, then pay the default rate."""
    # given a founding seller whose founding date was some days before checkout
    seller = SellerTerms(founding_since=AT - timedelta(days=days_since_founding))
    # when an order of 100.00 is quoted
    quote = quote_order(price=Money(10_000), seller=seller, at=AT, policy=FeePolicy())
    # then the rate depends on whether checkout fell inside the window
    assert (quote.commission_rate_bp, quote.commission_rule) == (rate, rule)
    assert quote.seller_net == Money(10_000) - quote.commission - quote.commission_vat


def test_level_and_plan_overrides_give_the_best_rate():
    """Every override is a reward, so the seller gets the lowest rate they qualify for."""
    # given a policy with a top-level rate and a paid plan rate
    policy = FeePolicy(level_bp={"top": 1_500}, plan_bp={"pro": 1_000})
    # when sellers of different levels and plans are quoted
    def rate(seller: SellerTerms) -> tuple[int, CommissionRule]:
        quote = quote_order(price=Money(10_000), seller=seller, at=AT, policy=policy)
        return quote.commission_rate_bp, quote.commission_rule

    # then each gets the lowest rate that applies to them
    assert rate(SellerTerms(level="new")) == (2_000, CommissionRule.DEFAULT)
    assert rate(SellerTerms(level="top")) == (1_500, CommissionRule.LEVEL)
    assert rate(SellerTerms(level="top", plan="pro")) == (1_000, CommissionRule.PLAN)
    assert rate(SellerTerms(plan="pro", founding_since=AT)) == (0, CommissionRule.FOUNDING)


@pytest.mark.parametrize(
    ("subtotal", "fee", "fee_vat"),
    [
        (5_000, 275 + 300, 86),  # 5.5% of 50.00 + 3.00 under the threshold; VAT 86.25 -> 86
        (9_999, 550 + 300, 128),  # 549.945 -> 550 half up; VAT 127.5 -> 128
        (10_000, 550, 83),  # at 100.00 the fixed part stops; VAT 82.5 -> 83
        (20_000, 1_100, 165),
    ],
)
def test_buyer_fee_has_a_fixed_part_under_the_threshold(subtotal, fee, fee_vat):
    """Fiverr-style: 5.5% plus 3.00 on orders under 100.00, and VAT on the fee, half up."""
    # given a policy with the buyer fee on
    # when an order is quoted
    quote = quote_order(price=Money(subtotal), seller=SELLER, at=AT, policy=FEE_ON)
    # then the fee and its VAT are added to what the buyer pays, not taken from the seller
    assert (quote.buyer_fee, quote.buyer_fee_vat) == (Money(fee), Money(fee_vat))
    assert quote.total == Money(subtotal + fee + fee_vat)
    assert quote.seller_net == quote_order(price=Money(subtotal), seller=SELLER, at=AT, policy=FeePolicy()).seller_net


def test_quantity_and_extras_make_the_subtotal():
    """Two of a 50.00 package plus a 20.00 extra is 120.00, and the commission is on all of it."""
    # given a package, a quantity and an extra
    # when it is quoted
    quote = quote_order(price=Money(5_000), quantity=2, extras=[Money(2_000)], seller=SELLER, at=AT, policy=FeePolicy())
    # then the subtotal and the commission cover the whole order
    assert quote.subtotal == Money(12_000)
    assert (quote.commission, quote.commission_vat, quote.seller_net) == (Money(2_400), Money(360), Money(9_240))


def test_tips_carry_commission_but_no_buyer_fee():
    """A tip is earned by the seller like the price (commission applies), but it is not a purchase."""
    # given an order of 100.00 with a 10.00 tip and the buyer fee on
    # when it is quoted
    quote = quote_order(price=Money(10_000), tip=Money(1_000), seller=SELLER, at=AT, policy=FEE_ON)
    # then commission and its VAT are taken on 110.00, the buyer fee only on 100.00
    assert (quote.commission, quote.commission_vat, quote.seller_net) == (Money(2_200), Money(330), Money(8_470))
    assert quote.buyer_fee == Money(550)
    # and a tip given after the order is quoted on its own
    later = quote_order(price=Money(0), tip=Money(1_000), seller=SELLER, at=AT, policy=FEE_ON)
    assert (later.commission, later.commission_vat, later.seller_net, later.buyer_fee) == (Money(200), Money(30), Money(770), Money(0))
    assert later.total == Money(1_000)


def test_vat_follows_the_currency():
    """A UAE platform charges 5% VAT, owed to AE; a currency without a VAT rule is refused."""
    # given an order priced in dirhams
    quote = quote_order(price=Money(10_000, "AED"), seller=SELLER, at=AT, policy=FeePolicy())
    # then VAT is 5% and names the UAE
    assert (quote.commission, quote.commission_vat, quote.seller_net) == (Money(2_000, "AED"), Money(100, "AED"), Money(7_900, "AED"))
    assert quote.vat_country == "AE"
    # and a currency the policy does not know is refused
    with pytest.raises(ValueError, match="no VAT rule"):
        quote_order(price=Money(10_000, "USD"), seller=SELLER, at=AT, policy=FeePolicy())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"price": Money(-1)},
        {"price": Money(100), "tip": Money(-1)},
        {"price": Money(100), "extras": [Money(-5)]},
        {"price": Money(100), "quantity": 0},
        {"price": Money(100), "quantity": 1.0},
        {"price": Money(100), "tip": Money(100, "AED")},
    ],
)
def test_nonsense_orders_are_refused(kwargs):
    """Negative money, no quantity, a float quantity or mixed currencies never reach an order."""
    # given impossible order inputs
    # when they are quoted
    # then they are refused
    with pytest.raises(ValueError):
        quote_order(seller=SELLER, at=AT, policy=FeePolicy(), **kwargs)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"commission_bp": 20.5}, TypeError),  # a float is refused, never rounded
        ({"commission_bp": 5_001}, ValueError),
        ({"level_bp": {"top": -1}}, ValueError),
        ({"taxes": {"SAR": {"country": "SA", "rate_bp": 2_600}}}, ValueError),
        ({"taxes": {"SAR": {"country": "KSA", "rate_bp": 1_500}}}, ValueError),
        ({"buyer_fee_enabled": "yes"}, TypeError),
        ({"comission_bp": 1_000}, ValueError),  # a typo is an unknown field
        ([1, 2], ValueError),
    ],
)
def test_a_fee_policy_file_is_validated(data, error):
    """A founder's typo or float in MIHAN_FEES_FILE fails loudly at start, not in an invoice."""
    # given a malformed policy object
    # when it is parsed
    # then it is refused
    with pytest.raises(error):
        parse_fee_policy(data)


def test_mihan_fees_file_overrides_the_defaults(tmp_path, monkeypatch):
    """A JSON file turns the buyer fee on and changes the VAT table without touching code."""
    # given a fees file naming some fields
    path = tmp_path / "fees.json"
    path.write_text(json.dumps({"buyer_fee_enabled": True, "commission_bp": 1_500, "taxes": {"AED": {"country": "AE", "rate_bp": 500}}}))
    monkeypatch.setenv("MIHAN_FEES_FILE", str(path))
    get_settings.cache_clear()
    try:
        # when the process policy is read
        policy = get_fee_policy()
    finally:
        monkeypatch.delenv("MIHAN_FEES_FILE")
        get_settings.cache_clear()
    # then the named fields change and the others keep their defaults
    assert (policy.buyer_fee_enabled, policy.commission_bp, policy.founding_days) == (True, 1_500, 90)
    assert set(policy.taxes) == {"AED"}
    assert get_fee_policy() == FeePolicy()


policies = st.builds(
    FeePolicy,
    commission_bp=st.integers(0, 5_000),
    founding_bp=st.integers(0, 5_000),
    taxes=st.builds(lambda rate: {"SAR": TaxRule("SA", rate)}, st.integers(0, 2_500)),
    buyer_fee_enabled=st.booleans(),
    buyer_fee_bp=st.integers(0, 5_000),
    buyer_fee_fixed_minor=st.integers(0, 10_000),
    buyer_fee_threshold_minor=st.integers(0, 100_000),
)
amounts = st.integers(0, 10**12).map(Money)


@given(
    price=amounts,
    quantity=st.integers(1, 50),
    extras=st.lists(amounts, max_size=4),
    tip=amounts,
    policy=policies,
    founding=st.none() | st.integers(-200, 200).map(lambda days: AT - timedelta(days=days)),
)
def test_the_parts_always_add_up_and_are_never_negative(price, quantity, extras, tip, policy, founding):
    """Whatever the price and policy, no halala is lost or created and nobody owes a negative."""
    # given any order and any policy within bounds
    # when it is quoted
    quote = quote_order(
        price=price, quantity=quantity, extras=extras, tip=tip, seller=SellerTerms(founding_since=founding), at=AT, policy=policy
    )
    # then the buyer's total splits exactly into the seller's net and the platform's parts
    parts = [quote.seller_net, quote.commission, quote.commission_vat, quote.buyer_fee, quote.buyer_fee_vat]
    assert sum(part.minor for part in parts) == quote.total.minor
    assert quote.seller_net + quote.commission + quote.commission_vat == quote.subtotal + quote.tip
    # and every amount is a non-negative integer of minor units: no floats anywhere
    for field in fields(Quote):
        value = getattr(quote, field.name)
        if isinstance(value, Money):
            assert type(value.minor) is int and value.minor >= 0, field.name
    assert type(quote.commission_rate_bp) is int
