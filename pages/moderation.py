"""/admin/moderation: services awaiting review, each with approve, reject (with a reason) and
suspend (with a reason). Each decision is a small form carrying the gig and the note."""

from __future__ import annotations

import reflex as rx

from pages.catalog import localized
from pages.components.admin import admin_nav
from pages.components.forms import error_callout
from pages.components.i18n import t
from pages.components.layout import shell
from state.moderation import MAX_NOTE, PATH, ModerationState as M


def _gig_field(item: rx.Var) -> rx.Component:
    return rx.el.input(type="hidden", name="gig", value=item["id"])


def reason_form(  # type: ignore[no-untyped-def]
    item: rx.Var,
    handler,
    button_key: str,
    control: str,
    *,
    hidden: tuple[str, str] = ("gig", "id"),
    label_key: str = "moderation.reason",
    hint_key: str = "moderation.reason_hint",
    max_length: int = MAX_NOTE,
    **button_props,
) -> rx.Component:
    """A required reason (``note``) and a button; the row goes back as hidden field ``hidden[0]``
    holding ``item[hidden[1]]``."""
    return rx.form(
        rx.vstack(
            rx.el.input(type="hidden", name=hidden[0], value=item[hidden[1]]),
            rx.el.label(t(label_key), html_for=control, style={"font_weight": "500", "font_size": "0.9rem"}),
            rx.text_area(name="note", id=control, required=True, max_length=max_length, rows="2", width="100%", dir="auto"),
            rx.text(t(hint_key), size="1", color_scheme="gray"),
            rx.button(t(button_key), type="submit", size="2", **button_props),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=handler,
        reset_on_submit=True,
        width="100%",
    )


def queue_item(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.link(rx.text(item["title"], weight="bold", size="4", dir="auto"), href=item["href"], is_external=True),
                    rx.flex(
                        rx.badge(localized(item, "category"), variant="soft", radius="full"),
                        rx.text(t("moderation.seller"), " ", item["seller_name"], size="2", color_scheme="gray"),
                        rx.text(t("moderation.submitted"), " ", localized(item, "when"), size="2", color_scheme="gray"),
                        rx.text(localized(item, "price"), size="2", weight="medium"),
                        spacing="3",
                        wrap="wrap",
                        align="center",
                    ),
                    spacing="2",
                    align="start",
                    flex="1 1 20rem",
                    min_width="0",
                ),
                rx.form(
                    _gig_field(item),
                    rx.button(rx.icon("check", size=16), t("moderation.approve"), type="submit", size="3", color_scheme="green"),
                    on_submit=M.approve,
                ),
                spacing="3",
                wrap="wrap",
                justify="between",
                align="start",
                width="100%",
            ),
            rx.text(item["excerpt"], size="2", color_scheme="gray", dir="auto", style={"overflow_wrap": "anywhere"}),
            rx.link(t("moderation.open"), href=item["href"], is_external=True, size="2"),
            reason_form(item, M.reject, "moderation.reject", "reject-" + item["id"], color_scheme="red", variant="soft"),
            rx.el.details(
                rx.el.summary(t("moderation.suspend_title"), style={"cursor": "pointer", "font_size": "0.9rem"}),
                rx.box(
                    reason_form(item, M.suspend, "moderation.suspend", "suspend-" + item["id"], color_scheme="crimson", variant="outline"),
                    padding_block_start="0.5rem",
                ),
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="moderation-item",
    )


def pager() -> rx.Component:
    return rx.cond(
        M.pages > 1,
        rx.hstack(
            rx.button(t("moderation.previous"), on_click=M.go_page(M.page - 1), disabled=M.page <= 1, variant="soft", size="2"),
            rx.text(M.page, " / ", M.pages, size="2", color_scheme="gray", dir="ltr"),
            rx.button(t("moderation.next"), on_click=M.go_page(M.page + 1), disabled=M.page >= M.pages, variant="soft", size="2"),
            spacing="3",
            justify="center",
            align="center",
            width="100%",
        ),
    )


def moderation() -> rx.Component:
    return shell(
        rx.cond(
            M.loaded,
            rx.vstack(
                admin_nav(PATH),
                rx.flex(
                    rx.heading(t("moderation.title"), size="6", as_="h1"),
                    rx.badge(t("moderation.pending_count"), " ", M.total, size="2", variant="soft", color_scheme="amber", id="pending-count"),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                ),
                error_callout(M.error),
                rx.cond(
                    M.items.length() > 0,
                    rx.vstack(rx.foreach(M.items, queue_item), spacing="3", width="100%"),
                    rx.card(rx.text(t("moderation.empty"), color_scheme="gray"), width="100%", id="queue-empty"),
                ),
                pager(),
                spacing="4",
                width="100%",
                max_width="56rem",
                margin_inline="auto",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
