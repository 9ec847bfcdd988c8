"""The platform's fee policy: commission rates, the founding-seller window, VAT and the buyer fee.

Every default of docs/domain.md lives here once. ``MIHAN_FEES_FILE`` may name a JSON object
that overrides any field (an admin screen can later store the same object), so a founder turns
the buyer fee on, or runs a UAE platform, without touching code. Rates are integer basis points
(2000 = 20%) and fixed amounts integer minor units of the order's currency: a float in the file
is refused rather than rounded.

The bounds are sanity limits that also prove the seller's net is never negative: with
commission at most 50% and VAT at most 25%, half-up rounding cannot push commission plus its
VAT above the amount it was taken from.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.core.settings import get_settings, load_json

MAX_COMMISSION_BP = 5_000
MAX_VAT_BP = 2_500


@dataclass(frozen=True)
class TaxRule:
    """VAT for one currency: the country it is owed to (names the ledger account) and its rate."""

    country: str
    rate_bp: int

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{2}", str(self.country)):
            raise ValueError(f"not an ISO 3166 country code: {self.country!r}")
        _bounded("VAT rate", self.rate_bp, MAX_VAT_BP)


def _default_taxes() -> dict[str, TaxRule]:
    return {"SAR": TaxRule("SA", 1_500), "AED": TaxRule("AE", 500)}


@dataclass(frozen=True)
class FeePolicy:
    """What the platform charges; see docs/domain.md ("Commission", "Defaults at a glance")."""

    commission_bp: int = 2_000  # taken from the seller
    founding_bp: int = 0  # founding sellers' rate ...
    founding_days: int = 90  # ... for this many days from their founding date
    level_bp: Mapping[str, int] = field(default_factory=dict)  # seller level -> rate
    plan_bp: Mapping[str, int] = field(default_factory=dict)  # paid plan -> rate
    taxes: Mapping[str, TaxRule] = field(default_factory=_default_taxes)  # currency -> VAT
    # the optional buyer service fee, Fiverr-style: 5.5% plus 3.00 on orders under 100.00
    buyer_fee_enabled: bool = False
    buyer_fee_bp: int = 550
    buyer_fee_fixed_minor: int = 300
    buyer_fee_threshold_minor: int = 10_000
    # the 2026 deemed-supplier rule (payments.md §4.5): for sellers without VAT registration the
    # platform sells the whole service and charges VAT on the full price. Off until a tax adviser
    # confirms it for the platform (docs/architecture.md, Invoices); the fees file turns it on.
    deemed_supplier: bool = False

    def __post_init__(self) -> None:
        for name, rate in (("commission", self.commission_bp), ("founding rate", self.founding_bp)):
            _bounded(name, rate, MAX_COMMISSION_BP)
        for table in (self.level_bp, self.plan_bp):
            for name, rate in table.items():
                _bounded(f"rate of {name!r}", rate, MAX_COMMISSION_BP)
        for currency, rule in self.taxes.items():
            if not isinstance(rule, TaxRule):
                raise TypeError(f"the VAT of {currency} must be a TaxRule")
        for name in ("buyer_fee_enabled", "deemed_supplier"):
            if type(getattr(self, name)) is not bool:
                raise TypeError(f"{name} must be true or false")
        _bounded("buyer fee", self.buyer_fee_bp, MAX_COMMISSION_BP)
        for name in ("founding_days", "buyer_fee_fixed_minor", "buyer_fee_threshold_minor"):
            _bounded(name, getattr(self, name), None)

    def tax(self, currency: str) -> TaxRule:
        """The VAT rule of ``currency``.

        Raises:
            ValueError: the policy has no VAT rule for that currency.
        """
        try:
            return self.taxes[currency]
        except KeyError:
            raise ValueError(f"no VAT rule for {currency}: add it to the fee policy") from None


def _bounded(name: str, value: object, upper: int | None) -> None:
    if type(value) is not int:
        raise TypeError(f"{name} must be an integer, not {value!r}")
    if value < 0 or (upper is not None and value > upper):
        raise ValueError(f"{name} must be between 0 and {upper}, not {value}" if upper is not None else f"{name} must not be negative")


def parse_fee_policy(data: object) -> FeePolicy:
    """Build a policy from a JSON object whose keys are ``FeePolicy`` fields (any subset).

    Raises:
        ValueError, TypeError: not an object, an unknown key, or a value out of bounds.
    """
    if not isinstance(data, dict):
        raise ValueError("the fee policy must be a JSON object")
    unknown = set(data) - {f.name for f in dataclasses.fields(FeePolicy)}
    if unknown:
        raise ValueError(f"unknown fee policy fields: {sorted(unknown)}")
    values = dict(data)
    if "taxes" in values:
        values["taxes"] = {currency: TaxRule(**rule) for currency, rule in values["taxes"].items()}
    return FeePolicy(**values)


def get_fee_policy() -> FeePolicy:
    """The policy of this process: the defaults, overridden by ``MIHAN_FEES_FILE`` when set."""
    return _load(get_settings().fees_file)


@lru_cache(maxsize=4)
def _load(path: Path | None) -> FeePolicy:
    return FeePolicy() if path is None else parse_fee_policy(load_json(path))
