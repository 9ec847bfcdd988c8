"""What an order costs the buyer and earns the seller: the breakdown stored on the order.

Pure functions of the order's price, the seller's terms, the moment and the fee policy, so the
gig page, checkout and the tax invoice all compute the same numbers, and tests can walk every
case. All amounts are ``Money``; every percentage goes through ``Money.percent`` (half up to
the minor unit, the rounding ZATCA expects for VAT). The parts always add back to the total:

    total = subtotal + tip + buyer_fee + buyer_fee_vat
          = seller_net + commission + commission_vat + buyer_fee + buyer_fee_vat

Commission is taken from the seller on the subtotal and the tip together (tips carry
commission). The buyer fee is charged on the subtotal only: a tip is the buyer's gift to the
seller, not a purchase.

Deemed supplier (the policy's ``deemed_supplier`` on, the seller not VAT-registered): the
platform sells the whole service in its own name, so the buyer pays VAT on the full price
(subtotal + buyer fee), rounded half up once on that sum as the full-price invoice computes it
(``full_price_vat``); the commission is the platform's margin inside that supply and carries no
VAT of its own, and the fee's VAT is part of the full-price VAT. Then

    total = subtotal + buyer_fee + full_price_vat = seller_net + commission + buyer_fee + full_price_vat

A tip is never part of a deemed quote: tips are quoted on their own, in the agent model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.core.clock import as_utc
from app.core.money import Money
from app.pricing.policy import FeePolicy, get_fee_policy


class CommissionRule(StrEnum):
    """Which rule set the commission rate (shown to the seller, kept for the invoice)."""

    DEFAULT = "default"
    FOUNDING = "founding"
    LEVEL = "level"
    PLAN = "plan"


@dataclass(frozen=True)
class SellerTerms:
    """What of the seller decides their commission."""

    level: str = "new"
    plan: str = ""
    founding_since: datetime | None = None  # set for founding sellers
    vat_registered: bool = True  # False: the platform is the deemed supplier when the policy says so


@dataclass(frozen=True)
class Quote:
    """The money of one order (or of a tip given later), as the order stores it."""

    subtotal: Money  # packages x quantity + extras
    tip: Money
    buyer_fee: Money
    buyer_fee_vat: Money
    commission_rate_bp: int
    commission_rule: CommissionRule
    commission: Money
    commission_vat: Money
    seller_net: Money
    vat_country: str  # names the output-VAT account: ledger.chart.vat_output(vat_country)
    vat_rate_bp: int
    deemed_supplier: bool  # the platform sells the whole service: VAT on the full price
    full_price_vat: Money  # deemed supplier: VAT on subtotal + buyer fee; zero otherwise

    @property
    def currency(self) -> str:
        return self.subtotal.currency

    @property
    def total(self) -> Money:
        """What the buyer pays."""
        return self.subtotal + self.tip + self.buyer_fee + self.buyer_fee_vat + self.full_price_vat


def commission_rate(seller: SellerTerms, *, at: datetime, policy: FeePolicy) -> tuple[int, CommissionRule]:
    """The seller's rate at ``at``: the lowest of every rule that applies to them.

    Every override in the domain is a reward (a founding promise, a better level, a paid plan),
    so the seller gets the best one they qualify for; on a tie the more general rule is named.
    """
    rates = [(policy.commission_bp, CommissionRule.DEFAULT)]
    if seller.level in policy.level_bp:
        rates.append((policy.level_bp[seller.level], CommissionRule.LEVEL))
    if seller.plan in policy.plan_bp:
        rates.append((policy.plan_bp[seller.plan], CommissionRule.PLAN))
    if seller.founding_since is not None and at < as_utc(seller.founding_since) + timedelta(days=policy.founding_days):
        rates.append((policy.founding_bp, CommissionRule.FOUNDING))
    return min(rates, key=lambda rate: rate[0])


def quote_order(
    *,
    price: Money,
    seller: SellerTerms,
    at: datetime,
    quantity: int = 1,
    extras: Sequence[Money] = (),
    tip: Money | None = None,
    policy: FeePolicy | None = None,
) -> Quote:
    """Price an order of ``quantity`` x the package ``price`` plus ``extras`` (each once).

    A tip given after the order is quoted on its own with ``price=Money(0)`` and ``tip=``.
    ``at`` is the moment of checkout: it decides whether a founding seller is still in their
    window, and the quote is frozen on the order from then on.

    Raises:
        ValueError: a negative amount, a quantity below one, mixed currencies, a currency
            without a VAT rule in the policy, or a tip in a deemed-supplier quote.
    """
    policy = policy or get_fee_policy()
    tip = tip if tip is not None else Money(0, price.currency)
    if type(quantity) is not int or quantity < 1:
        raise ValueError("quantity must be a whole number of at least 1")
    if any(amount.minor < 0 for amount in (price, tip, *extras)):
        raise ValueError("prices, extras and tips cannot be negative")
    subtotal = Money(price.minor * quantity, price.currency)
    for extra in extras:
        subtotal += extra
    vat = policy.tax(price.currency)
    buyer_fee = _buyer_fee(subtotal, policy)
    rate, rule = commission_rate(seller, at=at, policy=policy)
    earned = subtotal + tip
    commission = earned.percent(rate)
    # Art. 47(3) of the Saudi VAT regulations: the rule is Saudi, and so is the invoice it needs
    deemed = policy.deemed_supplier and not seller.vat_registered and vat.country == "SA"
    if deemed and not tip.is_zero:
        raise ValueError("a tip is quoted on its own, never in a deemed-supplier quote")
    zero = Money(0, price.currency)
    commission_vat = zero if deemed else commission.percent(vat.rate_bp)
    return Quote(
        subtotal=subtotal,
        tip=tip,
        buyer_fee=buyer_fee,
        buyer_fee_vat=zero if deemed else buyer_fee.percent(vat.rate_bp),
        commission_rate_bp=rate,
        commission_rule=rule,
        commission=commission,
        commission_vat=commission_vat,
        seller_net=earned - commission - commission_vat,
        vat_country=vat.country,
        vat_rate_bp=vat.rate_bp,
        deemed_supplier=deemed,
        full_price_vat=(subtotal + buyer_fee).percent(vat.rate_bp) if deemed else zero,
    )


def _buyer_fee(subtotal: Money, policy: FeePolicy) -> Money:
    """The percentage of the subtotal, plus the fixed part below the threshold; none on nothing."""
    if not policy.buyer_fee_enabled or subtotal.is_zero:
        return Money(0, subtotal.currency)
    fee = subtotal.percent(policy.buyer_fee_bp)
    if subtotal.minor < policy.buyer_fee_threshold_minor:
        fee += Money(policy.buyer_fee_fixed_minor, subtotal.currency)
    return fee
