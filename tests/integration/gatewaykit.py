"""What the contract tests of the real gateways share: Mihan's routes on loopback, a fake
gateway switched on beside the sandbox, the buyer's return, and the books after each step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.core import db
from app.core.settings import get_settings
from app.http import build_routes
from app.ledger import chart
from app.orders import checkout
from app.core.money import Money
from app.payments import PaymentError, RefundResult, get_gateway
from models.orders import Order, Payment, PaymentStatus
from tests.fakes.gateway import FakeServer
from tests.fakes.loopback import serve_asgi
from tests.integration.orderkit import ledger_clean, money, order_of
from tests.integration.statekit import rows


Fake = TypeVar("Fake", bound=FakeServer)


@pytest.fixture
def site() -> Iterator[str]:
    """Mihan's plain HTTP routes (webhooks, returns) on a loopback port: MIHAN_BASE_URL for the test."""
    with serve_asgi(build_routes()) as url:
        yield url


@contextmanager
def switched_on(monkeypatch: pytest.MonkeyPatch, module: ModuleType, settings: dict[str, str], *, timeout: float = 0.5) -> Iterator[None]:
    """The gateway of ``module`` switched on with ``settings``; its calls time out after ``timeout`` seconds."""
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(module, "TIMEOUT", httpx.Timeout(timeout))
    get_settings.cache_clear()
    try:
        yield
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@contextmanager
def fake_switched_on(monkeypatch: pytest.MonkeyPatch, module: ModuleType, fake: Fake, site: str, keys: dict[str, str]) -> Iterator[Fake]:
    """``fake`` running, and the gateway of ``module`` switched on beside the sandbox with its
    ``keys``, its API URL pointing at the fake and the site's base URL ``site``."""
    name = module.NAME
    with fake.running() as running:
        settings = {"MIHAN_PAYMENT_GATEWAYS": f"sandbox,{name}", f"MIHAN_{name.upper()}_API_URL": running.api_url, "MIHAN_BASE_URL": site, **keys}
        with switched_on(monkeypatch, module, settings):
            yield running


def start(shop: dict[str, int], order_id: int, gateway: str) -> str:
    """«ادفع بالبطاقة»: checkout starts the payment; the URL of the gateway's page."""
    with db.transaction() as session:
        return checkout.start_payment(session, order_id=order_id, user_id=shop["buyer"], gateway=gateway, return_url=f"/checkout/{order_id}/return")


def on_page(url: str, action: str, **form: object) -> httpx.Response:
    """The buyer clicks on a fake gateway's hosted page (``pay``, ``back``) or the bank's 3-D Secure page."""
    return httpx.post(f"{url}/{action}" if action else url, json=form, follow_redirects=False)


def back_to_site(response: httpx.Response, site: str, order_id: int) -> str:
    """Where the page sent the buyer: our return path, absolute; the reference it carries."""
    assert response.status_code == 302, response.text
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == site and target.path == f"/checkout/{order_id}/return"
    [reference] = parse_qs(target.query)["reference"]
    return reference


def come_back(gateway: str, reference: str) -> Order | None:
    """The checkout's return page: ask the gateway, apply what it says."""
    with db.transaction() as session:
        return checkout.confirm_payment(session, gateway=gateway, reference=reference)


def refund(gateway: str, reference: str, minor: int, key: str, currency: str = "SAR") -> RefundResult:
    with db.transaction() as session:
        return get_gateway(gateway).refund(session, reference=reference, amount=Money(minor, currency), idempotency_key=key)


def payment_rows(order_id: int) -> list[Payment]:
    return rows(Payment, Payment.order_id == order_id)


def refusal(action: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    with pytest.raises(PaymentError) as caught:
        action(*args, **kwargs)
    return caught.value.key


def held(order_id: int, gateway: str) -> tuple[int, int]:
    """The order's escrow and the gateway's clearing account."""
    return money(chart.escrow(order_id)), money(chart.psp_clearing(gateway))


def unpaid(order_id: int, gateway: str) -> None:
    """Nothing moved: the order waits for payment and the books are clean."""
    assert order_of(order_id).status == "placed"
    assert held(order_id, gateway) == (0, 0)
    ledger_clean()


def paid_once(order_id: int, gateway: str) -> None:
    """The order's total moved from the gateway's clearing into escrow, exactly once."""
    order = order_of(order_id)
    assert order.paid_at is not None and order.payment_method == gateway
    assert held(order_id, gateway) == (order.total_minor, order.total_minor)
    assert [p.status for p in payment_rows(order_id)].count(PaymentStatus.PAID.value) == 1
    ledger_clean()
