"""/admin/payouts: the queue of withdrawal requests (full IBAN to copy into the bank), each with
«تم التحويل» and a bank reference or «رفض» with a reason; tabs for the paid and rejected ones,
and «تصدير CSV» of every withdrawal."""

from __future__ import annotations

import reflex as rx

from pages.catalog import localized, pager
from pages.components.admin import admin_list, admin_page
from pages.components.forms import error_callout
from pages.components.i18n import t
from pages.moderation import reason_form
from pages.seller import status_badge
from state.payouts import PATH, TABS, PayoutsState as P, tab_href
from state.wallet import STATUS_COLORS

TAB_KEYS = {"requested": "payouts.tab_requested", "paid": "payouts.tab_paid", "rejected": "payouts.tab_rejected"}


def tabs() -> rx.Component:
    def tab(value: str) -> rx.Component:
        here = P.tab == value
        return rx.link(
            rx.button(
                t(TAB_KEYS[value]),
                rx.cond(value == TABS[0], rx.badge(P.waiting, variant="solid", color_scheme="amber", radius="full", size="1")),
                variant=rx.cond(here, "solid", "soft"),
                color_scheme="gray",
                size="2",
            ),
            href=tab_href(value),
            underline="none",
            aria_current=rx.cond(here, "page", ""),
            id=f"tab-{value}",
        )

    return rx.flex(
        rx.el.nav(rx.flex(*[tab(value) for value in TABS], spacing="2", wrap="wrap"), aria_label=t("payouts.tabs")),
        rx.button(rx.icon("download", size=16), t("payouts.export"), on_click=P.export_csv, variant="outline", size="2", id="export-csv"),
        justify="between",
        align="center",
        wrap="wrap",
        spacing="3",
        width="100%",
    )


def amount_head(item: rx.Var, title: rx.Component, subtitle: rx.Component, *, colors: dict[str, str], size: str = "5") -> rx.Component:
    """A money card's first line: who or what (title over subtitle), then the amount and its status."""
    return rx.flex(
        rx.vstack(title, subtitle, spacing="0", align="start", min_width="0"),
        rx.hstack(
            rx.text(localized(item, "amount"), size=size, weight="bold"),
            status_badge(item["status"], localized(item, "status"), colors),
            spacing="3",
            align="center",
        ),
        justify="between",
        align="start",
        wrap="wrap",
        spacing="2",
        width="100%",
    )


def detail(key: str, value: rx.Var | rx.Component, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.hstack(rx.text(t(key), size="2", color_scheme="gray", white_space="nowrap"), rx.text(value, size="2", **props), spacing="2", align="baseline", wrap="wrap")


def pay_form(item: rx.Var) -> rx.Component:
    control = "reference-" + item["key"]
    return rx.form(
        rx.el.input(type="hidden", name="withdrawal", value=item["key"]),
        rx.vstack(
            rx.el.label(t("payouts.reference"), html_for=control, style={"font_weight": "500", "font_size": "0.9rem"}),
            rx.flex(
                rx.input(name="reference", id=control, required=True, max_length=100, dir="ltr", size="2", flex="1 1 12rem", auto_complete="off"),
                rx.button(rx.icon("check", size=16), t("payouts.mark_paid"), type="submit", size="2", color_scheme="green"),
                spacing="2",
                wrap="wrap",
                width="100%",
            ),
            spacing="1",
            width="100%",
            align="stretch",
        ),
        on_submit=P.mark_paid,
        reset_on_submit=True,
        width="100%",
    )


def payout_card(item: rx.Var) -> rx.Component:
    queued = P.tab == TABS[0]
    return rx.card(
        rx.vstack(
            amount_head(
                item,
                rx.text(item["seller"], weight="bold", size="3", dir="auto"),
                rx.text(item["email"], size="1", color_scheme="gray", dir="ltr"),
                colors=STATUS_COLORS,
            ),
            detail("payouts.iban", item["iban"], dir="ltr", font_family="monospace", weight="medium", class_name="payout-iban"),
            detail("payouts.holder", item["holder"], dir="auto"),
            detail("payouts.requested_at", localized(item, "requested")),
            rx.cond(item["decided_en"] != "", detail("payouts.decided_at", localized(item, "decided"))),
            rx.cond(item["reference"] != "", detail("payouts.reference", item["reference"], dir="ltr")),
            rx.cond(item["note"] != "", detail("payouts.reason", item["note"], dir="auto")),
            rx.cond(
                queued,
                rx.vstack(
                    rx.separator(size="4"),
                    pay_form(item),
                    rx.el.details(
                        rx.el.summary(t("payouts.reject_title"), style={"cursor": "pointer", "font_size": "0.9rem"}),
                        rx.box(
                            reason_form(
                                item,
                                P.reject,
                                "payouts.reject",
                                "reject-" + item["key"],
                                hidden=("withdrawal", "key"),
                                label_key="payouts.reason",
                                hint_key="payouts.reason_hint",
                                max_length=500,
                                color_scheme="red",
                                variant="soft",
                            ),
                            padding_block_start="0.5rem",
                        ),
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="payout-item",
    )


def payouts() -> rx.Component:
    return admin_page(
        PATH,
        P,
        "payouts.title",
        rx.text(t("payouts.intro"), size="2", color_scheme="gray"),
        tabs(),
        error_callout(P.error),
        admin_list(P.items, payout_card, "payouts.empty", "payouts-empty"),
        pager(P),
    )

