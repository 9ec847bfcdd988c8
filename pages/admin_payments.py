"""/admin/payments: the gateway payments (filtered, paged), the gateways' settings (switches,
mode, keys: secrets shown only as «مضبوط، ينتهي بـ …1234»), the webhook log and the
reconciliation with the ledger, mismatches in red."""

from __future__ import annotations

import reflex as rx

from app.payments import config, webhook_log
from pages.admin_payouts import amount_head, detail
from pages.catalog import localized, pager
from pages.components.admin import admin_list, admin_page
from pages.components.forms import error_callout
from pages.components.i18n import t
from pages.invoices import date_field
from pages.seller import status_badge
from state.admin_payments import GATEWAYS, PATH, STATUSES, TABS, AdminPaymentsState as S, tab_href

TAB_ICONS = {"payments": "credit_card", "settings": "settings", "webhooks": "webhook", "reconcile": "scale"}
PAYMENT_COLORS = {"paid": "green", "failed": "red", "initiated": "amber"}
OUTCOME_COLORS = {"ok": "green", "replay": "gray"}
LABEL_STYLE = {"font_weight": "500", "font_size": "0.9rem"}
SELECT_STYLE = {"padding_block": "0.35rem", "padding_inline": "0.5rem", "border_radius": "6px", "border": f"1px solid {rx.color('gray', 7)}"}


def tabs() -> rx.Component:
    def tab(value: str) -> rx.Component:
        here = S.tab == value
        return rx.link(
            rx.button(rx.icon(TAB_ICONS[value], size=16), t(f"admin_payments.tab_{value}"), variant=rx.cond(here, "solid", "soft"), color_scheme="gray", size="2"),
            href=tab_href(value),
            underline="none",
            aria_current=rx.cond(here, "page", ""),
            id=f"tab-{value}",
        )

    return rx.el.nav(rx.flex(*[tab(value) for value in TABS], spacing="2", wrap="wrap"), aria_label=t("admin_payments.tabs"))


def choice_field(label_key: str, name: str, options: list[tuple[str, str]], value: rx.Var) -> rx.Component:
    """A labelled select of ``(value, label key)`` options, the first meaning «الكل»."""
    control = f"filter-{name}"
    return rx.vstack(
        rx.el.label(t(label_key), html_for=control, style=LABEL_STYLE),
        rx.el.select(*[rx.el.option(t(key), value=option) for option, key in options], name=name, id=control, default_value=value, style=SELECT_STYLE),
        spacing="1",
        flex="1 1 9rem",
    )


def filter_form(*fields: rx.Component, form_id: str) -> rx.Component:
    return rx.form(
        rx.flex(
            *fields,
            rx.button(rx.icon("filter", size=16), t("invoices.filter"), type="submit", size="2"),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        on_submit=S.apply_filter,
        width="100%",
        id=form_id,
    )


def gateway_choice() -> rx.Component:
    return choice_field("admin_payments.gateway", "gateway", [("", "admin_payments.all"), *[(g, f"gwsettings.name_{g}") for g in GATEWAYS]], S.filters["gateway"])


def mono(value: rx.Var) -> rx.Component:
    return rx.text(value, size="1", dir="ltr", font_family="monospace", style={"overflow_wrap": "anywhere"})


# -- payments ---------------------------------------------------------------------------------


def payment_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            amount_head(
                item,
                rx.link(rx.text(item["title"], weight="bold", size="3", dir="auto"), href=item["order_href"]),
                rx.text(t("admin_payments.order"), " ", item["order"], size="1", color_scheme="gray"),
                colors=PAYMENT_COLORS,
                size="4",
            ),
            detail("admin_payments.gateway", localized(item, "gateway")),
            detail("admin_payments.buyer", item["buyer"], dir="auto"),
            detail("admin_payments.email", item["email"], dir="ltr"),
            rx.hstack(rx.text(t("admin_payments.reference"), size="2", color_scheme="gray"), mono(item["reference"]), spacing="2", align="baseline", wrap="wrap"),
            detail("admin_payments.created", localized(item, "created")),
            detail("admin_payments.updated", localized(item, "updated")),
            rx.cond(item["tip"] != "", rx.badge(t("admin_payments.tip"), color_scheme="violet", variant="soft")),
            rx.cond(item["failure_ar"] != "", detail("admin_payments.failure", localized(item, "failure"), color_scheme="red")),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="payment-item",
    )


