"""/wallet (المحفظة): the balance usable to pay; for sellers the three balances, earnings on their
way, the withdraw form with its rules up front and the requests; then every movement, paged."""

from __future__ import annotations

import reflex as rx

from pages.catalog import localized, pager
from pages.components.forms import error_callout, field
from pages.components.i18n import t
from pages.components.layout import shell
from pages.orders import section
from pages.seller import status_badge
from state.session import SessionState
from state.wallet import STATUS_COLORS, WalletState as W

ROW = {"padding_block": "0.5rem", "border_block_end": f"1px solid {rx.color('gray', 4)}", "width": "100%"}  # a line of a list


def balance_card(label_key: str, name: str, icon: str, hint_key: str, color: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=18, color=rx.color(color, 11), aria_hidden="true"),
                rx.text(t(label_key), size="2", weight="medium", color_scheme="gray"),
                spacing="2",
                align="center",
            ),
            rx.text(localized(W.summary, name), size=rx.breakpoints(initial="4", sm="6"), weight="bold", color=rx.color(color, 11), dir="auto"),
            rx.text(t(hint_key), size="1", color_scheme="gray"),
            spacing="2",
            align="start",
        ),
        width="100%",
        id=f"balance-{name}",
    )


def balances() -> rx.Component:
    return rx.grid(
        balance_card("wallet.balance", "wallet", "wallet", "wallet.balance_hint", "teal"),
        rx.cond(SessionState.is_seller, balance_card("wallet.pending", "pending", "hourglass", "wallet.pending_hint", "amber")),
        rx.cond(SessionState.is_seller, balance_card("wallet.available", "available", "circle_check", "wallet.available_hint", "green")),
        rx.cond(SessionState.is_seller, balance_card("wallet.withdrawing", "withdrawing", "landmark", "wallet.withdrawing_hint", "blue")),
        columns=rx.breakpoints(initial="2", lg="4"),
        spacing="3",
        width="100%",
    )


def listing(items: rx.Var, row, empty_key: str) -> rx.Component:  # type: ignore[no-untyped-def]
    """The rows of ``items``, or a grey sentence when there are none."""
    return rx.cond(items.length() > 0, rx.vstack(rx.foreach(items, row), spacing="0", width="100%"), rx.text(t(empty_key), size="2", color_scheme="gray"))


def upcoming_row(item: rx.Var) -> rx.Component:
    return rx.flex(
        rx.link(
            rx.cond(item["tip"] != "", rx.badge(t("wallet.kind_tip"), color_scheme="pink", variant="soft", radius="full", margin_inline_end="0.5rem")),
            rx.text.span(item["title"], size="2", weight="medium", dir="auto"),
            href=item["href"],
            underline="hover",
            min_width="0",
            flex="1 1 14rem",
        ),
        rx.hstack(
            rx.text(localized(item, "net"), size="2", weight="bold"),
            rx.badge(t("wallet.available_on"), " ", localized(item, "clears"), variant="soft", color_scheme="amber", radius="full"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        justify="between",
        align="center",
        wrap="wrap",
        spacing="2",
        **ROW,
    )


def upcoming() -> rx.Component:
    return section(
        "wallet.upcoming",
        listing(W.upcoming, upcoming_row, "wallet.upcoming_empty"),
        element_id="wallet-upcoming",
    )


def withdraw_form() -> rx.Component:
    return section(
        "wallet.withdraw",
        rx.callout(localized(W.summary, "rules"), icon="info", color_scheme="blue", size="1", width="100%", id="withdraw-rules"),
        rx.cond(
            ~W.can_withdraw,
            rx.callout(localized(W.summary, "closed"), icon="clock", color_scheme="amber", size="1", width="100%", id="withdraw-closed"),
        ),
        error_callout(W.error),
        rx.form(
            rx.vstack(
                field("wallet.amount", "amount", control_id="withdraw-amount", input_mode="decimal", dir="ltr", text_align="end", max_length=20, required=True),
                field("wallet.iban", "iban", control_id="withdraw-iban", hint="wallet.iban_hint", dir="ltr", placeholder="SA00 0000 0000 0000 0000 0000", max_length=42, auto_complete="off", required=True),
                field("wallet.holder_name", "holder_name", control_id="withdraw-holder", max_length=120, dir="auto", required=True),
                rx.button(rx.icon("landmark", size=16), t("wallet.withdraw"), type="submit", size="3", disabled=~W.can_withdraw, id="withdraw-submit"),
                spacing="3",
                width="100%",
                align="stretch",
            ),
            on_submit=W.withdraw,
            width="100%",
        ),
        element_id="wallet-withdraw",
    )


def request_row(item: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.hstack(
                rx.text(localized(item, "amount"), size="3", weight="bold"),
                status_badge(item["status"], localized(item, "status"), STATUS_COLORS),
                spacing="3",
                align="center",
            ),
            rx.text(item["iban"], size="2", color_scheme="gray", dir="ltr", font_family="monospace"),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="2",
            width="100%",
        ),
        rx.text(t("wallet.requested_at"), " ", localized(item, "requested"), size="1", color_scheme="gray"),
        rx.cond(
            item["reference"] != "",
            rx.text(t("wallet.paid_reference"), " ", rx.el.bdi(item["reference"]), " — ", localized(item, "decided"), size="1", color_scheme="gray"),
        ),
        rx.cond(
            item["note"] != "",
            rx.callout(rx.text(rx.text.strong(t("wallet.reject_reason")), " ", item["note"], dir="auto"), icon="info", color_scheme="red", size="1", width="100%"),
        ),
        spacing="1",
        **ROW,
        class_name="withdrawal-request",
    )


def requests() -> rx.Component:
    return section(
        "wallet.requests",
        listing(W.requests, request_row, "wallet.requests_empty"),
        element_id="wallet-requests",
    )


def history_row(item: rx.Var) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.text(localized(item, "kind"), size="2", weight="medium"),
                rx.badge(localized(item, "account"), variant="surface", color_scheme="gray", radius="full", size="1"),
                rx.cond(item["href"] != "", rx.link(t("wallet.order"), " #", item["order"], href=item["href"], size="1")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(localized(item, "when"), size="1", color_scheme="gray"),
            spacing="1",
            align="start",
            min_width="0",
        ),
        rx.text(
            localized(item, "amount"),
            size="2",
            weight="bold",
            color=rx.cond(item["incoming"] != "", rx.color("green", 11), rx.color("gray", 12)),
            white_space="nowrap",
        ),
        justify="between",
        align="center",
        spacing="3",
        **ROW,
        class_name="wallet-movement",
    )


def history() -> rx.Component:
    return section(
        "wallet.history",
        listing(W.history, history_row, "wallet.history_empty"),
        pager(W),
        element_id="wallet-history",
    )


def wallet() -> rx.Component:
    return shell(
        rx.cond(
            W.loaded,
            rx.vstack(
                rx.flex(
                    rx.heading(t("wallet.title"), size="6", as_="h1"),
                    rx.link(rx.button(rx.icon("receipt_text", size=16), t("invoices.wallet_link"), variant="soft", size="2"), href="/invoices", id="wallet-invoices"),
                    justify="between",
                    align="center",
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                balances(),
                rx.cond(
                    SessionState.is_seller,
                    rx.grid(
                        rx.vstack(withdraw_form(), requests(), spacing="4", width="100%"),
                        upcoming(),
                        columns=rx.breakpoints(initial="1", md="2"),
                        spacing="4",
                        width="100%",
                        align_items="start",
                    ),
                ),
                history(),
                spacing="4",
                width="100%",
                max_width="64rem",
                margin_inline="auto",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
