"""/requests (طلبات الخدمات): post a request, «طلباتي», the sellers' board with «أرسل عرضًا», the
moderators' «إزالة»; /requests/<n>: the buyer's request and the offers that answer it."""

from __future__ import annotations

import reflex as rx

from app.buyer_requests import POLICY
from app.core.i18n import translate
from pages.catalog import localized, level_badge, pager
from pages.components.forms import error_callout, field, select_field, text_area
from pages.components.i18n import pick, t
from pages.components.layout import shell
from pages.components.offers import offer_dialog
from state.requests import RequestsState as R


def post_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("requests.new_title"), size="5", as_="h2"),
                rx.text(t("requests.new_hint"), size="2", color_scheme="gray"),
                select_field("requests.category", "category", R.categories, lambda c: pick(c["ar"], c["en"]), control_id="request-category"),
                text_area("requests.description", "description", control_id="request-description", rows="4", max_length=POLICY.max_description, required=True, dir="auto"),
                rx.grid(
                    field("requests.budget", "budget", control_id="request-budget", input_mode="decimal", required=True),
                    field("requests.days", "days", control_id="request-days", type="number", min=1, max=POLICY.max_days, required=True),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.button(t("requests.post"), type="submit", size="3", id="post-request"),
                spacing="3",
                width="100%",
            ),
            on_submit=R.post,
            width="100%",
        ),
        width="100%",
    )


def request_card(item: rx.Var, actions: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(localized(item, "category"), variant="soft"),
                rx.badge(localized(item, "status"), color_scheme=item["tone"], variant="soft", class_name="request-status"),
                rx.spacer(),
                rx.text(localized(item, "posted"), size="1", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
                width="100%",
                align="center",
            ),
            rx.text(item["description"], white_space="pre-wrap", dir="auto", size="2"),
            rx.hstack(
                rx.text(t("requests.budget_label"), " ", localized(item, "budget"), weight="bold", size="2"),
                rx.text(localized(item, "days"), size="2"),
                rx.text(localized(item, "answers"), size="2", color_scheme="gray"),
                spacing="4",
                wrap="wrap",
            ),
            rx.cond(item["reason"] != "", rx.callout(item["reason"], icon="shield_alert", color_scheme="red", size="1")),
            actions,
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="request-card",
        custom_attrs={"data-request": item["id"]},
    )


def my_actions(item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.link(rx.button(t("requests.see_offers"), size="2", variant="soft"), href=item["href"]),
        rx.cond(item["open"] != "", rx.button(t("requests.close"), on_click=R.close(item["id"]), size="2", variant="ghost", color_scheme="gray", class_name="close-request")),
        spacing="2",
    )


def board_actions(item: rx.Var) -> rx.Component:
    return rx.cond(
        R.moderating,
        rx.form(
            rx.el.input(type="hidden", name="request", value=item["id"]),
            rx.hstack(
                rx.input(name="reason", placeholder=pick(translate("requests.remove_reason", "ar"), translate("requests.remove_reason", "en")), required=True, max_length=POLICY.max_reason, size="2", flex="1", aria_label=t("requests.remove_reason")),
                rx.button(t("requests.remove"), type="submit", size="2", color_scheme="red", variant="soft"),
                spacing="2",
                width="100%",
            ),
            on_submit=R.remove,
            reset_on_submit=True,
            width="100%",
        ),
        rx.cond(
            item["answered"] != "",
            rx.badge(t("requests.answered"), color_scheme="green", variant="soft"),
            rx.button(rx.icon("handshake", size=16), t("requests.answer"), on_click=R.open_answer(item["id"]), size="2", class_name="answer-request"),
        ),
    )