def payments_tab() -> rx.Component:
    return rx.vstack(
        filter_form(
            gateway_choice(),
            choice_field("admin_payments.status", "status", [("", "admin_payments.all"), *[(s, f"admin_payments.status_{s}") for s in STATUSES]], S.filters["status"]),
            date_field("invoices.from", "from", S.filters["from"]),
            date_field("invoices.to", "to", S.filters["to"]),
            form_id="payment-filter",
        ),
        rx.text(t("admin_payments.count"), " ", S.total, size="2", color_scheme="gray"),
        admin_list(S.items, payment_card, "admin_payments.empty", "payments-empty"),
        pager(S),
        spacing="3",
        width="100%",
    )


# -- settings ---------------------------------------------------------------------------------


def radio_choice(label_key: str, name: str, options: tuple[tuple[str, str], ...], value: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(t(label_key), style=LABEL_STYLE),
        rx.radio_group.root(
            rx.hstack(*[rx.radio_group.item(rx.text(t(key), size="2"), value=option) for option, key in options], spacing="4", wrap="wrap"),
            name=name,
            default_value=value,
        ),
        spacing="1",
        align="start",
    )


def setting_field(gateway: str, field: config.Field) -> rx.Component:
    control = f"{gateway}-{field.name}"
    prefix = f"{gateway}.{field.name}"
    status = rx.text(localized(S.settings, f"{prefix}.status"), size="1", color_scheme="gray", class_name="secret-status", id=f"{control}-status")
    if field.choices:
        control_input: rx.Component = rx.el.select(
            *[rx.el.option(choice, value=choice) for choice in field.choices], name=field.name, id=control, default_value=S.settings[prefix], style=SELECT_STYLE, dir="ltr"
        )
    elif field.secret:
        control_input = rx.input(
            type="password", name=field.name, id=control, placeholder=t("gwsettings.keep_placeholder"), auto_complete="new-password", dir="ltr", size="2", width="100%", max_length=config.MAX_VALUE
        )
    else:
        control_input = rx.input(name=field.name, id=control, default_value=S.settings[prefix], dir="ltr", size="2", width="100%", max_length=config.MAX_VALUE, auto_complete="off")
    return rx.vstack(
        rx.el.label(t(f"gwsettings.{gateway}_{field.name}"), *([rx.text.span(" *", color=rx.color("red", 10))] if field.required else []), html_for=control, style=LABEL_STYLE),
        control_input,
        status,
        rx.text(t(f"gwsettings.{gateway}_{field.name}_hint"), size="1", color_scheme="gray"),
        spacing="1",
        width="100%",
        align="stretch",
    )


