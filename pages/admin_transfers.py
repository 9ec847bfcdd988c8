"""/admin/transfers: pending bank transfers, oldest first, each with its order, buyer, amount,
reference, receipt and the time left; an admin confirms the money arrived or rejects it."""

from __future__ import annotations

import reflex as rx

from pages.catalog import pager
from pages.components.admin import admin_list, admin_page, decision_form
from pages.components.files import private_file_link
from pages.components.forms import error_callout
from pages.components.i18n import pick, t
from state.transfers import PATH, TransfersQueueState as S


def transfer_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.code(item["key"], size="4", dir="ltr", weight="bold"),
                rx.text(pick(item["amount_ar"], item["amount_en"]), size="4", weight="bold", color=rx.color("teal", 11)),
                rx.badge(pick(item["left_ar"], item["left_en"]), color_scheme=rx.cond(item["late"] != "", "red", "amber"), variant="soft"),
                spacing="3",
                wrap="wrap",
                align="center",
            ),
            rx.text(
                t("transfers.order"), " ", rx.link(item["order"], href=item["order_href"]), " · ",
                rx.text.span(item["title"], dir="auto"), size="2",
            ),
            rx.text(t("transfers.buyer"), " ", item["buyer"], " · ", rx.text.span(item["email"], dir="ltr"), size="2"),
            rx.text(t("transfers.asked"), " ", pick(item["asked_ar"], item["asked_en"]), size="1", color_scheme="gray"),
            rx.hstack(
                rx.text(t("transfer.receipt"), size="2"),
                rx.cond(item["href"] != "", private_file_link(item, "transfer-receipt-file"), rx.text(t("transfer.no_receipt"), size="2", color_scheme="gray")),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            decision_form(
                item,
                hidden="transfer",
                text=("note", "transfers.note", "transfer-note-"),
                choice=("decision", (("confirm", "transfers.confirm"), ("reject", "transfers.reject"))),
                submit_key="transfers.decide",
                on_submit=S.decide,
                required=False,
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="transfer-card",
    )


def transfers_queue() -> rx.Component:
    return admin_page(
        PATH,
        S,
        "transfers.title",
        rx.text(t("transfers.hint"), size="2", color_scheme="gray"),
        error_callout(S.error),
        admin_list(S.items, transfer_card, "transfers.empty", "no-transfers"),
        pager(S),
    )
