"""/checkout/<order>: the order's summary and price breakdown, then the way to pay.

/checkout/<order>/return is where a gateway sends the buyer back: a spinner while the state
asks the gateway, then the result — paid goes on to the order; failed shows the reason in Arabic
and the way back to pay; pending says we will tell, with a refresh; a bank transfer shows its
instructions and the receipt upload (also shown on the checkout while the transfer waits).
"""

from __future__ import annotations

import reflex as rx

from pages.catalog import localized
from app.orders.transfers import MAX_RECEIPT_BYTES
from pages.components.files import document_picker, private_file_link
from pages.components.forms import error_callout
from pages.components.i18n import pick, t
from pages.components.layout import message_panel, not_found_panel, shell
from state.checkout import CheckoutState as S

RECEIPT_UPLOAD = "transfer-receipt"


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
                rx.cond(S.bank_on, method_option("bank", "checkout.method_bank", rx.text(t("checkout.card_hint_bank"), size="2", color_scheme="gray"))),
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
        rx.cond(S.transfer_status != "", transfer_card()),
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


def _detail(label_key: str, value: rx.Var, element_id: str, copy: rx.Var | None = None) -> rx.Component:
    """One line of the transfer's instructions; what people type (IBAN, reference) takes the whole
    width, unbroken, with a «نسخ» button beside its label."""
    label = rx.text(t(label_key), size="1", color_scheme="gray")
    if copy is not None:
        button = rx.button(
            rx.icon("copy", size=14, aria_hidden="true"), t("transfer.copy"),
            on_click=[rx.set_clipboard(copy), S.copied], variant="soft", size="1", type="button",
        )
        label = rx.hstack(label, button, justify="between", align="center", width="100%")
    return rx.vstack(
        label,
        rx.text(
            value, size=rx.breakpoints(initial="2", sm="3") if copy is not None else "3", weight="bold", id=element_id, dir="auto",
            style={"white_space": "nowrap"} if copy is not None else {"overflow_wrap": "anywhere"},
        ),
        spacing="1",
        align="start",
        min_width="0",
        width="100%",
        grid_column="1 / -1" if copy is not None else None,
    )


def _receipt() -> rx.Component:
    """The receipt: the one uploaded (a private link), and the picker to send or replace it."""
    return rx.vstack(
        rx.text(t("transfer.receipt"), weight="medium", size="2"),
        rx.cond(S.receipt.contains("href"), private_file_link(S.receipt, "transfer-receipt-file"), rx.text(t("transfer.no_receipt"), size="2", color_scheme="gray")),
        rx.flex(
            *document_picker(RECEIPT_UPLOAD, "transfer.pick", max_bytes=MAX_RECEIPT_BYTES, on_drop_rejected=S.receipt_refused),
            rx.button(
                rx.icon("upload", size=16), t("transfer.upload"), type="button", size="2", id="transfer-upload",
                on_click=S.upload_receipt(rx.upload_files(upload_id=RECEIPT_UPLOAD)),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(t("transfer.receipt_hint"), size="1", color_scheme="gray"),
        spacing="2",
        align="start",
        width="100%",
    )


def transfer_card() -> rx.Component:
    """The buyer's bank transfer: what to transfer where while it waits, or why it was refused."""
    pending = S.transfer_status == "pending"
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t("transfer.title"), size="4", as_="h2"),
                rx.badge(
                    rx.match(
                        S.transfer_status,
                        ("pending", t("transfer.status_pending")),
                        ("rejected", t("transfer.status_rejected")),
                        ("expired", t("transfer.status_expired")),
                        t("transfer.status_confirmed"),
                    ),
                    color_scheme=rx.cond(pending, "amber", "red"),
                    size="2",
                ),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                pending,
                rx.vstack(
                    rx.text(t("transfer.intro"), size="2"),
                    rx.grid(
                        _detail("transfer.amount", pick(S.transfer_amount_ar, S.transfer_amount_en), "transfer-amount"),
                        _detail("transfer.due", pick(S.transfer_due_ar, S.transfer_due_en), "transfer-due"),
                        _detail("transfer.iban", rx.el.bdi(S.transfer_iban, dir="ltr"), "transfer-iban", S.transfer_iban_plain),
                        _detail("transfer.reference", rx.el.bdi(S.transfer_reference, dir="ltr"), "transfer-reference", S.transfer_reference),
                        _detail("transfer.holder", S.transfer_holder, "transfer-holder"),
                        _detail("transfer.bank", S.transfer_bank, "transfer-bank"),
                        columns=rx.breakpoints(initial="1", sm="2"),
                        gap="4",
                        width="100%",
                    ),
                    rx.callout(t("transfer.next"), icon="info", color_scheme="teal", size="1", width="100%"),
                    rx.separator(size="4"),
                    _receipt(),
                    spacing="3",
                    align="stretch",
                    width="100%",
                ),
                rx.cond(S.transfer_reason != "", rx.text(S.transfer_reason, size="2", dir="auto", id="transfer-reason")),
            ),
            spacing="3",
            align="stretch",
        ),
        size="3",
        width="100%",
        id="transfer-card",
    )


def _result() -> rx.Component:
    to_order = rx.link(rx.button(t("checkout.go_to_order"), variant="soft", size="2"), href=S.order_href)
    return rx.match(
        S.result,
        (
            "failed",
            rx.vstack(
                message_panel(
                    "checkout.result_failed", S.error, rx.link(rx.button(t("checkout.try_again"), size="3"), href=S.checkout_href),
                    "checkout-failed", rx.icon("circle_x", size=40, color=rx.color("red", 9)),
                ),
                rx.cond(S.transfer_status != "", transfer_card()),
                width="100%",
                align="stretch",
            ),
        ),
        (
            "bank",
            rx.vstack(
                rx.hstack(rx.heading(t("checkout.result_bank"), size="6", as_="h1"), rx.text(S.number, color_scheme="gray", size="3"), spacing="3", align="baseline", wrap="wrap"),
                error_callout(S.error),
                transfer_card(),
                to_order,
                spacing="4",
                width="100%",
                max_width="40rem",
                margin_inline="auto",
                id="checkout-bank",
            ),
        ),
        message_panel(
            "checkout.result_pending",
            "checkout.result_pending_body",
            rx.hstack(rx.button(rx.icon("refresh_cw", size=16), t("checkout.refresh"), on_click=S.come_back, size="3"), to_order, spacing="3", wrap="wrap", justify="center"),
            "checkout-pending",
            rx.icon("clock", size=40, color=rx.color("amber", 9)),
        ),
    )


def checkout_return() -> rx.Component:
    """While the gateway is asked: a spinner and what is happening; then the result."""
    return shell(
        rx.cond(
            S.loaded,
            _result(),
            rx.center(
                rx.vstack(rx.spinner(size="3"), rx.text(t("checkout.confirming"), color_scheme="gray"), spacing="3", align="center"),
                padding="3rem",
            ),
        )
    )
