"""Labelled form fields and messages: labels are real <label for> so screen readers and
browser tests find inputs by their Arabic names."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from pages.components.i18n import t


def field(key: str, name: str, *, type: str = "text", hint: str | None = None, control_id: str | None = None, **props) -> rx.Component:  # noqa: A002
    """A label (catalogue ``key``) over an input named ``name`` (with id ``control_id``, default ``name``)."""
    parts = [
        rx.el.label(t(key), html_for=control_id or name, style={"font_weight": "500"}),
        rx.input(id=control_id or name, name=name, type=type, size="3", width="100%", **props),
    ]
    if hint:
        parts.append(rx.text(t(hint), size="1", color_scheme="gray"))
    return rx.vstack(
        *parts,
        spacing="1",
        width="100%",
        align="stretch",
    )


NATIVE_SELECT = {"padding_block": "0.5rem", "padding_inline": "0.5rem", "border_radius": "6px", "border": f"1px solid {rx.color('gray', 7)}", "inline_size": "100%"}


def select_field(key: str, name: str, options: rx.Var, label: Callable[[rx.Var], rx.Var | str], *, control_id: str) -> rx.Component:
    """A label over a native <select> of ``options`` (dicts with ``value``; ``label`` words each).

    Native, not Radix: a form posts it as a plain field, and phones show their own picker."""
    return rx.vstack(
        rx.el.label(t(key), html_for=control_id, style={"font_weight": "500"}),
        rx.el.select(rx.foreach(options, lambda option: rx.el.option(label(option), value=option["value"])), name=name, id=control_id, style=NATIVE_SELECT),
        spacing="1",
        width="100%",
        align="stretch",
    )


def text_area(key: str, name: str, *, control_id: str | None = None, **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(t(key), html_for=control_id or name, style={"font_weight": "500"}),
        rx.text_area(id=control_id or name, name=name, size="3", width="100%", **props),
        spacing="1",
        width="100%",
        align="stretch",
    )


def error_callout(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
    )


def notice_callout(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="circle_check", color_scheme="green", role="status", width="100%"),
    )


def submit(key: str, **props) -> rx.Component:
    return rx.button(t(key), type="submit", size="3", width="100%", **props)


def card(*children: rx.Component, max_width: str = "30rem") -> rx.Component:
    return rx.card(
        rx.vstack(*children, spacing="4", width="100%", align="stretch"),
        size="3",
        width="100%",
        max_width=max_width,
        margin_inline="auto",
    )


def choice_cards(name: str, legend: str, choices: tuple[tuple[str, str, str], ...], *, id_prefix: str = "", **props) -> rx.Component:
    """A required choice as radio cards: a legend, then one card per (value, label key, hint key)."""
    return rx.el.fieldset(
        rx.el.legend(t(legend), style={"font_weight": "500", "margin_block_end": "0.5rem"}),
        rx.radio_cards.root(
            *[
                rx.radio_cards.item(
                    rx.vstack(rx.text(t(key), weight="bold", size="2"), rx.text(t(hint), size="1", color_scheme="gray"), spacing="1", align="start"),
                    value=value,
                    id=f"{id_prefix or name.replace('_', '-')}-{value}",
                )
                for value, key, hint in choices
            ],
            name=name,
            required=True,
            columns=rx.breakpoints(initial="1", sm="2"),
            gap="2",
            width="100%",
            # Radix moves each card's native radio one width towards the inline start (translateX(-100%)):
            # in RTL that is past the screen's edge and would scroll a phone sideways
            style={"position": "relative", "overflow": "clip", "overflow_clip_margin": "4px"},
            **props,
        ),
        style={"border": "none", "padding": "0", "margin": "0", "inline_size": "100%"},
    )


REFUND_TO = (
    ("card", "disputes.refund_to_card", "disputes.refund_to_card_hint"),
    ("wallet", "disputes.refund_to_wallet", "disputes.refund_to_wallet_hint"),
)


def refund_choice(paid_by_card: rx.Var, *, id_prefix: str = "refund-to") -> rx.Component:
    """Where a refund goes (``refund_to``): «إلى البطاقة» (preselected) or «إلى المحفظة» for an
    order paid by card; an order paid from the wallet is refunded to it, and says so."""
    return rx.cond(
        paid_by_card,
        choice_cards("refund_to", "disputes.refund_to", REFUND_TO, id_prefix=id_prefix, default_value="card"),
        rx.fragment(
            rx.el.input(type="hidden", name="refund_to", value="wallet"),
            rx.text(t("disputes.wallet_only"), size="1", color_scheme="gray", class_name="refund-wallet-only"),
        ),
    )
