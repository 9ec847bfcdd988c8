"""The HTTP plumbing the real gateways share (private to ``app.payments``).

Every call is made inside the caller's database transaction, so it has a short time-out; a call
that is not answered, or answered 5xx, has an unknown outcome (``Unavailable``): the gateway
finds out whether it happened (``once_more``) before trying again, and a caller that still gets
no answer is told ``payment.gateway_unavailable``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

import httpx

from app.payments.errors import PaymentError

log = logging.getLogger(__name__)
T = TypeVar("T")


class Unavailable(Exception):
    """The gateway did not answer, or answered 5xx: the request's outcome is unknown."""


@contextmanager
def opened(client: httpx.Client | None, build: Callable[[], httpx.Client], gateway: str) -> Iterator[httpx.Client]:
    """``client`` (a test's), or one ``build`` makes for this operation and closes after it; an
    unanswered call inside becomes ``payment.gateway_unavailable``."""
    used = client or build()
    try:
        yield used
    except Unavailable as exc:
        log.warning("%s is unavailable: %s", gateway, exc)
        raise PaymentError("payment.gateway_unavailable") from exc
    finally:
        if client is None:
            used.close()


def send(
    client: httpx.Client,
    method: str,
    path: str,
    *,
    body: object = None,
    params: Mapping[str, str] | list[tuple[str, str]] | None = None,
    form: list[tuple[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """One request, JSON (``body``) or form-encoded (``form``, Stripe's); no answer or a 5xx
    raises ``Unavailable``, any other answer is returned."""
    try:
        response = client.request(method, path, json=body, data=dict(form) if form else None, params=params, headers=headers)
    except httpx.TimeoutException as exc:
        raise Unavailable(f"{method} {path} timed out") from exc
    except httpx.TransportError as exc:
        raise Unavailable(f"{method} {path}: {type(exc).__name__}") from exc
    if response.status_code >= 500:
        raise Unavailable(f"{method} {path}: HTTP {response.status_code}")
    return response


def once_more(call: Callable[[], T], done: Callable[[], T | None], gateway: str) -> T:
    """``call``; if the gateway did not answer, ``done()`` says whether it happened anyway, and
    only if it did not is ``call`` tried once more."""
    try:
        return call()
    except Unavailable as exc:
        log.warning("%s did not answer (%s): checking whether it was done before trying once more", gateway, exc)
        found = done()
        return found if found is not None else call()
