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
