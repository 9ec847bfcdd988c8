"""A fake Moyasar for tests: a real HTTP server on loopback with the endpoints the gateway uses.

It implements only what Mihan calls, shaped as Moyasar documents it (payments.md §1 and the
pages cited in ``app/payments/moyasar.py``):

* ``POST /v1/invoices``, ``GET /v1/invoices?metadata[key]=value``, ``GET /v1/invoices/{id}``
  (with the invoice's payment attempts), ``GET /v1/payments/{id}``,
  ``POST /v1/payments/{id}/refund {amount}``; all behind HTTP Basic with the secret key as the
  user name and an empty password (401 otherwise), JSON in and out, amounts in halalas.
* The hosted page a test drives as the buyer would: ``POST /invoices/{id}/pay {"number", "challenge"}``
  pays with one of Moyasar's test cards (paid, or failed with the bank's message); with
  ``challenge`` the bank asks for 3-D Secure first and ``POST /3ds/{payment}`` {"pass"} answers
  it; ``POST /invoices/{id}/back`` is the page's back button. Paying redirects to
  ``success_url``, the back button to ``back_url``.
* Webhooks: each payment change queues Moyasar's envelope (``id, type, created_at,
  secret_token, account_name, live, data``); ``deliver(url)`` POSTs the queued ones.
* Fault injection (``fail_next``): a 5xx or a slow answer (past the client's time-out) on the
  next matching request, with or without the request having taken effect.
* Tampering (``tamper``) and a refund made outside Mihan (``refund_outside``), as someone with
  dashboard access could.

Where the docs are silent the fake makes one documented choice: a failed attempt fails its
invoice (``failed`` is an invoice status), and a full refund marks the payment and its invoice
``refunded`` while a partial one leaves them ``paid`` (payments.md §1.4).
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.fakes.gateway import FakeServer
from tests.fakes.loopback import QuietHandler

SECRET_KEY = "sk_test_fake7Wq2"
WEBHOOK_SECRET = "whsec-fake-3f9a"
PAID_CARD = "4111111111111111"
# Moyasar's test cards (payments.md §1.9): number -> (status, the bank's message)
CARDS = {
    "4111111111111111": ("paid", "APPROVED"),
    "4201320111111010": ("paid", "APPROVED"),
    "5421080101000000": ("paid", "APPROVED"),
    "4201320000013020": ("failed", "UNSPECIFIED FAILURE"),
    "4201320000311101": ("failed", "INSUFFICIENT FUNDS"),
    "4201320131000508": ("failed", "DECLINED: LOST CARD"),
    "4201321234411220": ("failed", "DECLINED"),
    "4201322267774310": ("failed", "EXPIRED CARD"),
    "4201326324640570": ("failed", "EXCEEDS WITHDRAWAL LIMIT"),
    "4201321144311528": ("failed", "STOLEN CARD"),
}
THREE_DS_FAILED = "3-D Secure transaction attempt failed (Authentication Failed)"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _format(minor: int, currency: str) -> str:
    return f"{minor // 100}.{minor % 100:02d} {currency}"


class FakeMoyasar(FakeServer):
    """The fake's state and its server; use ``running()`` as a context manager."""

    api_prefix = "/v1/"
    fault_answer = {"type": "api_error", "message": "injected"}

    def __init__(self, *, secret_key: str = SECRET_KEY, webhook_secret: str = WEBHOOK_SECRET) -> None:
        super().__init__()
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.invoices: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []  # queued webhook envelopes
        self._cards: dict[str, str] = {}  # payment id -> the card number typed (never in a response)

    @property
    def api_url(self) -> str:
        return self.url + "/v1"

    # -- what tests use ---------------------------------------------------------------------

    def invoice_of(self, page_url: str) -> dict[str, Any]:
        return self.invoices[urlsplit(page_url).path.rsplit("/", 1)[-1]]

    def tamper(self, invoice_id: str, *, amount: int | None = None, currency: str | None = None, payment: bool = True) -> None:
        """Change the money of the invoice's payments (or of the invoice itself)."""
        with self._lock:
            invoice = self.invoices[invoice_id]
            for record in invoice["payments"] if payment else [invoice]:
                record["amount"] = record["amount"] if amount is None else amount
                record["currency"] = record["currency"] if currency is None else currency

    def refund_outside(self, payment_id: str, amount: int) -> None:
        """A refund made on the dashboard, not through Mihan."""
        with self._lock:
            self._refund(self.payments[payment_id], amount)

    def envelope(self, payment: dict[str, Any], kind: str | None = None, *, secret_token: str | None = None) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "type": kind or f"payment_{payment['status']}",
            "created_at": _now(),
            "secret_token": self.webhook_secret if secret_token is None else secret_token,
            "account_name": "Mihan",
            "live": False,
            "data": json.loads(json.dumps(payment)),
        }

    def deliver(self, url: str, events: list[dict[str, Any]] | None = None) -> list[int]:
        """POST queued envelopes (or ``events``) to ``url`` as Moyasar does; the status codes.

        Queued envelopes are removed once delivered, whatever the answer (Moyasar retries on
        its own schedule; a test replays by passing ``events``).
        """
        with self._lock:
            batch = list(self.events) if events is None else list(events)
            if events is None:
                self.events.clear()
        with httpx.Client(timeout=10) as client:
            return [client.post(url, content=json.dumps(event).encode(), headers={"Content-Type": "application/json"}).status_code for event in batch]

    # -- the server -------------------------------------------------------------------------

    def _route(self, request: QuietHandler, path: str, query: dict[str, str], body: bytes) -> tuple[int, Any, dict[str, str]]:
        segments = [s for s in path.split("/") if s]
        method = request.command
        if segments[:1] == ["v1"]:
            if not self._authorized(request.headers.get("Authorization", "")):
                return 401, {"type": "authentication_error", "message": "Invalid authorization credentials", "errors": None}, {}
            return self._api(method, segments[1:], query, body)
        return self._page(method, segments, body)

    def _authorized(self, header: str) -> bool:
        expected = "Basic " + base64.b64encode(f"{self.secret_key}:".encode()).decode()
        return header == expected

    def _api(self, method: str, segments: list[str], query: dict[str, str], body: bytes) -> tuple[int, Any, dict[str, str]]:
        match method, segments:
            case "POST", ["invoices"]:
                return self._create_invoice(body)
            case "GET", ["invoices"]:
                wanted = {k[len("metadata[") : -1]: v for k, v in query.items() if k.startswith("metadata[") and k.endswith("]")}
                found = [i for i in reversed(self.invoices.values()) if all((i["metadata"] or {}).get(k) == v for k, v in wanted.items())]
                meta = {"current_page": 1, "next_page": None, "prev_page": None, "total_pages": 1, "total_count": len(found)}
                return 200, {"invoices": found[:40], "meta": meta}, {}
            case "GET", ["invoices", invoice_id] if invoice_id in self.invoices:
                return 200, self.invoices[invoice_id], {}
            case "GET", ["payments", payment_id] if payment_id in self.payments:
                return 200, self.payments[payment_id], {}
            case "POST", ["payments", payment_id, "refund"] if payment_id in self.payments:
                amount = json.loads(body or b"{}").get("amount")
                payment = self.payments[payment_id]
                left = payment["amount"] - payment["refunded"]
                if payment["status"] not in ("paid", "captured") or type(amount) is not int or not 0 < amount <= left:
                    return 400, {"type": "invalid_request_error", "message": "Refund amount is invalid", "errors": None}, {}
                self._refund(payment, amount)
                return 200, payment, {}
        return 404, {"type": "record_not_found", "message": "Object not found", "errors": None}, {}

    def _create_invoice(self, body: bytes) -> tuple[int, Any, dict[str, str]]:
        data = json.loads(body or b"{}")
        metadata = data.get("metadata") or {}
        valid = (
            type(data.get("amount")) is int and data["amount"] >= 100
            and isinstance(data.get("description"), str) and data["description"]
            and isinstance(metadata, dict) and len(metadata) <= 30
            and all(isinstance(k, str) and len(k) <= 40 and isinstance(v, str) and len(v) <= 500 for k, v in metadata.items())
        )
        if not valid:
            return 400, {"type": "invalid_request_error", "message": "Validation Failed", "errors": {"amount": ["invalid"]}}, {}
        invoice_id = str(uuid.uuid4())
        currency = data.get("currency") or "SAR"
        self.invoices[invoice_id] = {
            "id": invoice_id,
            "status": "initiated",
            "amount": data["amount"],
            "currency": currency,
            "description": data["description"],
            "logo_url": None,
            "amount_format": _format(data["amount"], currency),
            "url": f"{self.url}/invoices/{invoice_id}",
            "callback_url": data.get("callback_url"),
            "success_url": data.get("success_url"),
            "back_url": data.get("back_url"),
            "expired_at": data.get("expired_at"),
            "created_at": _now(),
            "updated_at": _now(),
            "metadata": metadata or None,
            "payments": [],
        }
        return 201, self.invoices[invoice_id], {}

    def _page(self, method: str, segments: list[str], body: bytes) -> tuple[int, Any, dict[str, str]]:
        form = json.loads(body or b"{}") if method == "POST" else {}
        match method, segments:
            case "GET", ["invoices", invoice_id] if invoice_id in self.invoices:
                invoice = self.invoices[invoice_id]
                return 200, {"page": "checkout", "amount_format": invoice["amount_format"], "status": invoice["status"]}, {}
            case "POST", ["invoices", invoice_id, "back"] if invoice_id in self.invoices:
                return 302, None, {"Location": self.invoices[invoice_id]["back_url"]}
            case "POST", ["invoices", invoice_id, "pay"] if invoice_id in self.invoices:
                invoice = self.invoices[invoice_id]
                if invoice["status"] != "initiated":
                    return 409, {"message": f"invoice is {invoice['status']}"}, {}
                payment = self._attempt(invoice, str(form.get("number", "")))
                if form.get("challenge"):
                    payment["source"]["transaction_url"] = f"{self.url}/3ds/{payment['id']}"
                    return 302, None, {"Location": payment["source"]["transaction_url"]}
                return self._settle(invoice, payment, *self._outcome(payment))
            case "POST", ["3ds", payment_id] if payment_id in self.payments:
                payment = self.payments[payment_id]
                invoice = self.invoices[payment["invoice_id"]]
                if payment["status"] != "initiated":
                    return 409, {"message": f"payment is {payment['status']}"}, {}
                if not form.get("pass"):
                    return self._settle(invoice, payment, "failed", THREE_DS_FAILED)
                return self._settle(invoice, payment, *self._outcome(payment))
        return 404, {"message": "page not found"}, {}

    def _outcome(self, payment: dict[str, Any]) -> tuple[str, str]:
        """What the bank does with the attempt's card; an unlisted card fails (newer docs)."""
        return CARDS.get(self._cards[payment["id"]], ("failed", "UNSPECIFIED FAILURE"))

    def _attempt(self, invoice: dict[str, Any], number: str) -> dict[str, Any]:
        payment_id = str(uuid.uuid4())
        payment = {
            "id": payment_id,
            "status": "initiated",
            "amount": invoice["amount"],
            "fee": 0,
            "currency": invoice["currency"],
            "refunded": 0,
            "refunded_at": None,
            "captured": 0,
            "captured_at": None,
            "voided_at": None,
            "description": invoice["description"],
            "amount_format": invoice["amount_format"],
            "invoice_id": invoice["id"],
            "ip": "127.0.0.1",
            "callback_url": None,
            "created_at": _now(),
            "updated_at": _now(),
            "metadata": None,
            "source": {
                "type": "creditcard",
                "company": "mada" if number.startswith("420132") else "visa",
                "name": "Abdullah Saleh",
                "number": f"{number[:6]}-XX-XXXX-{number[-4:]}",
                "message": None,
                "transaction_url": None,
                "gateway_id": f"moyasar_cc_{uuid.uuid4().hex[:20]}",
                "reference_number": None,
            },
        }
        invoice["payments"].append(payment)
        self.payments[payment_id] = payment
        self._cards[payment_id] = number
        return payment

    def _settle(self, invoice: dict[str, Any], payment: dict[str, Any], status: str, message: str) -> tuple[int, Any, dict[str, str]]:
        payment.update(status=status, updated_at=_now())
        payment["source"]["message"] = message
        invoice.update(status=status, updated_at=_now())
        self.events.append(self.envelope(payment))
        if status == "paid":
            return 302, None, {"Location": invoice["success_url"]}
        return 200, {"page": "checkout", "status": status, "message": message}, {}

    def _refund(self, payment: dict[str, Any], amount: int) -> None:
        payment["refunded"] += amount
        payment["refunded_at"] = payment["updated_at"] = _now()
        if payment["refunded"] == payment["amount"]:
            payment["status"] = "refunded"
            self.invoices[payment["invoice_id"]]["status"] = "refunded"
        self.events.append(self.envelope(payment, "payment_refunded"))
