"""A fake PayTabs for tests: a real HTTP server on loopback with the PT2 endpoints the gateway uses.

It implements only what Mihan calls, shaped as PayTabs documents it (payments.md §2 and the
pages cited in ``app/payments/paytabs.py``):

* ``POST /payment/request`` with ``tran_type "sale"`` (a hosted payment page: ``tran_ref`` and
  ``redirect_url``) or ``"refund"`` (of an authorised sale's ``tran_ref``, all or part of what
  is left); ``POST /payment/query`` by ``tran_ref`` (the transaction) or ``cart_id`` (a list of
  the cart's transactions). Every call needs the server key as the raw ``authorization``
  header and our ``profile_id`` (401 otherwise); amounts are decimal strings in major units.
* Duplicate guard: a request repeating the ``cart_id`` of a sale (or refund) made less than
  ``duplicate_window`` seconds ago is refused with response code 4 (payments.md §2.1
  [secondary]); ``forget_duplicates()`` lets that window pass.
* The hosted page a test drives as the buyer would: ``POST /payment/page/{token}/pay
  {"number", "challenge"}`` pays with a test card (``CARDS``: authorised or declined with the
  bank's message); with ``challenge`` the bank asks for 3-D Secure first (the transaction stays
  ``P``) and ``POST /payment/page/{token}/3ds {"pass"}`` answers it. A finished payment answers
  ``{"return": <return URL>, "form": {...}}``: the form the browser POSTs back to the site, signed
  as PayTabs signs it, and queues the callback (the transaction as JSON, ``Signature`` header).
* A browser (``Accept: text/html``) gets the same page as HTML: a card form, then the
  self-submitting return form.
* ``deliver(url)`` POSTs the queued callbacks; ``tamper`` changes a transaction's money as
  someone with dashboard access could.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import time
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from tests.fakes.gateway import Answer, FakeServer
from tests.fakes.loopback import QuietHandler

PROFILE_ID = "87614"
SERVER_KEY = "SJN9ZWT6K2-JHDLBZGRTT-6LNDRZ2GBM"
PAID_CARD = "4111111111111111"
# Test cards: number -> (response_status, response_code, response_message)
CARDS = {
    "4111111111111111": ("A", "G12345", "Authorised"),
    "4000000000000002": ("D", "51", "Insufficient funds"),
    "4000000000000119": ("D", "05", "Do not honour"),
}
AUTH_FAILED = ("D", "314", "Authentication failed")
_SEQUENCE = itertools.count(2_215_201_242_166)


def signature(server_key: str, body: bytes) -> str:
    return hmac.new(server_key.encode(), body, hashlib.sha256).hexdigest()


def signed_form(server_key: str, fields: dict[str, str]) -> dict[str, str]:
    """The return form with its signature: HMAC-SHA256 over the non-empty fields, sorted, URL-encoded."""
    canonical = urlencode(sorted((k, v) for k, v in fields.items() if v != ""))
    return {**fields, "signature": hmac.new(server_key.encode(), canonical.encode(), hashlib.sha256).hexdigest()}


def _amount(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount > 0 and amount == amount.quantize(Decimal("0.01")) else None


class FakePaytabs(FakeServer):
    """The fake's state and its server; use ``running()`` as a context manager."""

    api_prefix = "/payment/"
    fault_answer = {"code": 500, "message": "injected"}

    def __init__(self, *, profile_id: str = PROFILE_ID, server_key: str = SERVER_KEY, duplicate_window: float = 120.0) -> None:
        super().__init__()
        self.profile_id = profile_id
        self.server_key = server_key
        self.duplicate_window = duplicate_window
        self.transactions: dict[str, dict[str, Any]] = {}  # tran_ref -> transaction as PayTabs shows it
        self.refunded: dict[str, Decimal] = {}  # sale tran_ref -> refunded so far
        self.notifications: list[tuple[bytes, dict[str, str]]] = []  # queued callbacks (body, headers)
        self.requests: list[dict[str, Any]] = []  # bodies of /payment/request, in order
        self._pages: dict[str, str] = {}  # page token -> tran_ref
        self._recent: dict[str, float] = {}  # cart_id -> when a request made it (the duplicate guard)
        self._cards: dict[str, str] = {}

    # -- what tests use ---------------------------------------------------------------------

    def forget_duplicates(self) -> None:
        """PayTabs' duplicate window has passed."""
        self._recent.clear()

    def sale_of(self, page_url: str) -> dict[str, Any]:
        return self.transactions[self._pages[urlsplit(page_url).path.split("/")[3]]]

    def sales(self) -> list[dict[str, Any]]:
        return [t for t in self.transactions.values() if t["tran_type"] == "Sale"]

    def tamper(self, tran_ref: str, *, amount: str | None = None, currency: str | None = None) -> None:
        with self._lock:
            transaction = self.transactions[tran_ref]
            transaction["cart_amount"] = amount or transaction["cart_amount"]
            transaction["cart_currency"] = currency or transaction["cart_currency"]

    def notification(self, transaction: dict[str, Any], *, key: str | None = None) -> tuple[bytes, dict[str, str]]:
        """The callback PayTabs POSTs for ``transaction``: its JSON and the ``Signature`` header."""
        body = json.dumps(transaction, separators=(",", ":")).encode()
        return body, {"Content-Type": "application/json", "Signature": signature(key or self.server_key, body)}

    def deliver(self, url: str, notifications: list[tuple[bytes, dict[str, str]]] | None = None) -> list[int]:
        """POST the queued callbacks (or ``notifications``) to ``url``; the status codes."""
        with self._lock:
            batch = list(self.notifications) if notifications is None else list(notifications)
            if notifications is None:
                self.notifications.clear()
        with httpx.Client(timeout=10) as client:
            return [client.post(url, content=body, headers=headers).status_code for body, headers in batch]

    # -- the server -------------------------------------------------------------------------

    def _route(self, request: QuietHandler, path: str, query: dict[str, str], body: bytes) -> Answer:
        segments = [s for s in path.split("/") if s]
        if segments[:2] == ["payment", "page"] and len(segments) == 4 and "text/html" in request.headers.get("Accept", ""):
            return self._browser_page(segments[2], segments[3], dict(parse_qsl(body.decode())))
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return 400, {"code": 2, "message": "Invalid request"}, {}
        if not isinstance(data, dict):
            return 400, {"code": 2, "message": "Invalid request"}, {}
        if segments[:2] == ["payment", "page"] and len(segments) == 4:
            return self._page(segments[2], segments[3], data)
        if request.headers.get("authorization") != self.server_key or str(data.get("profile_id")) != self.profile_id:
            return 401, {"code": 1, "message": "Authentication failed. Check authentication header.", "trace": "PMNT0403"}, {}
        if segments == ["payment", "request"]:
            self.requests.append(data)
            return self._request(data)
        if segments == ["payment", "query"]:
            if "tran_ref" in data:
                found = self.transactions.get(str(data["tran_ref"]))
                return (200, found, {}) if found else (400, {"code": 2, "message": "Transaction not found"}, {})
            return 200, [t for t in self.transactions.values() if t["cart_id"] == data.get("cart_id")], {}
        return 404, {"code": 404, "message": "Not found"}, {}

    def _duplicate(self, cart_id: str) -> bool:
        made = self._recent.get(cart_id)
        return made is not None and time.monotonic() - made < self.duplicate_window

    def _request(self, data: dict[str, Any]) -> Answer:
        amount, cart_id = _amount(data.get("cart_amount")), data.get("cart_id")
        valid = (
            data.get("tran_class") == "ecom" and isinstance(cart_id, str) and 0 < len(cart_id) <= 64 and amount is not None
            and isinstance(data.get("cart_currency"), str) and isinstance(data.get("cart_description"), str) and data["cart_description"]
        )
        if not valid:
            return 400, {"code": 2, "message": "Invalid request"}, {}
        if self._duplicate(cart_id):  # type: ignore[arg-type]
            return 400, {"code": 4, "message": "Duplicate Request", "trace": "PMNT0404"}, {}
        if data.get("tran_type") == "sale":
            if not all(isinstance(data.get(k), str) and data[k].startswith("http") for k in ("callback", "return")):
                return 400, {"code": 2, "message": "Invalid callback or return URL"}, {}
            return 200, self._sale(data), {}
        if data.get("tran_type") == "refund":
            return self._refund(data, amount)  # type: ignore[arg-type]
        return 400, {"code": 2, "message": "Unsupported tran_type"}, {}

    def _new(self, data: dict[str, Any], tran_type: str, result: tuple[str, str, str]) -> dict[str, Any]:
        tran_ref = f"TST{next(_SEQUENCE)}"
        transaction = {
            "tran_ref": tran_ref,
            "tran_type": tran_type,
            "cart_id": data["cart_id"],
            "cart_description": data["cart_description"],
            "cart_currency": data["cart_currency"],
            "cart_amount": str(data["cart_amount"]),
            "tran_currency": data["cart_currency"],
            "tran_total": str(data["cart_amount"]),
            "customer_details": {"name": "Abdullah Saleh", "email": "buyer@example.com", "country": "SA"},
            "payment_result": {"response_status": result[0], "response_code": result[1], "response_message": result[2]},
            "serviceId": 2,
            "profileId": int(self.profile_id),
            "merchantId": 31337,
            "trace": f"PMNT{uuid.uuid4().hex[:8]}",
        }
        self.transactions[tran_ref] = transaction
        self._recent[data["cart_id"]] = time.monotonic()
        return transaction

    def _sale(self, data: dict[str, Any]) -> dict[str, Any]:
        transaction = self._new(data, "Sale", ("P", "", "Pending"))
        token = uuid.uuid4().hex.upper()
        self._pages[token] = transaction["tran_ref"]
        transaction["_return"], transaction["_callback"] = data["return"], data["callback"]
        answer = {k: v for k, v in transaction.items() if not k.startswith("_") and k != "payment_result"}
        return answer | {"callback": data["callback"], "return": data["return"], "redirect_url": f"{self.url}/payment/page/{token}/start"}

    def _refund(self, data: dict[str, Any], amount: Decimal) -> Answer:
        sale = self.transactions.get(str(data.get("tran_ref")))
        if sale is None or sale["tran_type"] != "Sale" or sale["payment_result"]["response_status"] != "A":
            return 400, {"code": 2, "message": "Refund is available only for authorised sales"}, {}
        left = Decimal(sale["cart_amount"]) - self.refunded.get(sale["tran_ref"], Decimal(0))
        if data["cart_currency"] != sale["cart_currency"] or amount > left:
            return 400, {"code": 2, "message": "Refund amount exceeds the transaction"}, {}
        refund = self._new(data, "Refund", ("A", "G77777", "Authorised"))
        refund["previous_tran_ref"] = sale["tran_ref"]
        self.refunded[sale["tran_ref"]] = self.refunded.get(sale["tran_ref"], Decimal(0)) + amount
        self.notifications.append(self.notification(self._public(refund)))
        return 200, self._public(refund), {}

    @staticmethod
    def _public(transaction: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in transaction.items() if not k.startswith("_")}

    # -- the hosted page --------------------------------------------------------------------

    def _page(self, token: str, action: str, form: dict[str, Any]) -> Answer:
        tran_ref = self._pages.get(token)
        if tran_ref is None:
            return 404, {"message": "page not found"}, {}
        sale = self.transactions[tran_ref]
        if sale["payment_result"]["response_status"] != "P":
            return 409, {"message": "this payment is over"}, {}
        if action == "start":
            return 200, {"page": "pay", "amount": sale["cart_amount"], "currency": sale["cart_currency"]}, {}
        if action == "pay" and tran_ref not in self._cards:
            self._cards[tran_ref] = str(form.get("number", ""))
            if form.get("challenge"):
                return 200, {"page": "3ds", "challenge": f"{self.url}/payment/page/{token}/3ds"}, {}
            return self._finish(sale, CARDS.get(self._cards[tran_ref], ("D", "05", "Do not honour")))
        if action == "3ds" and tran_ref in self._cards:
            if not form.get("pass"):
                return self._finish(sale, AUTH_FAILED)
            return self._finish(sale, CARDS.get(self._cards[tran_ref], ("D", "05", "Do not honour")))
        return 409, {"message": f"cannot {action} now"}, {}

    def _browser_page(self, token: str, action: str, form: dict[str, str]) -> Answer:
        """The same page for a real browser: a card form, and after paying, the self-submitting
        form that carries the signed result back to the site (as PayTabs' page does)."""
        status, answer, _ = self._page(token, action, form)
        if status != 200:
            return status, html.escape(str(answer)).encode(), {"Content-Type": "text/html; charset=utf-8"}
        if answer["page"] == "pay":
            page = (
                f"<h1>PayTabs (fake)</h1><p id='amount'>{answer['amount']} {answer['currency']}</p>"
                f"<form method='post' action='/payment/page/{token}/pay'><input name='number' aria-label='card' value='{PAID_CARD}'>"
                "<button type='submit'>Pay</button></form>"
            )
        else:
            fields = "".join(f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>" for k, v in answer["form"].items())
            page = f"<form method='post' action='{html.escape(answer['return'])}'>{fields}</form><script>document.forms[0].submit()</script>"
        return 200, f"<!doctype html><html><body>{page}</body></html>".encode(), {"Content-Type": "text/html; charset=utf-8"}

    def _finish(self, sale: dict[str, Any], result: tuple[str, str, str]) -> Answer:
        sale["payment_result"] = {"response_status": result[0], "response_code": result[1], "response_message": result[2]}
        sale["payment_info"] = {"payment_method": "Visa", "card_type": "Credit", "payment_description": "4111 11## #### 1111"}
        self.notifications.append(self.notification(self._public(sale)))
        fields = {
            "acquirerMessage": "",
            "acquirerRRN": "",
            "cartId": sale["cart_id"],
            "customerEmail": sale["customer_details"]["email"],
            "respCode": result[1],
            "respMessage": result[2],
            "respStatus": result[0],
            "token": "",
            "tranRef": sale["tran_ref"],
        }
        return 200, {"page": "done", "return": sale["_return"], "form": signed_form(self.server_key, fields)}, {}
