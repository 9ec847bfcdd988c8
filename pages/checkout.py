"""/checkout/<order>: the order's summary and price breakdown, then the way to pay.

/checkout/<order>/return is where the card gateway sends the buyer back: it only shows a
spinner while the state asks the gateway and moves on.
"""

from __future__ import annotations

import reflex as rx

from pages.catalog import localized
from pages.components.forms import error_callout
from pages.components.i18n import pick, t
from pages.components.layout import not_found_panel, shell
from state.checkout import CheckoutState as S


def summary_row(label_key: str, value: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(t(label_key), size="2", color_scheme="gray"),
        rx.text(value, size="2", weight="medium", dir="auto", text_align="end"),
        justify="between",
        align="start",
        spacing="3",
        width="100%",
    )


def price_table(lines: rx.Var) -> rx.Component:
    """The money lines (label, amount); the strong ones (the total) stand out."""

    def one(item: rx.Var) -> rx.Component:
        strong = item["strong"] != ""
        return rx.hstack(
            rx.text(localized(item, "label"), size=rx.cond(strong, "3", "2"), weight=rx.cond(strong, "bold", "regular"), dir="auto"),
            rx.text(
                localized(item, "amount"),
                size=rx.cond(strong, "4", "2"),
                weight=rx.cond(strong, "bold", "medium"),
                color=rx.cond(strong, rx.color("teal", 11), rx.color("gray", 12)),
                style={"white_space": "nowrap"},
            ),
            justify="between",
            align="center",
            spacing="3",
            width="100%",
            padding_block_start=rx.cond(strong, "0.5rem", "0"),
            border_block_start=rx.cond(strong, f"1px solid {rx.color('gray', 5)}", "none"),
        )

    return rx.vstack(rx.foreach(lines, one), spacing="2", width="100%", class_name="price-lines")


def tax_note(state: type) -> rx.Component:
    """How the order is invoiced (the platform as deemed supplier), under its money lines."""
    return rx.cond(
        state.tax_note_ar != "",  # type: ignore[attr-defined]
        rx.text(pick(state.tax_note_ar, state.tax_note_en), size="1", color_scheme="gray", id="tax-note"),  # type: ignore[attr-defined]
    )


def summary() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("checkout.summary"), size="4", as_="h2"),
            rx.link(rx.text(S.gig_title, weight="bold", size="3", dir="auto"), href=S.gig_href, id="checkout-gig"),
            summary_row("checkout.package", pick(S.package_ar, S.package_en)),
            summary_row("checkout.quantity", S.quantity.to_string()),
            summary_row("gig.delivery", pick(S.days_ar, S.days_en)),
            rx.separator(size="4"),
            price_table(S.lines),
            tax_note(S),
            spacing="3",
            align="stretch",
        ),
        size="3",
        width="100%",
        id="checkout-summary",
    )


def method_option(value: str | rx.Var, title: str | rx.Var, detail: rx.Component, **props) -> rx.Component:
    """A way to pay as a radio card; ``title`` is a catalogue key, or a Var already in words."""
    return rx.radio_cards.item(
        rx.vstack(rx.text(t(title) if isinstance(title, str) else title, weight="bold"), detail, spacing="1", align="start", width="100%"),
        value=value,
        width="100%",
        **props,
    )


def card_option(choice: rx.Var) -> rx.Component:
    """One card gateway's radio, titled by the gateway that takes the payment (its real name)."""
    return method_option(choice["value"], localized(choice, "title"), rx.text(localized(choice, "hint"), size="2", color_scheme="gray"))


def named_card_option(state: type[rx.State]) -> rx.Component:
    """The tip's card choice, titled after the gateway that will take it (the order state fills it)."""
    hint = rx.text(pick(state.card_hint_ar, state.card_hint_en), size="2", color_scheme="gray")
    return method_option("card", pick(state.card_title_ar, state.card_title_en), hint)


def payment() -> rx.Component:
    wallet_detail = rx.vstack(
        rx.text(t("checkout.wallet_balance"), " ", pick(S.wallet_ar, S.wallet_en), size="2", color_scheme="gray"),
        rx.cond(~S.wallet_enough, rx.text(t("checkout.wallet_short"), size="1", color=rx.color("red", 11))),
        spacing="1",
        align="start",
    )
    return rx.card(
        rx.vstack(
            rx.heading(t("checkout.method"), size="4", as_="h2", id="checkout-method"),
            rx.radio_cards.root(
                method_option("wallet", "checkout.method_wallet", wallet_detail, disabled=~S.wallet_enough),
                rx.foreach(S.card_methods, card_option),
                value=S.method,
                on_value_change=S.choose,
                columns="1",
                gap="3",
                width="100%",
                aria_labelledby="checkout-method",
            ),
            error_callout(S.error),
            rx.button(
                t("checkout.pay"),
                " ",
                pick(S.total_ar, S.total_en),
                on_click=S.pay,
                size="3",
                width="100%",
                disabled=S.method == "",
                id="checkout-pay",
            ),
            rx.button(t("checkout.abandon"), on_click=S.abandon, variant="ghost", color_scheme="gray", size="2", id="checkout-abandon"),
            spacing="3",
            align="stretch",
        ),
        size="3",
        width="100%",
    )


def checkout_body() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(t("checkout.title"), size="6", as_="h1"),
            rx.text(S.number, color_scheme="gray", size="3"),
            spacing="3",
            align="baseline",
            wrap="wrap",
        ),
        rx.box(summary(), payment(), class_name="order-layout"),
        spacing="4",
        width="100%",
        align="stretch",
    )


def order_page(state: type, body: rx.Component) -> rx.Component:
    """A page about one order: a spinner until loaded, then the body or «not found» (strangers too)."""
    return shell(
        rx.cond(
            state.loaded,
            rx.cond(state.not_found, not_found_panel("orders.not_found", "order-not-found"), body),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )


def checkout() -> rx.Component:
    return order_page(S, checkout_body())


def checkout_return() -> rx.Component:
    """While the gateway is asked: a spinner and what is happening."""
    return shell(
        rx.center(
            rx.vstack(rx.spinner(size="3"), rx.text(t("checkout.confirming"), color_scheme="gray"), spacing="3", align="center"),
            padding="3rem",
        )
    )
