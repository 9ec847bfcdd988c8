"""/admin/transfers: bank transfers waiting for an admin, oldest first.

An admin matches the amount and the reference on the bank statement, opens the receipt (a
private download), then confirms (with the bank's own reference, optional) or rejects with a
reason the buyer reads. The card's form sends ``{"transfer": "MH-…", "decision":
"confirm"|"reject", "note": "…"}``; ``app.orders.transfers`` checks every value again, and who
acts, under the transfer's row lock.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from app.core import clock
from app.core.clock import as_utc
from app.core.i18n import translate
from app.orders import transfers
from state.admin import AdminPageState
from state.catalog import both, money_text
from state.identity import MAX_TEXT
from state.orders import FILE_PREFIX, ORDER_PREFIX, span_text, when_text
from state.paging import PagedList

PATH = "/admin/transfers"
PER_PAGE = 20


def queue_item(item: transfers.QueueItem) -> dict[str, str]:
    amount = money_text(item.amount.minor, item.amount.currency)
    asked = when_text(item.created_at)
    seconds = (as_utc(item.due_at) - clock.now()).total_seconds()
    left = both(lambda lang: translate("transfers.days_left", lang, left=span_text(seconds, lang)) if seconds > 0 else translate("transfers.overdue", lang))
    receipt = {"name": item.receipt_name, "href": f"{FILE_PREFIX}{item.receipt_token}"} if item.receipt_token else {"name": "", "href": ""}
    return {
        "key": item.reference,
        "order": f"#{item.order_id}",
        "order_href": f"{ORDER_PREFIX}{item.order_id}",
        "title": item.gig_title,
        "buyer": item.buyer_name,
        "email": item.buyer_email,
        "amount_ar": amount["ar"],
        "amount_en": amount["en"],
        "asked_ar": asked["ar"],
        "asked_en": asked["en"],
        "left_ar": left["ar"],
        "left_en": left["en"],
        "late": "" if seconds > 0 else "1",
        "size": "",
        **receipt,
    }


class TransfersQueueState(PagedList, AdminPageState):
    """The pending bank transfers, oldest first; admins only."""

    def _load(self, admin_id: int, page: int) -> None:
        def fetch(session: Session, offset: int) -> list[transfers.QueueItem]:
            return transfers.list_pending(session, admin_id=admin_id, limit=PER_PAGE, offset=offset)

        self._show_rows(PATH, page, PER_PAGE, transfers.count_pending, fetch, queue_item)

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/transfers (``?page=<n>``)."""
        return self._open_list(PATH, self._load)

    @rx.event
    def decide(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«تنفيذ القرار»: confirm the money arrived (the note is the bank's reference) or reject
        the transfer (the note is the reason the buyer reads)."""
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        form = form_data if isinstance(form_data, dict) else {}
        note = form.get("note")
        note = note[:MAX_TEXT] if isinstance(note, str) else ""
        confirming = form.get("decision") == "confirm"
        reference = form.get("transfer")

        def command(session: Session) -> object:
            if confirming:
                return transfers.confirm(session, admin_id=admin.id, reference=reference, bank_reference=note, now=clock.now())
            return transfers.reject(session, admin_id=admin.id, reference=reference, reason=note, now=clock.now())

        refused = self._apply(PATH, command)
        self._load(admin.id, self.page)
        if refused is not None:
            return refused
        return rx.toast.success(translate("transfers.done_confirmed" if confirming else "transfers.done_rejected", self._lang))
