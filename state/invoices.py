"""The invoice pages: «فواتيري» (/invoices), the admins' list (/admin/invoices) and the VAT
report (/admin/vat).

Whose documents are listed comes only from the session: a user sees the documents addressed to
them (a seller their commission invoices, a buyer their fee invoices), an admin every one. The
URL controls only the page and, for admins, the filter (``?from=&to=`` Riyadh days, ``?kind=``);
a filter form is checked here and turned into that URL, so a bad date shows a sentence and changes
nothing. Rows reach the browser as display strings with the links of the printable page and the
downloads, which ``app/http.py`` serves after its own check.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from app.core import clock
from app.core.db import reading
from app.core.errors import MihanError
from app.core.i18n import translate
from app.invoices import InvoiceFilter, InvoiceRow, count_documents, list_page, order_documents, parse_day, vat_csv, vat_report
from app.invoices.queries import KIND_CODES, TIMEZONE, period_bounds
from app.invoices.report import VatLine
from state.admin import AdminPageState
from state.favourites import page_number
from state.orders import order_id_of
from state.paging import PagedList
from state.session import SessionState
from state.wallet import label_pair, money_pair, pair, when_pair

PATH = "/invoices"
ADMIN_PATH = "/admin/invoices"
VAT_PATH = "/admin/vat"
PER_PAGE = 20
KINDS = ("", *KIND_CODES)  # "" is every kind


def invoice_view(row: InvoiceRow) -> dict[str, str]:
    """One document as a list row: number, kind, purpose, order, recipient, amounts, links."""
    base = f"/invoices/{row.uuid}"
    return {
        "key": str(row.id),
        "number": row.number,
        "kind": row.kind,
        "order": str(row.order_id),
        "order_href": f"/orders/{row.order_id}",
        "recipient": row.recipient_name,
        "href": base,
        "pdf": f"{base}/pdf",
        "xml": f"{base}/xml",
        **label_pair("kind", f"invoices.kind_{row.kind}"),
        **label_pair("purpose", f"invoices.purpose_{row.purpose}", "invoices.purpose_commission"),
        **money_pair("gross", row.gross),
        **money_pair("vat", row.vat or row.gross),
        **when_pair("issued", row.issued_at),
    }


def list_href(path: str, *, page: int = 1, start: str = "", end: str = "", kind: str = "") -> str:
    params = {name: value for name, value in (("from", start), ("to", end), ("kind", kind)) if value}
    if page > 1:
        params["page"] = str(page)
    return f"{path}?{urlencode(params)}" if params else path


def _day_or_none(text: object) -> date | None:
    """A form's or the URL's day; empty is no bound."""
    return None if text in (None, "") else parse_day(text)


class InvoiceListMixin(PagedList, mixin=True):
    """A paged list of documents as display dicts."""

    def _fill(self, filters: InvoiceFilter, page: int, href: Callable[[int], str]) -> None:
        with reading() as session:
            offset = self._window(count_documents(session, filters), page, PER_PAGE, href)
            rows = list_page(session, filters, limit=PER_PAGE, offset=offset)
        self.items = [invoice_view(row) for row in rows]
        self.loaded = True


class InvoicesState(InvoiceListMixin, SessionState):
    """«فواتيري»: the documents addressed to the signed-in user, newest first."""

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /invoices (``?page=<n>``): signed-out visitors log in first."""
        opened = self._viewer_and_page(PATH)
        if not isinstance(opened, tuple):
            return opened
        self._fill(InvoiceFilter(recipient_id=opened[0].id), opened[1], lambda n: list_href(PATH, page=n))


class AdminInvoicesState(InvoiceListMixin, AdminPageState):
    """Every document, filtered by a period of Riyadh days and a kind, for admins."""

    start: str = ""
    end: str = ""
    kind: str = ""

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/invoices (``?from=YYYY-MM-DD&to=YYYY-MM-DD&kind=invoice|credit_note&page=<n>``)."""
        self.reset()
        refused = self._refusal(ADMIN_PATH)
        if refused is not None:
            return refused
        query = self.router.url.query_parameters
        kind = query.get("kind") if query.get("kind") in KINDS else ""
        try:
            start, end = _day_or_none(query.get("from")), _day_or_none(query.get("to"))
            filters = InvoiceFilter(kind=kind or None, start=start, end=end)
            filters.where()  # a reversed period is refused before any query
        except MihanError as exc:
            self.error = self._message(exc)
            start = end = None
            filters = InvoiceFilter(kind=kind or None)
        self.start, self.end, self.kind = (start.isoformat() if start else ""), (end.isoformat() if end else ""), kind
        href = lambda n: list_href(ADMIN_PATH, page=n, start=self.start, end=self.end, kind=self.kind)  # noqa: E731
        self._fill(filters, page_number(query), href)

    @rx.event
    def apply_filter(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«تصفية»: ``{"from": "2026-11-01", "to": "2026-11-30", "kind": "credit_note"}`` (each may be empty)."""
        refused = self._refusal(ADMIN_PATH)
        if refused is not None:
            return refused
        form = form_data if isinstance(form_data, dict) else {}
        kind = form.get("kind") if form.get("kind") in KINDS else ""
        try:
            start, end = _day_or_none(form.get("from")), _day_or_none(form.get("to"))
            InvoiceFilter(start=start, end=end).where()
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self.error = ""
        return rx.redirect(list_href(ADMIN_PATH, start=start.isoformat() if start else "", end=end.isoformat() if end else "", kind=str(kind)))


