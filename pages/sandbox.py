"""The sandbox gateway's hosted payment page, /sandbox/pay/<reference>.

It stands in for a real gateway's page, so it has the gateway's look, not the marketplace's
header: a loud amber banner says no real money moves, then the amount, the card form and the
test cards with what each does; the challenge card leads to a one-time code step whose code
is printed on the page.
"""

from __future__ import annotations

import reflex as rx

from app.payments.cards import TEST_CARDS, Outcome
from app.payments.sandbox import CHALLENGE_CODE
from pages.components.forms import error_callout, field, submit
from pages.components.i18n import pick, t
from pages.components.layout import language_switch
from state.sandbox import CARD, CHALLENGE, DONE, MISSING, SandboxState

OUTCOME_KEYS = {
    Outcome.PAID: "sandbox.card_paid",
    Outcome.DECLINED: "sandbox.card_declined",
    Outcome.CHALLENGE: "sandbox.card_challenge",
}


def banner() -> rx.Component:
    return rx.box(
        rx.flex(
            rx.icon("flask_conical", size=32, flex_shrink="0"),
            rx.vstack(
                rx.text(t("sandbox.banner"), size="5", weight="bold"),
                rx.text(t("sandbox.banner_hint"), size="2"),
                spacing="1",
            ),
            rx.box(language_switch(), margin_inline_start="auto"),
            align="center",
            spacing="3",
            max_width="40rem",
            margin_inline="auto",
            padding="1rem",
        ),
        role="alert",
        id="sandbox-banner",
        background_color=rx.color("amber", 9),
        color=rx.color("amber", 12),
        border_block_end=f"4px solid {rx.color('amber', 11)}",
    )


def summary() -> rx.Component:
    return rx.vstack(
        rx.text(t("sandbox.amount"), size="2", color_scheme="gray"),
        rx.heading(pick(SandboxState.amount_ar, SandboxState.amount_en), size="8", as_="p", id="sandbox-amount"),
        rx.text(SandboxState.description, size="3"),
        spacing="1",
    )


def test_cards() -> rx.Component:
    """The test cards, each with a button that types its number into the form."""
    return rx.vstack(
        rx.heading(t("sandbox.test_cards"), size="4", as_="h2"),
        rx.text(t("sandbox.test_cards_hint"), size="2", color_scheme="gray"),
        *[
            rx.flex(
                rx.vstack(
                    rx.code(card.grouped, dir="ltr", size="3", white_space="nowrap"),
                    rx.text(t(OUTCOME_KEYS[card.outcome]), size="2"),
                    spacing="1",
                    align="start",
                ),
                rx.button(
                    t("sandbox.use_card"),
                    on_click=rx.set_value("card_number", card.grouped),
                    type="button",
                    size="1",
                    variant="soft",
                ),
                align="center",
                justify="between",
                spacing="3",
                width="100%",
                padding_block="0.5rem",
                border_block_start=f"1px solid {rx.color('gray', 5)}",
                id=f"test-card-{card.outcome}",
            )
            for card in TEST_CARDS
        ],
        spacing="2",
        width="100%",
        id="sandbox-test-cards",
    )


def step_form(on_submit: rx.EventHandler, *children: rx.Component) -> rx.Component:
    return rx.form(rx.vstack(*children, spacing="4", width="100%"), on_submit=on_submit, width="100%")


def card_form() -> rx.Component:
    ltr = {"dir": "ltr", "text_align": "left"}
    return step_form(
        SandboxState.pay,
        field(
            "sandbox.card_number", "card_number", input_mode="numeric", auto_complete="cc-number",
            placeholder="4111 1111 1111 1111", max_length=30, required=True, **ltr,
        ),
        rx.grid(
            field("sandbox.expiry", "expiry", auto_complete="cc-exp", placeholder="MM/YY", max_length=7, required=True, **ltr),
            field("sandbox.cvc", "cvc", input_mode="numeric", auto_complete="cc-csc", placeholder="123", max_length=3, required=True, **ltr),
            columns="2",
            spacing="3",
            width="100%",
        ),
        field("sandbox.holder", "holder", auto_complete="cc-name", max_length=80, required=True),
        rx.button(
            t("sandbox.pay"), " ", pick(SandboxState.amount_ar, SandboxState.amount_en),
            type="submit", size="3", width="100%", id="sandbox-pay",
        ),
    )


def challenge_form() -> rx.Component:
    return step_form(
        SandboxState.confirm_code,
        rx.heading(t("sandbox.challenge_title"), size="5", as_="h2"),
        rx.text(t("sandbox.challenge_hint"), size="2"),
        rx.code(CHALLENGE_CODE, size="6", dir="ltr", id="sandbox-code-shown", width="fit-content"),
        field("sandbox.code", "code", input_mode="numeric", auto_complete="one-time-code", max_length=10, required=True, dir="ltr"),
        submit("sandbox.confirm", id="sandbox-confirm"),
    )


def finished() -> rx.Component:
    return rx.vstack(
        rx.callout(t("payment.already_final"), icon="info", width="100%"),
        rx.link(rx.button(t("sandbox.back"), size="3", width="100%"), href=SandboxState.back_url, width="100%"),
        spacing="3",
        width="100%",
    )


def sandbox_pay() -> rx.Component:
    return rx.box(
        banner(),
        rx.el.main(
            rx.card(
                rx.vstack(
                    rx.heading(t("sandbox.title"), size="6", as_="h1"),
                    rx.match(
                        SandboxState.step,
                        (MISSING, rx.callout(t("payment.unknown_payment"), icon="triangle_alert", color_scheme="red", width="100%")),
                        (CARD, rx.vstack(summary(), error_callout(SandboxState.error), card_form(), spacing="4", width="100%")),
                        (CHALLENGE, rx.vstack(summary(), error_callout(SandboxState.error), challenge_form(), spacing="4", width="100%")),
                        (DONE, rx.vstack(summary(), finished(), spacing="4", width="100%")),
                        rx.center(rx.spinner(size="3"), width="100%", padding_block="2rem"),
                    ),
                    spacing="4",
                    width="100%",
                ),
                size="3",
                width="100%",
            ),
            rx.cond(SandboxState.step == CARD, rx.card(test_cards(), size="2", width="100%", margin_block_start="1rem")),
            max_width="34rem",
            margin_inline="auto",
            padding="1rem",
            width="100%",
        ),
        min_height="100vh",
        background_color=rx.color("gray", 2),
    )