def gateway_card(gateway: str, spec: config.GatewaySpec) -> rx.Component:
    on = S.settings[f"{gateway}.enabled"] == "on"
    return rx.card(
        rx.form(
            rx.el.input(type="hidden", name="gateway", value=gateway),
            rx.vstack(
                rx.flex(
                    rx.heading(t(f"gwsettings.name_{gateway}"), size="4", as_="h2"),
                    rx.hstack(
                        rx.cond(on, rx.badge(t("gwsettings.on"), color_scheme="green"), rx.badge(t("gwsettings.off"), color_scheme="gray")),
                        rx.cond(S.settings[f"{gateway}.mode"] == "live", rx.badge(t("gwsettings.mode_live"), color_scheme="red"), rx.badge(t("gwsettings.mode_test"), color_scheme="amber")),
                        rx.cond(S.settings[f"{gateway}.source"] == "env", rx.badge(t("gwsettings.from_env"), color_scheme="gray", variant="outline")),
                        spacing="2",
                        wrap="wrap",
                    ),
                    justify="between",
                    align="center",
                    wrap="wrap",
                    spacing="2",
                    width="100%",
                ),
                rx.cond(
                    S.settings[f"{gateway}.unreadable"] != "",
                    rx.callout(t("gwsettings.unreadable"), icon="key_round", color_scheme="red", width="100%"),
                ),
                rx.flex(
                    radio_choice("gwsettings.enabled", "enabled", (("on", "gwsettings.on"), ("off", "gwsettings.off")), S.settings[f"{gateway}.enabled"]),
                    radio_choice("gwsettings.mode", "mode", (("test", "gwsettings.mode_test"), ("live", "gwsettings.mode_live")), S.settings[f"{gateway}.mode"]),
                    spacing="6",
                    wrap="wrap",
                ),
                *[setting_field(gateway, field) for field in spec.fields],
                rx.button(rx.icon("save", size=16), t("gwsettings.save"), type="submit", size="2", id=f"save-{gateway}"),
                spacing="3",
                width="100%",
                align="start",
            ),
            on_submit=S.save_gateway,
            width="100%",
        ),
        width="100%",
        id=f"gateway-{gateway}",
    )


def change_row(item: rx.Var) -> rx.Component:
    return rx.text(localized(item, "at"), " · ", localized(item, "gateway"), " · ", localized(item, "field"), " · ", item["admin"], size="1", color_scheme="gray")


def settings_tab() -> rx.Component:
    return rx.vstack(
        rx.callout(t("gwsettings.intro"), icon="lock", color_scheme="gray", width="100%"),
        *[gateway_card(name, spec) for name, spec in config.SPECS.items()],
        rx.heading(t("gwsettings.changes"), size="3", as_="h2"),
        rx.cond(S.changes.length() > 0, rx.vstack(rx.foreach(S.changes, change_row), spacing="1"), rx.text(t("gwsettings.no_changes"), size="2", color_scheme="gray")),
        spacing="4",
        width="100%",
    )


# -- webhook log ------------------------------------------------------------------------------


