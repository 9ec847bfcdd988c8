"""Payments: the gateway contract, the enabled gateways, webhooks, and the built-in sandbox."""

from app.payments.errors import PaymentError
from app.payments.gateway import PaymentGateway, PaymentResult, RefundResult, Started
from app.payments.registry import enabled_gateways, get_gateway
from app.payments.webhooks import PaymentResultHandler, receive_webhook, register_result_handler

__all__ = [
    "PaymentError",
    "PaymentGateway",
    "PaymentResult",
    "PaymentResultHandler",
    "RefundResult",
    "Started",
    "enabled_gateways",
    "get_gateway",
    "receive_webhook",
    "register_result_handler",
]
