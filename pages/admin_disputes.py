"""/admin/disputes: disputed orders, the longest waiting first; the opened dispute shows the
reason, the money at stake and the order's timeline, and the decision form: release to the
seller, full refund, partial refund (an amount in SAR) or cancel, each with a required note; a
refund of an order paid by card goes «إلى البطاقة» (preselected) or «إلى المحفظة»."""

from __future__ import annotations

import reflex as rx

from pages.admin_payouts import detail
from pages.catalog import localized, pager
from pages.checkout import price_table
from pages.components.admin import admin_list, admin_page
from pages.components.forms import choice_cards, error_callout, field, refund_choice, text_area
from pages.components.i18n import t
from pages.orders import timeline
from state.disputes import PATH, DisputesState as D

DECISIONS = (
    ("release", "disputes.decide_release", "disputes.decide_release_hint"),
    ("refund_full", "disputes.decide_refund_full", "disputes.decide_refund_full_hint"),
    ("refund_part", "disputes.decide_refund_part", "disputes.decide_refund_part_hint"),
    ("cancel", "disputes.decide_cancel", "disputes.decide_cancel_hint"),
)


def dispute_card(item: rx.Var) -> rx.Component:
    here = D.selected == item["order"]
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.link(rx.text(t("disputes.order"), " #", item["order"], " — ", item["title"], weight="bold", size="3", dir="auto"), href=item["href"], underline="hover"),
                rx.text(localized(item, "total"), size="3", weight="bold"),
                justify="between",
                align="center",
                wrap="wrap",
                spacing="2",
                width="100%",
            ),
            rx.flex(
                rx.text(t("disputes.buyer"), " ", item["buyer"], size="2", color_scheme="gray"),
                rx.text(t("disputes.seller"), " ", item["seller"], size="2", color_scheme="gray"),
                rx.text(localized(item, "when"), size="2", color_scheme="gray"),
                spacing="3",
                wrap="wrap",
            ),
            rx.text(rx.text.strong(localized(item, "opened")), " ", item["reason"], size="2", dir="auto", style={"overflow_wrap": "anywhere"}),
            rx.cond(~here, rx.link(rx.button(t("disputes.open"), variant="soft", size="2"), href=item["href"])),
            spacing="2",
            width="100%",
            align="start",
        ),
        width="100%",
        variant=rx.cond(here, "classic", "surface"),
        class_name="dispute-item",
    )


def decision_form() -> rx.Component:
    return rx.form(
        rx.el.input(type="hidden", name="order", value=D.file["order"]),
        rx.vstack(
            choice_cards("decision", "disputes.decision", DECISIONS),
            refund_choice(D.file["paid_by_card"] != "", id_prefix="refund-to"),
            field("disputes.amount", "amount", control_id="refund-amount", hint="disputes.amount_hint", input_mode="decimal", dir="ltr", text_align="end", max_length=20),
            rx.text(t("disputes.max_partial"), " ", localized(D.file, "max_partial"), " · ", t("disputes.full_refund"), " ", localized(D.file, "full"), size="1", color_scheme="gray"),
            rx.cond(D.file["vat_hint_ar"] != "", rx.text(localized(D.file, "vat_hint"), size="1", color_scheme="amber", id="deemed-vat-hint")),
            text_area("disputes.note", "note", control_id="resolve-note", required=True, max_length=2000, rows="3", dir="auto"),
            rx.button(rx.icon("gavel", size=16), t("disputes.resolve"), type="submit", size="3", id="resolve-submit"),
            spacing="3",
            width="100%",
            align="stretch",
        ),
        on_submit=D.resolve,
        width="100%",
        id="resolve-form",
    )


def dispute_file() -> rx.Component:
    return rx.grid(
        rx.card(
            rx.vstack(
                rx.heading(t("disputes.order"), " #", D.file["order"], " — ", D.file["title"], size="4", as_="h2", dir="auto"),
                detail("disputes.buyer", D.file["buyer"], dir="auto"),
                detail("disputes.seller", D.file["seller"], dir="auto"),
                detail("disputes.package", localized(D.file, "package"), dir="auto"),
                detail("disputes.status_before", localized(D.file, "before")),
                rx.callout(
                    rx.text(rx.text.strong(localized(D.file, "opened")), " ", D.file["reason"], dir="auto", white_space="pre-wrap"),
                    icon="message_square_warning",
                    color_scheme="amber",
                    width="100%",
                    id="dispute-reason",
                ),
                price_table(D.lines),
                rx.link(t("disputes.view_order"), href=D.file["order_href"], size="2"),
                rx.separator(size="4"),
                decision_form(),
                spacing="3",
                width="100%",
                align="stretch",
            ),
            width="100%",
            id="dispute-file",
        ),
        timeline(D.timeline),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="4",
        width="100%",
        align_items="start",
    )


def disputes() -> rx.Component:
    return admin_page(
        PATH,
        D,
        "disputes.title",
        rx.badge(t("disputes.count"), " ", D.total, size="2", variant="soft", color_scheme="amber", id="disputes-count"),
        error_callout(D.error),
        rx.cond(D.missing, rx.callout(t("disputes.missing"), icon="info", color_scheme="gray", width="100%", id="dispute-missing")),
        rx.cond(D.selected != "", dispute_file()),
        admin_list(D.items, dispute_card, "disputes.empty", "disputes-empty"),
        pager(D),
    )
