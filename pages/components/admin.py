"""The admin console's page frame: the section links, the «لا تملك صلاحية» panel, the spinner."""

from __future__ import annotations

import reflex as rx

from pages.components.i18n import t
from pages.components.layout import ADMIN_COUNTS, ADMIN_SECTIONS, count_badge, message_panel, shell
from state.session import SessionState


def _section_link(path: str, key: str, icon: str, current: str) -> rx.Component:
    here = path == current
    return rx.link(
        rx.button(rx.icon(icon, size=16), t(key), count_badge(ADMIN_COUNTS.get(path)), variant="solid" if here else "soft", size="2"),
        href=path,
        aria_current="page" if here else None,
        underline="none",
    )


def admin_nav(current: str) -> rx.Component:
    """Links between the console's pages, the current one marked; moderators see only theirs."""
    links = [
        rx.cond(SessionState.is_admin, _section_link(path, key, icon, current)) if admin_only else _section_link(path, key, icon, current)
        for path, key, icon, admin_only in ADMIN_SECTIONS
    ]
    return rx.el.nav(rx.flex(*links, spacing="2", wrap="wrap"), aria_label=t("admin.nav_label"), id="admin-nav", width="100%")


def forbidden_panel() -> rx.Component:
    """Shown to a signed-in user without the admin role instead of an admin page."""
    return message_panel(
        "admin.forbidden_title",
        "admin.forbidden_body",
        rx.link(rx.button(t("admin.forbidden_home"), variant="soft"), href="/"),
        "admin-forbidden",
        rx.icon("shield_x", size=40, color=rx.color("red", 9)),
    )


def admin_page(current: str, state: type, title_key: str, *content: rx.Component) -> rx.Component:
    """An admin-only page: the refusal panel, a spinner until loaded, or the section's content."""
    return shell(
        rx.cond(
            state.forbidden,
            forbidden_panel(),
            rx.cond(
                state.loaded,
                rx.vstack(
                    admin_nav(current),
                    rx.heading(t(title_key), size="6", as_="h1"),
                    *content,
                    spacing="4",
                    width="100%",
                    max_width="56rem",
                    margin_inline="auto",
                ),
                rx.center(rx.spinner(size="3"), padding="3rem"),
            ),
        )
    )


def admin_list(items: rx.Var, render, empty_key: str, element_id: str) -> rx.Component:  # type: ignore[no-untyped-def]
    """A section's cards, or one card saying there is nothing (with ``element_id``)."""
    return rx.cond(
        items.length() > 0,
        rx.vstack(rx.foreach(items, render), spacing="3", width="100%"),
        rx.card(rx.text(t(empty_key), color_scheme="gray"), width="100%", id=element_id),
    )


def decision_form(
    item: rx.Var,
    *,
    hidden: str,
    text: tuple[str, str, str],
    choice: tuple[str, tuple[tuple[str, str], ...]],
    submit_key: str,
    on_submit: rx.EventHandler,
    required: bool,
) -> rx.Component:
    """A queue card's decision: the item's key in the hidden field ``hidden``, a text field
    ``text`` (name, label key, id prefix) read by the people concerned, a choice ``(field name,
    ((value, label key), ...))`` (the first is preselected) and the submit button."""
    name, label_key, prefix = text
    field_name, options = choice
    control = prefix + item["key"]
    return rx.form(
        rx.el.input(type="hidden", name=hidden, value=item["key"]),
        rx.vstack(
            rx.el.label(t(label_key), html_for=control, style={"font_weight": "500", "font_size": "0.9rem"}),
            rx.input(name=name, id=control, required=required, max_length=500, size="2", width="100%", dir="auto"),
            rx.radio_group.root(
                rx.hstack(
                    *[rx.radio_group.item(rx.text(t(key), size="2"), value=value) for value, key in options],
                    spacing="4",
                    wrap="wrap",
                ),
                name=field_name,
                default_value=options[0][0],
            ),
            rx.button(t(submit_key), type="submit", size="2"),
            spacing="2",
            align="start",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        width="100%",
    )
