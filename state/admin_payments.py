"""/admin/payments, for admins only: the payments, the gateways' settings, the webhook log and
the reconciliation with the ledger, one tab each (``?tab=``).

The URL carries the tab, its filters and the page; a filter form is checked here and turned
into that URL (a bad date or an unknown value shows a sentence and changes nothing). Settings
come back as ``{"gateway": …, "enabled": "on"|"off", "mode": "test"|"live", <field>: …}``; the
service checks everything again. No secret ever reaches a var: a secret field is shown as
"set, ends with …1234" or "not set", and its input is emptied after each save.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.invoices import parse_day
from app.invoices.queries import period_bounds
from app.payments import config, webhook_log
from app.payments.browse import PaymentFilter, PaymentRow, count_payments, list_payments
from app.payments.errors import PaymentError
from app.payments.reconcile import GatewayTotals, Mismatch, reconcile, reverify
from app.core.money import Money, format_money
from models.orders import PaymentStatus
from models.payments import WebhookLog
from state.admin import AdminPageState
from state.paging import PagedList
from state.seller import positive_int
from state.wallet import label_pair, money_pair, pair, when_pair

PATH = "/admin/payments"
PER_PAGE = 20
TABS = ("payments", "settings", "webhooks", "reconcile")
GATEWAYS = tuple(config.SPECS)
STATUSES = tuple(status.value for status in PaymentStatus)
OUTCOME_FILTERS = ("refused", *webhook_log.ALL_OUTCOMES)
FILTER_NAMES = ("gateway", "status", "from", "to", "outcome")


def tab_href(tab: str, page: int = 1, **filters: str) -> str:
    params = {**({"tab": tab} if tab != TABS[0] else {}), **{k: v for k, v in filters.items() if v}, **({"page": str(page)} if page > 1 else {})}
    return f"{PATH}?{urlencode(params)}" if params else PATH


def _choice(value: object, allowed: tuple[str, ...]) -> str:
    return value if isinstance(value, str) and value in allowed else ""


def _day(value: object) -> date | None:
    return None if value in (None, "") else parse_day(value)


def payment_filter(values: Mapping[str, object]) -> tuple[PaymentFilter, dict[str, str]]:
    """The payments' filter from a form or the URL, and the same as URL parameters.

    Raises:
        InvoiceError: ``invoice.bad_date``, ``invoice.bad_period`` (shared with the invoice lists).
    """
    gateway, status = _choice(values.get("gateway"), GATEWAYS), _choice(values.get("status"), STATUSES)
    start, end = _day(values.get("from")), _day(values.get("to"))
    since = period_bounds(start, end or start)[0] if start else None
    until = period_bounds(start or end, end)[1] if end else None
    shown = {"gateway": gateway, "status": status, "from": start.isoformat() if start else "", "to": end.isoformat() if end else ""}
    return PaymentFilter(gateway=gateway, status=status, since=since, until=until), shown


def log_filter(values: Mapping[str, object]) -> tuple[webhook_log.LogFilter, dict[str, str]]:
    gateway, outcome = _choice(values.get("gateway"), GATEWAYS), _choice(values.get("outcome"), OUTCOME_FILTERS)
    return webhook_log.LogFilter(gateway=gateway, outcome=outcome), {"gateway": gateway, "outcome": outcome}


def _reason(text: str) -> dict[str, str]:
    """A failure as stored: a catalogue key shown in each language, or the gateway's own words."""
    return pair("failure", lambda lang: translate(text, lang) if text.startswith("payment.") else text)


def payment_view(row: PaymentRow) -> dict[str, str]:
    payment = row.payment
    return {
        "key": str(payment.id),
        "gateway": payment.gateway,
        "status": payment.status,
        "reference": payment.reference,
        "order": str(payment.order_id),
        "order_href": f"/orders/{payment.order_id}",
        "title": row.gig_title,
        "buyer": row.buyer_name,
        "email": row.buyer_email,
        "tip": "1" if payment.tip_id is not None else "",
        **label_pair("gateway", f"gwsettings.name_{payment.gateway}", "admin_payments.gateway_other"),
        **label_pair("status", f"admin_payments.status_{payment.status}"),
        **money_pair("amount", Money(payment.amount_minor, payment.currency)),
        **when_pair("created", payment.created_at),
        **when_pair("updated", payment.updated_at),
        **_reason(payment.failure),
    }


