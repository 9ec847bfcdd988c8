"""/messages and /messages/<n>: the list of conversations (with search and unread badges) beside
the open thread; the same thread panel sits on the order page.

On a phone only one column shows: the list, or the open thread with a way back to the list.
Bubbles sit at the inline end for the viewer's own messages and the inline start for the other
party's (logical alignment, so English mirrors it). Message text is always a text child:
Reflex escapes it, so markup someone typed shows as the characters they typed.
"""

from __future__ import annotations

import reflex as rx

from app.core.i18n import translate
from app.messages import POLICY
from pages.catalog import localized, pager
from pages.components.files import private_file_link
from pages.components.offers import offer_dialog
from pages.components.i18n import pick, t
from pages.components.layout import search_form, shell
from state.messages import LIST, MessagesState as M

UPLOAD_ID = "message-files"
ATTACH_MB = POLICY.max_attachment_bytes // (1024 * 1024)


def conversation_item(row: rx.Var) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.avatar(fallback=row["initial"], size="3", radius="full"),
            rx.vstack(
                rx.hstack(
                    rx.text(row["name"], weight="bold", size="2", truncate=True, dir="auto"),
                    rx.spacer(),
                    rx.cond(row["unread"] != "", rx.badge(row["unread"], color_scheme="teal", variant="solid", radius="full", aria_label=t("messages.unread_label"))),
                    width="100%",
                    align="center",
                ),
                rx.text(row["about"], size="1", color_scheme="gray", truncate=True, dir="auto", max_width="100%"),
                rx.text(
                    rx.cond(row["mine"] != "", t("messages.you"), ""),
                    localized(row, "preview"),
                    size="2",
                    truncate=True,
                    dir="auto",
                    max_width="100%",
                    weight=rx.cond(row["unread"] != "", "bold", "regular"),
                ),
                rx.text(localized(row, "when"), size="1", color_scheme="gray"),
                spacing="0",
                align="start",
                min_width="0",
                flex="1",
            ),
            spacing="3",
            align="start",
            width="100%",
            padding="0.75rem",
            border_radius="var(--radius-3)",
            background_color=rx.cond(row["active"] != "", rx.color("teal", 3), "transparent"),
            _hover={"background_color": rx.color("gray", 3)},
        ),
        href=row["href"],
        underline="none",
        color="inherit",
        width="100%",
        class_name="conversation-item",
    )


def conversation_list() -> rx.Component:
    return rx.vstack(
        search_form(M.search, label_key="messages.search_label", placeholder_key="messages.search_placeholder", default_value=M.query, id="messages-search"),
        rx.cond(
            M.conversations.length() > 0,
            rx.vstack(rx.foreach(M.conversations, conversation_item), spacing="1", width="100%", id="conversation-list"),
            rx.text(rx.cond(M.query != "", t("messages.no_results"), t("messages.empty")), color_scheme="gray", size="2", padding_block="1rem"),
        ),
        pager(M),
        spacing="3",
        width="100%",
    )


def attachment(line: rx.Var) -> rx.Component:
    return rx.cond(
        line["is_audio"] != "",
        rx.vstack(
            rx.cond(line["kind"] == "voice", rx.hstack(rx.icon("mic", size=14, aria_hidden="true"), rx.text(t("messages.voice_note"), size="1"), spacing="1", align="center")),
            rx.el.audio(src=line["href"], controls=True, preload="metadata", class_name="message-audio", style={"max_inline_size": "100%", "inline_size": "16rem"}),
            rx.cond(line["kind"] == "file", rx.text(line["file_name"], size="1", dir="auto")),
            spacing="1",
        ),
        private_file_link({"name": line["file_name"], "size": line["file_size"], "href": line["href"]}, "message-file"),
    )