def board() -> rx.Component:
    return rx.vstack(
        rx.heading(rx.cond(R.moderating, t("requests.all_open"), t("requests.board_title")), size="5", as_="h2"),
        rx.cond(
            R.board_cards.length() > 0,
            rx.vstack(rx.foreach(R.board_cards, lambda item: request_card(item, board_actions(item))), spacing="3", width="100%", id="request-board"),
            rx.text(t("requests.board_empty"), color_scheme="gray", size="2"),
        ),
        pager(R),
        offer_dialog(
            title_key="requests.answer_title",
            hint_key="offers.dialog_hint",
            gigs=R.offer_gigs,
            prefix="answer",
            is_open=R.answering != "",
            on_submit=R.answer,
            on_close=R.close_answer,
            hidden=rx.el.input(type="hidden", name="request", value=R.answering),
        ),
        spacing="3",
        width="100%",
    )


def requests_page() -> rx.Component:
    return shell(
        rx.vstack(
            rx.heading(t("requests.title"), size="7", as_="h1"),
            rx.text(t("requests.intro"), color_scheme="gray"),
            spacing="2",
            margin_block_end="1.5rem",
        ),
        error_callout(R.error),
        rx.cond(
            R.loaded,
            rx.vstack(
                rx.cond(R.is_seller | R.moderating, board()),
                post_form(),
                rx.heading(t("requests.mine"), size="5", as_="h2"),
                rx.cond(
                    R.mine.length() > 0,
                    rx.vstack(rx.foreach(R.mine, lambda item: request_card(item, my_actions(item))), spacing="3", width="100%", id="my-requests"),
                    rx.text(t("requests.none_yet"), color_scheme="gray", size="2"),
                ),
                spacing="5",
                width="100%",
                max_width="48rem",
            ),
            rx.center(rx.spinner(size="3"), padding_block="3rem"),
        ),
    )


def answer_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(item["seller"], weight="bold", dir="auto"),
                level_badge(item["level"], localized(item, "level")),
                rx.spacer(),
                rx.badge(localized(item, "status"), color_scheme=item["tone"], variant="soft"),
                spacing="2",
                align="center",
                width="100%",
                wrap="wrap",
            ),
            rx.link(item["gig"], href=item["gig_href"], size="1", dir="auto"),
            rx.text(item["description"], white_space="pre-wrap", dir="auto", size="2"),
            rx.hstack(
                rx.text(localized(item, "price"), weight="bold", size="4"),
                rx.text(localized(item, "terms"), size="2"),
                spacing="3",
                align="baseline",
                wrap="wrap",
            ),
            rx.hstack(
                rx.cond(
                    item["pending"] != "",
                    rx.hstack(
                        rx.button(t("offers.accept"), on_click=R.accept(item["id"]), size="2", class_name="accept-answer"),
                        rx.button(t("offers.decline"), on_click=R.decline(item["id"]), size="2", variant="soft", color_scheme="gray"),
                        spacing="2",
                    ),
                ),
                rx.link(rx.button(rx.icon("message_circle", size=16), t("requests.chat"), size="2", variant="outline"), href=item["chat"]),
                rx.cond(item["order"] != "", rx.link(t("offers.go_to_order"), href=item["order"], size="2")),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="answer-card",
    )


def request_page() -> rx.Component:
    return shell(
        rx.link(t("requests.back"), href="/requests", size="2"),
        error_callout(R.error),
        rx.cond(
            R.loaded,
            rx.cond(
                R.missing,
                rx.text(t("request.not_found"), color_scheme="gray"),
                rx.vstack(
                    rx.heading(t("requests.your_request"), size="6", as_="h1"),
                    request_card(R.request, my_actions_on_page()),
                    rx.heading(t("requests.offers_title"), size="5", as_="h2"),
                    rx.cond(
                        R.answers.length() > 0,
                        rx.vstack(rx.foreach(R.answers, answer_card), spacing="3", width="100%", id="request-answers"),
                        rx.text(t("requests.no_offers"), color_scheme="gray", size="2"),
                    ),
                    spacing="4",
                    width="100%",
                    max_width="48rem",
                ),
            ),
            rx.center(rx.spinner(size="3"), padding_block="3rem"),
        ),
    )


def my_actions_on_page() -> rx.Component:
    return rx.cond(R.request["open"] != "", rx.button(t("requests.close"), on_click=R.close(R.request["id"]), size="2", variant="ghost", color_scheme="gray", class_name="close-request"))
