"""A fake Stripe for tests: a real HTTP server on loopback with the endpoints the gateway uses.

Only what Mihan calls, shaped as Stripe documents it (the pages cited in ``app/payments/stripe.py``):

* ``POST /v1/checkout/sessions`` (form-encoded: ``mode=payment``, one ``line_items`` entry with
  ``price_data[currency|unit_amount|product_data][name]`` and ``quantity``, ``success_url``,
  ``cancel_url``, ``client_reference_id``, ``metadata[…]``), ``GET /v1/checkout/sessions/{id}``
  (``expand[]=payment_intent`` / ``payment_intent.latest_charge`` expand the PaymentIntent and its
  charge), ``POST /v1/refunds`` (``payment_intent``, ``amount``); HTTP Basic with the secret key
  (401 otherwise); errors as ``{"error": {"type", "code", "message"}}``.
* ``Idempotency-Key`` on POSTs: the first answer to a key is kept with the request's endpoint and
  parameters; the same key with the same ones gets that answer again (and nothing is made), with
  others a ``400 idempotency_error``.
* The hosted page a test drives: ``POST /pay/{session} {"number", "challenge"}`` with Stripe's test
  cards (4242… paid, 4000…0002 declined, ``"async"`` for a delayed method that completes the session
  unpaid); with ``challenge`` the PaymentIntent waits in ``requires_action`` until
  ``POST /3ds/{intent} {"pass"}``; ``POST /cancel/{session}`` is the back link. Paying redirects
  to ``success_url``, the back link to ``cancel_url``; ``expire()`` and ``settle_async()`` play
  Stripe's own later moves.
* Events: each change queues an ``event`` (``checkout.session.completed``,
  ``…async_payment_succeeded|failed``, ``…expired``); ``deliver(url)`` POSTs them signed with
  ``Stripe-Signature: t=…,v1=…`` (HMAC-SHA256 of ``"{t}.{body}"`` with the endpoint secret).
* Fault injection (``fail_next``), and ``tamper`` (money changed behind our back).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx

from tests.fakes.gateway import Answer, FakeServer
from tests.fakes.loopback import QuietHandler

SECRET_KEY = "sk_test_fakeStripe51"
WEBHOOK_SECRET = "whsec_fake_stripe_9c2e"
PAID_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
ASYNC = "async"  # a delayed payment method (a bank debit): completes the session unpaid


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


def _error(status: int, kind: str, message: str, code: str | None = None) -> Answer:
    return status, {"error": {"type": kind, "code": code, "message": message}}, {}


class FakeStripe(FakeServer):
    api_prefix = "/v1/"
    fault_answer = {"error": {"type": "api_error", "message": "injected"}}

    def __init__(self, *, now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.now = now
        self.sessions: dict[str, dict[str, Any]] = {}
        self.intents: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._saved: dict[str, tuple[str, list[tuple[str, str]], Answer]] = {}

    @property
    def api_url(self) -> str:
        return self.url

    def session_of(self, page_url: str) -> dict[str, Any]:
        return self.sessions[page_url.rstrip("/").rsplit("/", 1)[-1]]

    # -- what a test plays --------------------------------------------------------------------

    def signed(self, event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, at: int | None = None, extra: tuple[str, ...] = ()) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(event).encode()
        stamp = int(self.now()) if at is None else at
        signature = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "Stripe-Signature": ",".join([f"t={stamp}", *extra, f"v1={signature}"])}

    def deliver(self, url: str, events: list[dict[str, Any]] | None = None, **signing: Any) -> list[int]:
        """POST queued events (or ``events``) to ``url``, signed; the status codes."""
        with self._lock:
            batch = list(self.events) if events is None else list(events)
            if events is None:
                self.events.clear()
        with httpx.Client(timeout=10) as client:
            return [client.post(url, content=body, headers=headers).status_code for body, headers in (self.signed(e, **signing) for e in batch)]

    def expire(self, session_id: str) -> None:
        found = self.sessions[session_id]
        found.update(status="expired", url=None)
        self._event("checkout.session.expired", found)

    def settle_async(self, session_id: str, *, succeeded: bool) -> None:
        found = self.sessions[session_id]
        intent = self.intents[found["payment_intent"]]
        if succeeded:
            intent["status"], found["payment_status"] = "succeeded", "paid"
            intent["amount_received"] = intent["amount"]
            self._event("checkout.session.async_payment_succeeded", found)
        else:
            intent["status"] = "requires_payment_method"
            self._event("checkout.session.async_payment_failed", found)

    def tamper(self, session_id: str, *, amount: int | None = None, currency: str | None = None) -> None:
        found = self.sessions[session_id]
        for record, field in [(found, "amount_total"), *([(self.intents[found["payment_intent"]], "amount")] if found["payment_intent"] else [])]:
            record[field] = amount if amount is not None else record[field]
            record["currency"] = currency or record["currency"]

    # -- the server ---------------------------------------------------------------------------

    def _route(self, request: QuietHandler, path: str, query: dict[str, str], body: bytes) -> Answer:
        segments = [s for s in path.split("/") if s]
        if segments[:1] != ["v1"]:
            return self._page(request.command, segments, body)
        if request.headers.get("Authorization", "") != "Basic " + base64.b64encode(f"{SECRET_KEY}:".encode()).decode():
            return _error(401, "invalid_request_error", "Invalid API Key provided")
        form = parse_qsl(body.decode(), keep_blank_values=True)
        key = request.headers.get("Idempotency-Key", "")
        if request.command == "POST" and key:
            endpoint = f"POST {path}"
            if key in self._saved:
                saved_endpoint, saved_form, answer = self._saved[key]
                if (saved_endpoint, sorted(saved_form)) != (endpoint, sorted(form)):
                    return _error(400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.")
                return answer
            answer = self._api(request.command, segments[1:], request.path, dict(form))
            self._saved[key] = (endpoint, form, copy.deepcopy(answer))
            return answer
        return self._api(request.command, segments[1:], request.path, dict(form))

    def _api(self, method: str, segments: list[str], raw_path: str, form: dict[str, str]) -> Answer:
        match method, segments:
            case "POST", ["checkout", "sessions"]:
                return self._create_session(form)
            case "GET", ["checkout", "sessions", session_id] if session_id in self.sessions:
                return 200, self._expanded(self.sessions[session_id], raw_path), {}
            case "POST", ["refunds"]:
                return self._refund(form)
        return _error(404, "invalid_request_error", "No such object", "resource_missing")

    def _expanded(self, found: dict[str, Any], raw_path: str) -> dict[str, Any]:
        shown = copy.deepcopy(found)
        if "expand" in raw_path and shown["payment_intent"]:
            intent = copy.deepcopy(self.intents[shown["payment_intent"]])
            if "latest_charge" not in raw_path:
                intent["latest_charge"] = intent["latest_charge"]["id"] if intent["latest_charge"] else None
            shown["payment_intent"] = intent
        return shown

    def _create_session(self, form: dict[str, str]) -> Answer:
        item = "line_items[0]"
        try:
            amount, quantity = int(form[f"{item}[price_data][unit_amount]"]), int(form[f"{item}[quantity]"])
            currency, name = form[f"{item}[price_data][currency]"], form[f"{item}[price_data][product_data][name]"]
        except (KeyError, ValueError):
            return _error(400, "invalid_request_error", "Missing required param: line_items.", "parameter_missing")
        if form.get("mode") != "payment" or amount < 1 or quantity != 1 or currency != currency.lower() or not name or not form.get("success_url"):
            return _error(400, "invalid_request_error", "Invalid request", "parameter_invalid")
        session_id = _id("cs_test")
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": amount,
            "amount_total": amount,
            "currency": currency,
            "client_reference_id": form.get("client_reference_id"),
            "metadata": {k[len("metadata[") : -1]: v for k, v in form.items() if k.startswith("metadata[")},
            "mode": "payment",
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": form["success_url"],
            "cancel_url": form.get("cancel_url"),
            "url": f"{self.url}/pay/{session_id}",
            "expires_at": int(self.now()) + 86_400,
        }
        return 200, copy.deepcopy(self.sessions[session_id]), {}

    def _refund(self, form: dict[str, str]) -> Answer:
        intent = self.intents.get(form.get("payment_intent", ""))
        if intent is None:
            return _error(404, "invalid_request_error", "No such payment_intent", "resource_missing")
        charge = intent["latest_charge"]
        amount = int(form["amount"]) if form.get("amount", "").isdigit() else charge["amount"] - charge["amount_refunded"]
        if intent["status"] != "succeeded":
            return _error(400, "invalid_request_error", "This PaymentIntent has no successful charge to refund.", "charge_not_refundable")
        if not 0 < amount <= charge["amount"] - charge["amount_refunded"]:
            code = "charge_already_refunded" if charge["refunded"] else "amount_too_large"
            return _error(400, "invalid_request_error", "Refund amount is greater than unrefunded amount on charge", code)
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund = {"id": _id("re"), "object": "refund", "amount": amount, "currency": intent["currency"], "payment_intent": intent["id"], "status": "succeeded"}
        self.refunds[refund["id"]] = refund
        return 200, copy.deepcopy(refund), {}

    # -- the hosted page ------------------------------------------------------------------------

    def _page(self, method: str, segments: list[str], body: bytes) -> Answer:
        form = json.loads(body or b"{}") if method == "POST" else {}
        match method, segments:
            case "POST", ["cancel", session_id] if session_id in self.sessions:
                return 302, None, {"Location": self.sessions[session_id]["cancel_url"]}
            case "POST", ["pay", session_id] if session_id in self.sessions:
                found = self.sessions[session_id]
                if found["status"] != "open":
                    return 409, {"message": f"session is {found['status']}"}, {}
                intent = self._intent(found)
                number = str(form.get("number", ""))
                if number == ASYNC:
                    intent["status"] = "processing"
                    return self._complete(found)
                if form.get("challenge"):
                    intent["status"] = "requires_action"
                    return 302, None, {"Location": f"{self.url}/3ds/{intent['id']}"}
                return self._charge(found, intent, number == PAID_CARD)
            case "POST", ["3ds", intent_id] if intent_id in self.intents:
                intent = self.intents[intent_id]
                found = next(s for s in self.sessions.values() if s["payment_intent"] == intent_id)
                if intent["status"] != "requires_action":
                    return 409, {"message": f"payment_intent is {intent['status']}"}, {}
                return self._charge(found, intent, bool(form.get("pass")))
        return 404, {"message": "page not found"}, {}

    def _intent(self, found: dict[str, Any]) -> dict[str, Any]:
        if found["payment_intent"] is None:
            intent_id = _id("pi")
            self.intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": found["amount_total"],
                "amount_received": 0,
                "currency": found["currency"],
                "status": "requires_payment_method",
                "latest_charge": None,
            }
            found["payment_intent"] = intent_id
        return self.intents[found["payment_intent"]]

    def _charge(self, found: dict[str, Any], intent: dict[str, Any], approved: bool) -> Answer:
        if not approved:  # the card is declined: the buyer stays on the page and may try another
            intent["status"] = "requires_payment_method"
            return 200, {"page": "checkout", "error": "Your card was declined."}, {}
        intent.update(status="succeeded", amount_received=intent["amount"])
        intent["latest_charge"] = {"id": _id("ch"), "object": "charge", "amount": intent["amount"], "amount_refunded": 0, "refunded": False}
        found["payment_status"] = "paid"
        return self._complete(found)

    def _complete(self, found: dict[str, Any]) -> Answer:
        found.update(status="complete", url=None)
        self._event("checkout.session.completed", found)
        return 302, None, {"Location": found["success_url"]}

    def _event(self, kind: str, found: dict[str, Any]) -> None:
        self.events.append({"id": _id("evt"), "object": "event", "type": kind, "created": int(self.now()), "data": {"object": copy.deepcopy(found)}})