def log_view(row: WebhookLog) -> dict[str, str]:
    return {
        "key": str(row.id),
        "gateway": row.gateway,
        "channel": row.channel,
        "outcome": row.outcome,
        "refused": "" if row.outcome in webhook_log.ACCEPTED else "1",
        "reference": row.reference,
        "digest": row.digest[:16],
        "size": str(row.size),
        "excerpt": row.excerpt,
        "ip": row.source_ip,
        **label_pair("outcome", f"admin_payments.outcome_{row.outcome}"),
        **label_pair("channel", f"admin_payments.channel_{row.channel}"),
        **when_pair("received", row.received_at),
    }


def totals_view(row: GatewayTotals) -> dict[str, str]:
    currency = row.currency
    return {
        "gateway": row.gateway,
        "paid_count": str(row.paid_count),
        "mismatches": str(row.mismatches),
        "bad": "1" if row.mismatches else "",
        **label_pair("gateway", f"gwsettings.name_{row.gateway}", "admin_payments.gateway_other"),
        **money_pair("paid", Money(row.paid_minor, currency)),
        **money_pair("ledger_in", Money(row.ledger_in_minor, currency)),
        **money_pair("gateway_refunded", Money(row.gateway_refunded_minor, currency)),
        **money_pair("ledger_refunded", Money(row.ledger_refunded_minor, currency)),
        **money_pair("clearing", Money(row.clearing_minor, currency)),
    }


def mismatch_view(row: Mismatch) -> dict[str, str]:
    currency = row.currency
    return {
        "kind": row.kind,
        "gateway": row.gateway,
        "ledger_key": row.ledger_key,
        "reference": row.reference,
        "order_href": f"/orders/{row.order_id}" if row.order_id else "",
        "order": str(row.order_id or ""),
        "payment": str(row.payment_id or ""),
        **label_pair("kind", f"admin_payments.mismatch_{row.kind}"),
        **money_pair("paid", Money(row.paid_minor, currency)),
        **money_pair("ledger", Money(row.ledger_minor, currency)),
        **money_pair("gateway_refunded", Money(row.gateway_refunded_minor, currency)),
        **money_pair("ledger_refunded", Money(row.ledger_refunded_minor, currency)),
    }


def shown_end(hint: str) -> str:
    """A secret's last characters as «…1234», kept left to right inside Arabic text."""
    return f"\u2066…{hint}\u2069"


def settings_view(views: list[config.GatewayView]) -> dict[str, str]:
    """Every gateway's settings as one flat map the page reads by ``<gateway>.<name>``."""
    shown: dict[str, str] = {}
    for view in views:
        shown[f"{view.name}.enabled"] = "on" if view.enabled else "off"
        shown[f"{view.name}.mode"] = "live" if view.live else "test"
        shown[f"{view.name}.unreadable"] = "1" if view.unreadable else ""
        shown[f"{view.name}.source"] = "admin" if view.saved else "env"
        for field in view.fields:
            prefix = f"{view.name}.{field.name}"
            shown[prefix] = field.value
            for lang in ("ar", "en"):
                if field.secret:
                    text = translate("gwsettings.secret_set", lang, end=shown_end(field.hint)) if field.hint else translate("gwsettings.secret_unset", lang)
                else:
                    text = "" if field.value else translate("gwsettings.secret_unset", lang)
                if field.source == "env":
                    text = f"{text} · {translate('gwsettings.from_env', lang)}" if text else translate("gwsettings.from_env", lang)
                shown[f"{prefix}.status_{lang}"] = text
    return shown


def change_view(change: config.Change) -> dict[str, str]:
    return {
        "gateway": change.gateway,
        "admin": change.admin_name,
        **label_pair("gateway", f"gwsettings.name_{change.gateway}", "admin_payments.gateway_other"),
        **label_pair("field", f"gwsettings.field_{change.field}", "gwsettings.field_other"),
        **when_pair("at", change.changed_at),
    }