def offer_card(line: rx.Var) -> rx.Component:
    """A custom offer in the thread: its terms, its status, and the viewer's buttons."""
    return rx.vstack(
        rx.hstack(
            rx.icon("handshake", size=16, aria_hidden="true"),
            rx.text(t("offers.card_title"), weight="bold", size="2"),
            rx.spacer(),
            rx.badge(localized(line, "offer_status"), color_scheme=line["offer_color"], variant="soft", class_name="offer-status"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.text(line["body"], white_space="pre-wrap", dir="auto", size="2", class_name="message-body"),
        rx.text(localized(line, "offer_gig"), size="1", color_scheme="gray", dir="auto"),
        rx.hstack(
            rx.text(localized(line, "offer_price"), weight="bold", size="4", class_name="offer-price"),
            rx.text(localized(line, "offer_terms"), size="2"),
            spacing="3",
            align="baseline",
            wrap="wrap",
        ),
        rx.cond(line["offer_until_ar"] != "", rx.text(localized(line, "offer_until"), size="1", color_scheme="gray")),
        rx.cond(
            line["offer_answer"] != "",
            rx.hstack(
                rx.button(t("offers.accept"), on_click=M.accept_offer(line["offer_id"]), size="2", class_name="accept-offer"),
                rx.button(t("offers.decline"), on_click=M.decline_offer(line["offer_id"]), size="2", variant="soft", color_scheme="gray", class_name="decline-offer"),
                spacing="2",
            ),
        ),
        rx.cond(
            line["offer_withdraw"] != "",
            rx.button(t("offers.withdraw"), on_click=M.withdraw_offer(line["offer_id"]), size="1", variant="soft", color_scheme="gray", class_name="withdraw-offer"),
        ),
        rx.cond(line["offer_order"] != "", rx.link(t("offers.go_to_order"), href=line["offer_order"], size="2", class_name="offer-order")),
        spacing="2",
        align="start",
        width="100%",
        class_name="offer-card",
        custom_attrs={"data-offer": line["offer_id"]},
    )


def notice_line(line: rx.Var) -> rx.Component:
    """What happened to an offer, centred between the bubbles."""
    return rx.center(
        rx.text(localized(line, "notice"), size="1", color_scheme="gray", class_name="message-notice"),
        width="100%",
        padding_block="0.25rem",
    )


def bubble(line: rx.Var) -> rx.Component:
    return rx.cond(line["kind"] == "notice", notice_line(line), message_bubble(line))


def message_body(line: rx.Var) -> rx.Component:
    return rx.match(
        line["kind"],
        ("text", rx.text(line["body"], white_space="pre-wrap", dir="auto", size="2", class_name="message-body")),
        ("offer", offer_card(line)),
        attachment(line),
    )


def message_bubble(line: rx.Var) -> rx.Component:
    mine = line["mine"] != ""
    return rx.box(
        message_body(line),
        rx.hstack(
            rx.text(localized(line, "when"), size="1", color_scheme="gray"),
            rx.cond(
                mine,
                rx.cond(
                    line["read"] != "",
                    rx.hstack(rx.icon("check_check", size=14, color=rx.color("teal", 10)), rx.text(t("messages.read"), size="1", color=rx.color("teal", 11)), spacing="1", align="center", class_name="read-receipt"),
                    rx.hstack(rx.icon("check", size=14, color=rx.color("gray", 10)), rx.text(t("messages.delivered"), size="1", color_scheme="gray"), spacing="1", align="center"),
                ),
            ),
            spacing="2",
            align="center",
            justify="end",
            margin_block_start="0.25rem",
        ),
        align_self=rx.cond(mine, "flex-end", "flex-start"),
        max_width="min(85%, 32rem)",
        background_color=rx.cond(mine, rx.color("teal", 3), rx.color("gray", 3)),
        border_radius="var(--radius-4)",
        border_end_end_radius=rx.cond(mine, "var(--radius-1)", "var(--radius-4)"),
        border_end_start_radius=rx.cond(mine, "var(--radius-4)", "var(--radius-1)"),
        padding_inline="0.85rem",
        padding_block="0.5rem",
        class_name=rx.cond(mine, "message mine", "message theirs"),
        custom_attrs={"data-kind": line["kind"]},
    )


def composer() -> rx.Component:
    return rx.vstack(
        rx.cond(M.warning != "", rx.callout(M.warning, icon="shield_alert", color_scheme="amber", size="1", width="100%", id="guard-warning")),
        rx.cond(M.error != "", rx.callout(M.error, icon="triangle_alert", color_scheme="red", size="1", width="100%", id="message-error")),
        rx.form(
            rx.vstack(
                rx.el.label(t("messages.composer_label"), html_for="message-body", class_name="visually-hidden"),
                rx.text_area(name="body", id="message-body", placeholder=t("messages.composer_placeholder"), max_length=POLICY.max_body, rows="2", width="100%", dir="auto", required=True),
                rx.hstack(
                    rx.upload.root(
                        rx.button(rx.icon("paperclip", size=16), t("messages.attach"), type="button", variant="soft", size="2"),
                        id=UPLOAD_ID,
                        multiple=True,
                        max_files=5,
                        max_size=POLICY.max_attachment_bytes,
                        on_drop=M.upload(rx.upload_files(upload_id=UPLOAD_ID)),
                        on_drop_rejected=M.files_refused,
                        no_drag=True,
                    ),
                    rx.button(
                        rx.icon(rx.cond(M.recording, "square", "mic"), size=16),
                        rx.cond(M.recording, t("messages.stop_and_send"), t("messages.record")),
                        type="button",
                        on_click=M.record,
                        variant=rx.cond(M.recording, "solid", "soft"),
                        color_scheme=rx.cond(M.recording, "red", "teal"),
                        size="2",
                        id="record-voice",
                    ),
                    rx.cond(
                        M.can_offer,
                        rx.button(rx.icon("handshake", size=16), t("offers.send"), type="button", on_click=M.open_offer_form, variant="soft", size="2", id="open-offer"),
                    ),
                    rx.spacer(),
                    rx.button(rx.icon("send_horizontal", size=16, class_name="mirror-in-rtl"), t("messages.send"), type="submit", size="2", id="send-message"),
                    spacing="2",
                    width="100%",
                    wrap="wrap",
                    align="center",
                ),
                rx.text(pick(*(translate("messages.attach_hint", lang, mb=ATTACH_MB) for lang in ("ar", "en"))), size="1", color_scheme="gray"),
                spacing="2",
                width="100%",
            ),
            on_submit=M.send,
            reset_on_submit=True,
            width="100%",
        ),
        offer_dialog(
            title_key="offers.dialog_title",
            hint_key="offers.dialog_hint",
            gigs=M.offer_gigs,
            prefix="offer",
            is_open=M.offer_open,
            on_submit=M.send_offer,
            on_close=M.close_offer_form,
        ),
        spacing="2",
        width="100%",
    )


def thread_panel(*, show_back: bool = True) -> rx.Component:
    """The open conversation: who, about what, the bubbles, and the composer."""
    return rx.vstack(
        rx.hstack(
            rx.cond(show_back, rx.link(rx.icon("arrow_left", size=18, class_name="mirror-in-rtl"), href=LIST, aria_label=t("messages.back"), display=["inline-flex", "inline-flex", "none"])),
            rx.avatar(fallback=M.other_name[:1], size="2", radius="full"),
            rx.vstack(
                rx.text(M.other_name, weight="bold", dir="auto"),
                rx.cond(M.about_href != "", rx.link(M.about, href=M.about_href, size="1", dir="auto"), rx.text(M.about, size="1")),
                spacing="0",
                align="start",
                min_width="0",
            ),
            spacing="3",
            align="center",
            width="100%",
            padding_block_end="0.5rem",
            border_block_end=f"1px solid {rx.color('gray', 5)}",
        ),
        rx.vstack(
            rx.foreach(M.lines, bubble),
            spacing="2",
            width="100%",
            id="thread-box",
            overflow_y="auto",
            max_height=["60vh", "60vh", "55vh"],
            min_height="12rem",
            padding_block="0.5rem",
            padding_inline="0.25rem",
        ),
        rx.text(t("messages.live"), size="1", color_scheme="gray"),
        composer(),
        spacing="3",
        width="100%",
        id="thread",
    )


def messages_page() -> rx.Component:
    opened = M.open_id > 0
    return shell(
        rx.heading(t("messages.title"), size="7", as_="h1", margin_block_end="1rem"),
        rx.cond(
            M.loaded,
            rx.box(
                rx.box(conversation_list(), class_name="messages-list"),
                rx.card(
                    rx.cond(
                        opened,
                        thread_panel(),
                        rx.center(
                            rx.text(rx.cond(M.thread_missing, t("messages.thread_missing"), t("messages.pick")), color_scheme="gray"),
                            min_height="12rem",
                        ),
                    ),
                    class_name="messages-thread",
                ),
                class_name="messages-layout",
                custom_attrs={"data-open": rx.cond(opened, "true", "false")},
            ),
            rx.center(rx.spinner(size="3"), padding_block="3rem"),
        ),
    )


def order_thread() -> rx.Component:
    """The order page's «محادثة الطلب» card (the order's own thread)."""
    return rx.cond(
        M.open_id > 0,
        rx.card(
            rx.vstack(
                rx.heading(t("messages.order_thread"), size="4", as_="h2"),
                rx.text(t("messages.order_thread_hint"), size="1", color_scheme="gray"),
                thread_panel(show_back=False),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="order-thread",
        ),
    )


def contact_seller_button(**props: object) -> rx.Component:
    """«تواصل مع البائع» on a gig page or a seller's profile (the route says which seller)."""
    return rx.button(rx.icon("message_circle", size=16), t("messages.contact_seller"), on_click=M.contact_seller, variant="outline", id="contact-seller", **props)
