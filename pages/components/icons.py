"""A category's icon from a Var: Lucide icons are compiled in by name, so a name that is data
is matched against the allow-list the console offers (anything else shows the microphone)."""

from __future__ import annotations

import reflex as rx

from app.catalog.taxonomy_admin import CATEGORY_ICONS


def category_icon(name: rx.Var, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.match(
        name,
        *[(icon, rx.icon(icon.replace("-", "_"), **props)) for icon in CATEGORY_ICONS],
        rx.icon("mic", **props),
    )


def icon_tile(name: rx.Var, size: int) -> rx.Component:
    """The icon on a tinted square, as category cards show it."""
    return rx.box(
        category_icon(name, size=size, color=rx.color("teal", 11)),
        padding="0.6rem",
        border_radius="0.75rem",
        background_color=rx.color("teal", 3),
        line_height="0",
    )
