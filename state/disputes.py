"""/admin/disputes: orders in dispute, one dispute's file and the admin's decision.

Which dispute is open comes from the URL (``?order=<n>``, with ``?page=<n>`` for the list), so
a dispute can be linked to and the pager is plain links. The decision comes as a form
``{"order": "<n>", "decision": "release" | "refund_full" | "refund_part" | "cancel",
"note": "…", "amount": "<SAR>", "refund_to": "card" | "wallet"}``: the order and the decision are
checked here, the amount
(only for a partial refund; Latin or Arabic-Indic digits) is parsed here, and the service checks
the admin, the order's state, the note, the amount and where a refund goes (``card_refunds``:
«to the card» only for an order paid by card, never above what the card paid) again under the
order's lock.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx

from app.catalog.inputs import to_minor
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.orders import disputes
from app.orders.errors import OrderError
from state.admin import AdminPageState
from state.orders import package_text, price_lines, timeline_view
from state.paging import PagedList
from state.seller import positive_int
from state.wallet import label_pair, money_pair, pair, when_pair

PATH = "/admin/disputes"
PER_PAGE = 20
MAX_PAGE = 10_000
MAX_TEXT = 10_000  # characters of a note kept before the service checks it (2000)


def list_href(page: int = 1, order: int | None = None) -> str:
    params = {**({"page": str(page)} if page > 1 else {}), **({"order": str(order)} if order else {})}
    return f"{PATH}?{urlencode(params)}" if params else PATH


def dispute_view(row: disputes.DisputeRow, page: int) -> dict[str, str]:
    return {
        "order": str(row.order_id),
        "title": row.title,
        "buyer": row.buyer_name,
        "seller": row.seller_name,
        "reason": row.reason,
        "href": list_href(page, row.order_id),
        "order_href": f"/orders/{row.order_id}",
        **money_pair("total", row.total),
        **when_pair("when", row.disputed_at),
        **label_pair("opened", f"disputes.opened_by_{row.opened_by}"),
    }


def file_view(found: disputes.DisputeFile, page: int) -> dict[str, str]:
    package = package_text(found.order.package_tier, found.order.package_name)
    return {
        **dispute_view(found.row, page),
        **pair("package", lambda lang: package[lang]),
        **label_pair("before", f"orders.status_{found.status_before}", "disputes.status_other"),
        **money_pair("full", found.full_refund),
        **money_pair("max_partial", found.max_partial),
        "paid_by_card": "1" if found.paid_by_card else "",
        # a deemed-supplier order's partial refund goes back with its VAT
        **(label_pair("vat_hint", "disputes.deemed_vat_hint") if found.order.deemed_supplier else pair("vat_hint", lambda lang: "")),
    }


class DisputesState(PagedList, AdminPageState):
    """One page of the disputes, and the file of the one opened (``selected``, "" for none)."""

    selected: str = ""
    missing: bool = False  # the URL named an order that is not (or no longer) in dispute
    file: dict[str, str] = {}
    lines: list[dict[str, str]] = []  # what the buyer paid, line by line
    timeline: list[dict[str, str]] = []

    def _load(self, admin_id: int, page: int, order: int | None) -> None:
        with reading() as session:
            total = disputes.count_disputes(session)
            offset = self._window(total, page, PER_PAGE, list_href)
            rows = disputes.list_disputes(session, limit=PER_PAGE, offset=offset)
            found = disputes.get_dispute(session, order_id=order, admin_id=admin_id) if order else None
        page = self.page
        self.items = [dispute_view(row, page) for row in rows]
        self.open_disputes = total
        self.selected = str(order) if found else ""
        self.missing = order is not None and found is None
        self.file = file_view(found, page) if found else {}
        self.lines = price_lines(found.order) if found else []
        self.timeline = [timeline_view(event) for event in reversed(found.order.timeline)] if found else []  # newest first, as on the order page
        self.loaded = True

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/disputes (``?order=<n>`` opens a dispute, ``?page=<n>`` pages)."""
        self.reset()
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        query = self.router.url.query_parameters
        self._load(admin.id, positive_int(query.get("page"), MAX_PAGE) or 1, positive_int(query.get("order")))

    @rx.event
    def resolve(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The admin's decision on the open dispute, with the required note."""
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        self.error = ""
        form = form_data if isinstance(form_data, dict) else {}
        order, decision, note, refund_to = positive_int(form.get("order")), form.get("decision"), form.get("note"), form.get("refund_to")
        try:
            if order is None:
                raise OrderError("order.not_found")
            if not isinstance(decision, str) or decision not in disputes.DECISIONS:
                raise OrderError("disputes.choose_decision")
            refund = 0
            if decision == "refund_part":
                try:
                    refund = to_minor(form.get("amount"))
                except (ValueError, TypeError):
                    raise OrderError("order.invalid_refund") from None
            with transaction() as session:
                disputes.resolve_dispute(
                    session,
                    order_id=order,
                    admin_id=admin.id,
                    decision=decision,
                    note=note[:MAX_TEXT] if isinstance(note, str) else "",
                    refund_minor=refund,
                    refund_to=refund_to if isinstance(refund_to, str) else "",  # checked by the service
                )
        except MihanError as exc:
            self.error = self._message(exc)
            self._load(admin.id, self.page, order)
            return rx.toast.error(self.error)
        self._load(admin.id, self.page, None)
        return rx.toast.success(translate(f"disputes.done_{decision}", self._lang))
