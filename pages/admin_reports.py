"""/admin/reports: the open reports and appeals, oldest first, with the reported text in
context; a moderator dismisses one or acts on it (suspend the gig, remove the review, warn the
person), always with a resolution the people involved read."""

from __future__ import annotations

import reflex as rx

from pages.catalog import pager
from pages.components.admin import admin_list, admin_page, decision_form
from pages.components.forms import error_callout
from pages.components.i18n import pick, t
from state.reports import PATH, ReportsQueueState as S


def decide_form(item: rx.Var) -> rx.Component:
    return decision_form(
        item,
        hidden="report",
        text=("resolution", "report.resolution", "resolution-"),
        choice=("action", (("dismissed", "report.action_dismissed"), ("actioned", "report.action_actioned"))),
        submit_key="report.decide",
        on_submit=S.decide,
        required=True,
    )


def report_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(pick(item["kind_ar"], item["kind_en"]), variant="soft"),
                rx.cond(item["appeal"] != "", rx.badge(t("report.appeal"), color_scheme="amber", variant="solid")),
                rx.badge(pick(item["reason_ar"], item["reason_en"]), color_scheme="red", variant="soft"),
                rx.cond(item["reports"] != "1", rx.badge(t("report.count"), " ", item["reports"], color_scheme="gray")),
                spacing="2",
                wrap="wrap",
            ),
            rx.link(rx.text(rx.cond(item["title"] != "", item["title"], "—"), size="3", weight="medium", dir="auto"), href=item["href"], is_external=False),
            rx.cond(item["note"] != "", rx.text(t("report.their_note"), " ", item["note"], size="2", dir="auto", style={"white_space": "pre-line"})),
            rx.text(t("report.by"), " ", item["reporter"], " · ", pick(item["when_ar"], item["when_en"]), size="1", color_scheme="gray"),
            decide_form(item),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="report-card",
    )


def reports_queue() -> rx.Component:
    return admin_page(
        PATH,
        S,
        "report.queue_title",
        error_callout(S.error),
        admin_list(S.items, report_card, "report.queue_empty", "no-reports"),
        pager(S),
    )
