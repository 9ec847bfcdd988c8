"""/admin/verifications: sellers' pending identity verifications, oldest first. An admin opens
the document (a private download) or looks the freelance number up on freelance.sa, then
approves or rejects with a reason the seller reads; a verification can be withdrawn later."""

from __future__ import annotations

import reflex as rx

from pages.catalog import pager
from pages.components.admin import admin_list, admin_page, decision_form
from pages.components.files import private_file_link
from pages.components.forms import error_callout, field
from pages.components.i18n import pick, t
from state.identity import PATH, VerificationsQueueState as S


def decide_form(item: rx.Var) -> rx.Component:
    return decision_form(
        item,
        hidden="request",
        text=("reason", "verifications.reason", "verification-reason-"),
        choice=("decision", (("approve", "verifications.approve"), ("reject", "verifications.reject"))),
        submit_key="verifications.decide",
        on_submit=S.decide,
        required=False,
    )


def _evidence(item: rx.Var) -> rx.Component:
    return rx.cond(
        item["method"] == "freelance",
        rx.vstack(
            rx.text(t("verifications.number"), " ", rx.code(item["number"], size="3", dir="ltr"), size="2"),
            rx.text(t("verifications.check_number"), size="1", color_scheme="gray"),
            spacing="1",
            align="start",
        ),
        rx.vstack(
            rx.hstack(rx.text(t("verifications.document"), size="2"), private_file_link(item, "identity-document"), spacing="2", wrap="wrap", align="center"),
            rx.text(t("verifications.check_document"), size="1", color_scheme="gray"),
            spacing="1",
            align="start",
        ),
    )


def request_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(pick(item["method_ar"], item["method_en"]), variant="soft", color_scheme="teal"),
                rx.text(t("verifications.sent"), " ", pick(item["when_ar"], item["when_en"]), size="1", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            rx.text(
                t("verifications.seller"), " ", rx.link(item["seller"], href=item["seller_href"]), " · ",
                rx.text.span(item["email"], dir="ltr"), size="2",
            ),
            rx.text(t("verifications.legal_name"), " ", rx.text.strong(item["legal_name"], dir="auto"), size="3"),
            _evidence(item),
            decide_form(item),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="verification-card",
    )


def withdraw_form() -> rx.Component:
    return rx.el.details(
        rx.el.summary(t("verifications.withdraw_title"), style={"cursor": "pointer", "font_weight": "500", "padding_block": "0.25rem"}),
        rx.form(
            rx.vstack(
                rx.text(t("verifications.withdraw_hint"), size="1", color_scheme="gray"),
                rx.flex(
                    field("verifications.seller_id", "seller", control_id="withdraw-seller", dir="ltr", max_length=19, required=True),
                    field("verifications.reason", "reason", control_id="withdraw-reason", max_length=500, required=True, dir="auto"),
                    spacing="3",
                    width="100%",
                    direction=rx.breakpoints(initial="column", sm="row"),
                ),
                rx.button(t("verifications.withdraw"), type="submit", size="2", color_scheme="red", variant="soft"),
                spacing="2",
                align="start",
                width="100%",
                padding_block_start="0.5rem",
            ),
            on_submit=S.withdraw,
            reset_on_submit=True,
            width="100%",
        ),
        id="withdraw-verification",
        width="100%",
    )


def verifications_queue() -> rx.Component:
    return admin_page(
        PATH,
        S,
        "verifications.title",
        error_callout(S.error),
        admin_list(S.items, request_card, "verifications.empty", "no-verifications"),
        pager(S),
        rx.card(withdraw_form(), width="100%"),
    )
