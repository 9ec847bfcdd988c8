"""Pricing: what an order costs the buyer, what the platform keeps, what the seller earns.

Its own capability rather than part of the ledger or the orders: the ledger moves whatever
amounts it is given and must not know why, and the same numbers are needed outside an order's
life (the gig editor's "you will receive", the tax invoice). Pure functions, no database.
"""

from app.pricing.policy import FeePolicy, TaxRule, get_fee_policy, parse_fee_policy
from app.pricing.quote import CommissionRule, Quote, SellerTerms, commission_rate, quote_order

__all__ = [
    "CommissionRule",
    "FeePolicy",
    "Quote",
    "SellerTerms",
    "TaxRule",
    "commission_rate",
    "get_fee_policy",
    "parse_fee_policy",
    "quote_order",
]