class AdminPaymentsState(PagedList, AdminPageState):
    """The tab shown (``items`` holds its rows), its filters, and the settings and reconciliation."""

    tab: str = TABS[0]
    filters: dict[str, str] = {}
    settings: dict[str, str] = {}
    changes: list[dict[str, str]] = []
    totals: list[dict[str, str]] = []
    mismatch_count: int = 0

    def _load(self, tab: str, values: Mapping[str, object], page: int) -> None:
        self.tab = tab
        with reading() as session:
            if tab == "payments":
                where, self.filters = payment_filter(values)
                self._page(page, count_payments(session, where), lambda n: list_payments(session, where, limit=PER_PAGE, offset=n), payment_view)
            elif tab == "webhooks":
                found, self.filters = log_filter(values)
                self._page(page, webhook_log.count_logs(session, found), lambda n: webhook_log.list_logs(session, found, limit=PER_PAGE, offset=n), log_view)
            elif tab == "settings":
                self.settings = settings_view(config.list_views(session))
                self.changes = [change_view(change) for change in config.recent_changes(session)]
            else:
                report = reconcile(session)
                self.totals = [totals_view(row) for row in report.totals]
                self.items = [mismatch_view(row) for row in report.mismatches]
                self.mismatch_count = len(report.mismatches)
        self.loaded = True

    def _page(self, page: int, total: int, rows: Callable[[int], list[Any]], view: Callable[[Any], dict[str, str]]) -> None:
        offset = self._window(total, page, PER_PAGE, lambda n: tab_href(self.tab, n, **self.filters))
        self.items = [view(row) for row in rows(offset)]

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/payments (``?tab=settings|webhooks|reconcile``, the tab's filters, ``?page=<n>``)."""
        return self._open_list(PATH, lambda _admin_id, page: self._open_tab(page))

    def _open_tab(self, page: int) -> None:
        query = self.router.url.query_parameters
        tab = _choice(query.get("tab"), TABS) or TABS[0]
        try:
            self._load(tab, query, page)
        except MihanError as exc:  # a bad date typed into the URL: the unfiltered tab
            self.error = self._message(exc)
            self._load(tab, {}, 1)

    @rx.event
    def apply_filter(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«تصفية» of the payments (gateway, status, from, to) or of the webhook log (gateway, outcome)."""
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        form = form_data if isinstance(form_data, dict) else {}
        tab = "webhooks" if self.tab == "webhooks" else "payments"
        try:
            _, shown = log_filter(form) if tab == "webhooks" else payment_filter(form)
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self.error = ""
        return rx.redirect(tab_href(tab, **shown))

    @rx.event
    def save_gateway(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«حفظ» of one gateway's settings; an empty secret field keeps the stored secret."""
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        form = form_data if isinstance(form_data, dict) else {}
        gateway = _choice(form.get("gateway"), GATEWAYS)
        self.error = ""
        try:
            if not gateway or form.get("enabled") not in ("on", "off") or form.get("mode") not in ("test", "live"):
                raise PaymentError("gwsettings.unknown_gateway")
            with transaction() as session:
                changed = config.save(
                    session, gateway=gateway, admin_id=admin.id, enabled=form["enabled"] == "on", live=form["mode"] == "live", entered=form
                )
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self._load("settings", {}, 1)
        emptied = [rx.set_value(f"{gateway}-{field.name}", "") for field in config.SPECS[gateway].fields if field.secret]
        done = translate("gwsettings.saved" if changed else "gwsettings.unchanged", self._lang)
        return [*emptied, rx.toast.success(done)]

    @rx.event
    def reverify(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«اسأل البوابة» on a mismatch: ``{"payment": "<n>"}``; shows what the gateway says, moves nothing."""
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        form = form_data if isinstance(form_data, dict) else {}
        try:
            with transaction() as session:
                payment, result = reverify(session, payment_id=positive_int(form.get("payment")))
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self.error = ""
        said = {
            "reference": payment.reference,
            "status": translate(f"admin_payments.status_{result.status.value}", self._lang),
            "amount": format_money(result.amount, self._lang),
            "refunded": format_money(result.refunded, self._lang),
        }
        return rx.toast.info(translate("admin_payments.gateway_says", self._lang, **said), duration=15000)
