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


def context_line(line: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(line["sender"], weight="bold", size="1", dir="auto"),
            rx.text(localized(line, "when"), size="1", color_scheme="gray"),
            rx.cond(line["attempt"] != "", rx.badge(t("flags.the_attempt"), color_scheme="red", size="1")),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(line["text"], size="2", white_space="pre-wrap", dir="auto", style={"overflow_wrap": "anywhere"}),
        padding_inline="0.75rem",
        padding_block="0.4rem",
        border_inline_start=rx.cond(line["flagged"] != "", f"3px solid {rx.color('red', 8)}", f"3px solid {rx.color('gray', 6)}"),
        background_color=rx.cond(line["attempt"] != "", rx.color("red", 2), "transparent"),
        width="100%",
    )


def flag_item(flag: rx.Var, index: rx.Var) -> rx.Component:
    def decision(value: str, key: str) -> rx.Component:
        return rx.el.label(
            rx.el.input(type="radio", name="decision", value=value, required=True),
            rx.text(t(key), as_="span", size="2"),
            style={"display": "inline-flex", "gap": "0.35rem", "align_items": "center", "cursor": "pointer"},
        )

    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(t("flags.sender"), " ", rx.text.strong(flag["sender"]), size="2", dir="auto"),
                rx.text(t("flags.with"), " ", flag["other"], size="2", color_scheme="gray", dir="auto"),
                rx.cond(flag["order"] != "", rx.badge(flag["order"], variant="soft")),
                rx.text(localized(flag, "when"), size="1", color_scheme="gray"),
                spacing="3",
                wrap="wrap",
                align="center",
            ),
            rx.text(t("flags.kinds"), " ", localized(flag, "kinds"), size="2"),
            rx.text(localized(flag, "attempts"), size="2", color_scheme="gray"),
            rx.text(t("flags.context"), weight="medium", size="2"),
            rx.vstack(rx.foreach(M.flag_context[index], context_line), spacing="1", width="100%"),
            rx.form(
                rx.vstack(
                    rx.el.input(type="hidden", name="flag", value=flag["id"]),
                    rx.el.label(t("flags.note"), html_for="flag-note-" + flag["id"], style={"font_size": "0.9rem"}),
                    rx.text_area(name="note", id="flag-note-" + flag["id"], max_length=500, rows="2", width="100%", dir="auto"),
                    rx.el.fieldset(
                        rx.el.legend(t("flags.decision"), style={"font_size": "0.9rem", "font_weight": "500"}),
                        rx.flex(decision("dismiss", "flags.dismiss"), decision("warn", "flags.warn"), decision("action", "flags.action"), spacing="4", wrap="wrap"),
                        style={"border": "0", "padding": "0", "margin": "0"},
                    ),
                    rx.button(t("flags.decide"), type="submit", size="2", color_scheme="amber"),
                    spacing="2",
                    width="100%",
                    align="start",
                ),
                on_submit=M.decide_flag,
                reset_on_submit=True,
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="flag-item",
    )


def flags_section() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading(t("flags.title"), size="5", as_="h2"),
            rx.badge(M.flags.length(), size="2", variant="soft", color_scheme="red", id="flag-count"),
            spacing="3",
            align="center",
        ),
        rx.text(t("flags.no_ban"), size="2", color_scheme="gray"),
        rx.cond(
            M.flags.length() > 0,
            rx.vstack(rx.foreach(M.flags, flag_item), spacing="3", width="100%"),
            rx.card(rx.text(t("flags.none"), color_scheme="gray"), width="100%", id="flags-empty"),
        ),
        spacing="3",
        width="100%",
        id="contact-flags",
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
                flags_section(),
                spacing="4",
                width="100%",
                max_width="56rem",
                margin_inline="auto",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