def log_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.hstack(
                    rx.cond(
                        item["refused"] != "",
                        rx.badge(localized(item, "outcome"), color_scheme="red", variant="solid", radius="full", size="2"),
                        status_badge(item["outcome"], localized(item, "outcome"), OUTCOME_COLORS),
                    ),
                    rx.text(item["gateway"], " · ", localized(item, "channel"), size="2", weight="medium"),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.text(localized(item, "received"), size="1", color_scheme="gray"),
                justify="between",
                align="center",
                wrap="wrap",
                spacing="2",
                width="100%",
            ),
            rx.cond(item["reference"] != "", rx.hstack(rx.text(t("admin_payments.reference"), size="2", color_scheme="gray"), mono(item["reference"]), spacing="2", wrap="wrap")),
            rx.hstack(
                rx.text(t("admin_payments.source_ip"), size="2", color_scheme="gray"),
                mono(item["ip"]),
                rx.text(t("admin_payments.digest"), size="2", color_scheme="gray"),
                mono(item["digest"]),
                spacing="2",
                wrap="wrap",
                align="baseline",
            ),
            rx.cond(
                item["excerpt"] != "",
                rx.el.details(
                    rx.el.summary(t("admin_payments.excerpt"), style={"cursor": "pointer", "font_size": "0.85rem"}),
                    rx.el.pre(
                        item["excerpt"],
                        dir="ltr",
                        style={"white_space": "pre-wrap", "overflow_wrap": "anywhere", "font_size": "0.75rem", "margin_block_start": "0.5rem"},
                    ),
                    width="100%",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="webhook-item",
    )


def webhooks_tab() -> rx.Component:
    outcomes = [("", "admin_payments.all"), ("refused", "admin_payments.outcome_refused"), *[(o, f"admin_payments.outcome_{o}") for o in webhook_log.ALL_OUTCOMES]]
    return rx.vstack(
        rx.text(t("admin_payments.webhooks_intro"), size="2", color_scheme="gray"),
        filter_form(gateway_choice(), choice_field("admin_payments.outcome", "outcome", outcomes, S.filters["outcome"]), form_id="webhook-filter"),
        admin_list(S.items, log_card, "admin_payments.webhooks_empty", "webhooks-empty"),
        pager(S),
        spacing="3",
        width="100%",
    )


# -- reconciliation ---------------------------------------------------------------------------


def figure(key: str, value: rx.Var) -> rx.Component:
    return rx.vstack(rx.text(t(key), size="1", color_scheme="gray"), rx.text(value, size="3", weight="bold"), spacing="0", min_width="8rem")


def totals_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading(localized(item, "gateway"), size="3", as_="h3"),
                rx.cond(
                    item["bad"] != "",
                    rx.badge(t("admin_payments.mismatches"), " ", item["mismatches"], color_scheme="red", variant="solid", radius="full"),
                    rx.badge(t("admin_payments.matched"), color_scheme="green", radius="full"),
                ),
                justify="between",
                align="center",
                wrap="wrap",
                width="100%",
            ),
            rx.flex(
                figure("admin_payments.paid_count", item["paid_count"]),
                figure("admin_payments.paid_total", localized(item, "paid")),
                figure("admin_payments.ledger_in", localized(item, "ledger_in")),
                figure("admin_payments.gateway_refunded", localized(item, "gateway_refunded")),
                figure("admin_payments.ledger_refunded", localized(item, "ledger_refunded")),
                figure("admin_payments.clearing", localized(item, "clearing")),
                spacing="4",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="reconcile-gateway",
    )


def mismatch_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(localized(item, "kind"), color_scheme="red", variant="solid", radius="full", size="2"),
                rx.text(item["gateway"], size="2", weight="medium"),
                rx.cond(item["order_href"] != "", rx.link(t("admin_payments.order"), " ", item["order"], href=item["order_href"], size="2")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            mono(item["ledger_key"]),
            rx.flex(
                figure("admin_payments.paid_total", localized(item, "paid")),
                figure("admin_payments.ledger_in", localized(item, "ledger")),
                figure("admin_payments.gateway_refunded", localized(item, "gateway_refunded")),
                figure("admin_payments.ledger_refunded", localized(item, "ledger_refunded")),
                spacing="4",
                wrap="wrap",
            ),
            rx.cond(
                item["payment"] != "",
                rx.form(
                    rx.el.input(type="hidden", name="payment", value=item["payment"]),
                    rx.button(rx.icon("refresh_cw", size=16), t("admin_payments.reverify"), type="submit", size="1", variant="soft"),
                    on_submit=S.reverify,
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="mismatch-item",
        style={"border_inline_start": f"4px solid {rx.color('red', 9)}"},
    )


def reconcile_tab() -> rx.Component:
    return rx.vstack(
        rx.text(t("admin_payments.reconcile_intro"), size="2", color_scheme="gray"),
        rx.cond(S.totals.length() > 0, rx.vstack(rx.foreach(S.totals, totals_card), spacing="3", width="100%"), rx.text(t("admin_payments.no_gateways"), size="2", color_scheme="gray")),
        rx.heading(t("admin_payments.mismatch_list"), size="3", as_="h2"),
        admin_list(S.items, mismatch_card, "admin_payments.no_mismatches", "mismatches-empty"),
        spacing="3",
        width="100%",
    )


def admin_payments() -> rx.Component:
    return admin_page(
        PATH,
        S,
        "admin_payments.title",
        tabs(),
        error_callout(S.error),
        rx.match(S.tab, ("settings", settings_tab()), ("webhooks", webhooks_tab()), ("reconcile", reconcile_tab()), payments_tab()),
    )