def vat_line_view(line: VatLine) -> dict[str, str]:
    return {
        "purpose": line.purpose,
        "invoices": str(line.invoices),
        "credit_notes": str(line.credit_notes),
        **label_pair("label", f"invoices.purpose_{line.purpose}", "invoices.purpose_commission"),
        **money_pair("invoice_vat", line.invoice_vat),
        **money_pair("credit_vat", line.credit_vat),
        **money_pair("taxable", line.taxable),
        **money_pair("vat", line.vat),
    }


def _this_month() -> tuple[date, date]:
    today = clock.now().astimezone(TIMEZONE).date()
    first = today.replace(day=1)
    return first, today


class VatReportState(AdminPageState):
    """The output-VAT report of a period of Riyadh days (default: this month so far)."""

    loaded: bool = False
    start: str = ""
    end: str = ""
    lines: list[dict[str, str]] = []
    total: dict[str, str] = {}
    _period: tuple[date, date] | None = None

    def _period_of(self, start: object, end: object) -> tuple[date, date]:
        default_start, default_end = _this_month()
        first = _day_or_none(start) or default_start
        last = _day_or_none(end) or default_end
        period_bounds(first, last)  # the end before the start, or a decade: refused
        return first, last

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/vat (``?from=YYYY-MM-DD&to=YYYY-MM-DD``)."""
        self.reset()
        refused = self._refusal(VAT_PATH)
        if refused is not None:
            return refused
        query = self.router.url.query_parameters
        try:
            first, last = self._period_of(query.get("from"), query.get("to"))
            with reading() as session:
                report = vat_report(session, start=first, end=last)
        except MihanError as exc:
            self.error = self._message(exc)
            first, last = _this_month()
            with reading() as session:
                report = vat_report(session, start=first, end=last)
        self._period = (first, last)
        self.start, self.end = first.isoformat(), last.isoformat()
        self.lines = [vat_line_view(line) for line in report.lines]
        self.total = vat_line_view(report.total) | pair("period", lambda lang: translate("vat.period", lang, start=f"\u2066{first.isoformat()}\u2069", end=f"\u2066{last.isoformat()}\u2069"))
        self.loaded = True

    @rx.event
    def show(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«عرض التقرير»: ``{"from": "2026-11-01", "to": "2026-11-30"}``."""
        refused = self._refusal(VAT_PATH)
        if refused is not None:
            return refused
        form = form_data if isinstance(form_data, dict) else {}
        try:
            first, last = self._period_of(form.get("from"), form.get("to"))
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self.error = ""
        return rx.redirect(list_href(VAT_PATH, start=first.isoformat(), end=last.isoformat()))

    @rx.event
    def export_csv(self):  # type: ignore[no-untyped-def]
        """«تصدير CSV»: the shown period's documents, one a row (UTF-8 with a BOM for Excel)."""
        refused = self._refusal(VAT_PATH)
        if refused is not None:
            return refused
        if self._period is None:
            return None
        first, last = self._period
        with reading() as session:
            text = vat_csv(session, start=first, end=last)
        return rx.download(data="\ufeff" + text, filename=f"mihan-vat-{first.isoformat()}-{last.isoformat()}.csv", mime_type="text/csv;charset=utf-8")


class OrderInvoicesState(SessionState):
    """The order page's «الفواتير الضريبية»: the order's documents the viewer may open (their
    own, or every one for an admin); nothing for anyone else, whether or not the order exists."""

    order_invoices: list[dict[str, str]] = []

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /orders/<n>, beside the order's own state."""
        self.reset()
        viewer = self._viewer()
        order = order_id_of(self.router.url.path)
        if viewer is None or order is None:
            return
        with reading() as session:
            rows = order_documents(session, order_id=order, user_id=viewer.id)
        self.order_invoices = [invoice_view(row) for row in rows]
