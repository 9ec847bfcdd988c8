"""Which gateways buyers may pay through: ``MIHAN_PAYMENT_GATEWAYS`` picks from the known ones.

The pilot runs the sandbox alone (the default); the real gateways join ``_KNOWN`` in their own
issue (Moyasar and PayTabs have; bank transfer will) and are switched on by naming them, e.g.
``MIHAN_PAYMENT_GATEWAYS=sandbox,moyasar``. A gateway switched on without its settings (Moyasar
without ``MIHAN_MOYASAR_SECRET_KEY``) is refused when it is built: ``mihan run`` lists the
enabled gateways before it serves, so that mistake stops the start with one clear line.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.settings import get_settings
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentGateway
from app.payments.moyasar import MoyasarGateway
from app.payments.paytabs import PaytabsGateway
from app.payments.sandbox import SandboxGateway
from app.payments.stripe import StripeGateway

_KNOWN: dict[str, Callable[[], PaymentGateway]] = {
    SandboxGateway.name: SandboxGateway,
    MoyasarGateway.name: MoyasarGateway,
    PaytabsGateway.name: PaytabsGateway,
    StripeGateway.name: StripeGateway,  # UAE entities
}


def enabled_gateways() -> list[PaymentGateway]:
    """The gateways the settings switch on, in the order they are named.

    Raises:
        ValueError: the settings name a gateway Mihan does not have (a typo must not pass
            silently), or one whose own settings are missing (Moyasar's secret key, PayTabs'
            profile id and server key).
    """
    names = get_settings().payment_gateways
    unknown = [name for name in names if name not in _KNOWN]
    if unknown:
        raise ValueError(f"MIHAN_PAYMENT_GATEWAYS names unknown gateways: {', '.join(unknown)}")
    return [_KNOWN[name]() for name in names]


def get_gateway(name: object) -> PaymentGateway:
    """The enabled gateway called ``name`` (from an order, or a webhook's URL).

    Raises:
        PaymentError: ``payment.unknown_gateway`` (no such gateway, or not switched on).
    """
    if not isinstance(name, str) or name not in _KNOWN or name not in get_settings().payment_gateways:
        raise PaymentError("payment.unknown_gateway")
    return _KNOWN[name]()
