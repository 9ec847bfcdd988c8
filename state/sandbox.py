"""The sandbox gateway's hosted page /sandbox/pay/<reference>: the card form, then the code step.

The page plays the gateway's part, so it needs no Mihan session: whoever holds the link (the
buyer checkout sent there) may pay. The reference comes from the route on every event, never
from an argument, and the service decides what the payment still allows: a paid or failed
payment is never paid again, so a double click or a second tab just sends the buyer back. Once
the outcome is known the buyer returns to the shop's path (checked to be a path of this site
when the payment was started), where the shop asks the gateway for the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.payments import sandbox
from models.orders import PaymentStatus
from models.payments import SandboxPayment
from state.catalog import money_text
from state.session import SessionState

CARD, CHALLENGE, DONE, MISSING = "card", "challenge", "done", "missing"


def _form(form_data: Any) -> dict[str, Any]:
    return form_data if isinstance(form_data, dict) else {}


class SandboxState(SessionState):
    """What the hosted page shows: the amount, the step, and one error sentence."""

    step: str = ""  # "" until loaded, then CARD, CHALLENGE, DONE or MISSING
    amount_ar: str = ""
    amount_en: str = ""
    description: str = ""
    back_url: str = ""
    error: str = ""

    def _reference(self) -> str | None:
        return sandbox.reference_of(self.router.url.path)

    def _display(self, payment: SandboxPayment | None) -> None:
        if payment is None:
            self.step, self.amount_ar, self.amount_en, self.description, self.back_url = MISSING, "", "", "", ""
            return
        amount = money_text(payment.amount_minor, payment.currency)
        self.amount_ar, self.amount_en = amount["ar"], amount["en"]
        self.description = payment.description
        self.back_url = sandbox.return_target(payment)
        if payment.status != PaymentStatus.INITIATED:
            self.step = DONE
        else:
            self.step = CHALLENGE if payment.challenge_pending else CARD

    def _load(self) -> None:
        try:
            with reading() as session:
                self._display(sandbox.get_payment(session, reference=self._reference()))
        except MihanError:
            self._display(None)

    def _act(self, action: Callable[[Session, str | None], SandboxPayment]):  # type: ignore[no-untyped-def]
        """Run one step of the payment; when it is over, send the buyer back to the shop."""
        self.error = ""
        try:
            with transaction() as session:
                self._display(action(session, self._reference()))
        except MihanError as exc:
            self._load()
            if self.step in (CARD, CHALLENGE):
                self.error = self._message(exc)
        if self.step == DONE:
            return rx.redirect(self.back_url, replace=True)

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load: show the payment; a finished one offers the way back."""
        self.error = ""
        self._load()

    @rx.event
    def pay(self, form_data: Any):  # type: ignore[no-untyped-def]
        form = _form(form_data)
        return self._act(
            lambda session, reference: sandbox.submit_card(
                session,
                reference=reference,
                number=form.get("card_number"),
                expiry=form.get("expiry"),
                cvc=form.get("cvc"),
                holder=form.get("holder"),
            )
        )

    @rx.event
    def confirm_code(self, form_data: Any):  # type: ignore[no-untyped-def]
        form = _form(form_data)
        return self._act(lambda session, reference: sandbox.submit_challenge(session, reference=reference, code=form.get("code")))
