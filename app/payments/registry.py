"""Which gateways buyers may pay through, and each one built from its effective configuration.

``MIHAN_PAYMENT_GATEWAYS`` picks from the known ones (the pilot runs the sandbox alone, the
default); an admin's settings on ``/admin/payments`` switch gateways on or off and replace their
keys over the environment (``app.payments.config``), read again at every call, so a change takes
effect in every worker without a restart. A gateway switched on without its settings (Moyasar
without its secret key) is refused when it is built: ``mihan run`` lists the enabled gateways
before it serves, so that mistake stops the start with one clear line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.settings import get_settings
from app.payments import config
from app.payments.bank import BankTransferGateway
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentGateway
from app.payments.moyasar import MoyasarGateway
from app.payments.paytabs import PaytabsGateway
from app.payments.sandbox import SandboxGateway
from app.payments.stripe import StripeGateway

# Each known gateway, built from its effective settings (``config.effective``; None for the sandbox).
_KNOWN: dict[str, Callable[[Any], PaymentGateway]] = {
    SandboxGateway.name: lambda _settings: SandboxGateway(),
    MoyasarGateway.name: MoyasarGateway,
    PaytabsGateway.name: PaytabsGateway,
    BankTransferGateway.name: BankTransferGateway,
    StripeGateway.name: StripeGateway,  # UAE entities
}


def _build(name: str) -> PaymentGateway:
    return _KNOWN[name](config.effective(name))


def enabled_gateways() -> list[PaymentGateway]:
    """The gateways switched on, in their order (``config.enabled_names``).

    Raises:
        ValueError: the settings name a gateway Mihan does not have (a typo must not pass
            silently), or one whose own settings are missing (Moyasar's secret key, PayTabs'
            profile id and server key).
    """
    unknown = [name for name in get_settings().payment_gateways if name not in _KNOWN]
    if unknown:
        raise ValueError(f"MIHAN_PAYMENT_GATEWAYS names unknown gateways: {', '.join(unknown)}")
    return [_build(name) for name in config.enabled_names()]


def get_gateway(name: object) -> PaymentGateway:
    """The enabled gateway called ``name`` (from an order, or a webhook's URL).

    Raises:
        PaymentError: ``payment.unknown_gateway`` (no such gateway, or not switched on).
    """
    if not isinstance(name, str) or name not in _KNOWN or name not in config.enabled_names():
        raise PaymentError("payment.unknown_gateway")
    return _build(name)
