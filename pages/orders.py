"""The order page /orders/<n> and the lists /orders (طلباتي) and /seller/orders.

The order page shows, for its buyer or seller: the header (gig, package, status, the parties,
the countdown to the due time), what the viewer can do now (only the moves the state lists, and
on a completed order the buyer's «أضف إكرامية» card), the reviews once the order is completed
(``pages.reviews``), the requirements, the deliveries with their files, the money and the
timeline. Notes and messages are plain text (``white-space: pre-line``), never Markdown or HTML.
"""

from __future__ import annotations

import reflex as rx

from app.core.i18n import translate
from app.core.money import Money, format_money
from app.orders.policy import POLICY

from pages.catalog import localized, pager
from pages.checkout import method_option, named_card_option, order_page, price_table, tax_note
from pages.components.files import file_link
from pages.components.forms import error_callout, field, refund_choice
from pages.components.i18n import pick, t
from pages.components.layout import shell
from pages.messages import order_thread
from pages.reviews import order_review_section
from pages.seller import needs_seller_notice
from state.orders import MAX_UPLOADS, STATUS_COLORS, OrderListState, files_limit_mb
from state.order_reviews import OrderReviewState
from state.orders import OrderState as S

UPLOAD_ID = "order-files"
PLAIN = {"white_space": "pre-line", "overflow_wrap": "anywhere", "line_height": "1.8"}


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(value, rx.badge(label, color_scheme=color, variant="soft", radius="full", size="2")) for value, color in STATUS_COLORS.items()],
        rx.badge(label, color_scheme="gray", variant="soft", radius="full", size="2"),
    )


def late_badge() -> rx.Component:
    return rx.badge(rx.icon("clock_alert", size=12), t("orders.late"), color_scheme="red", variant="solid", radius="full", class_name="late-badge")


def can(action: str) -> rx.Var:
    return S.actions.contains(action)


# -- forms ---------------------------------------------------------------------------------------


def action_form(action: str, button_key: str, *, note_key: str | None = None, note_required: bool = True, refund: bool = False, **button) -> rx.Component:
    """One move as a small form: the action's name, an optional note, where a refund goes (for the
    buyer of an order paid by card), and its button."""
    parts: list[rx.Component] = [rx.el.input(type="hidden", name="action", value=action)]
    if refund:
        parts.append(rx.cond(S.role == "buyer", refund_choice(S.refund_card, id_prefix=f"refund-to-{action.replace('_', '-')}")))
    if note_key is not None:
        control = f"note-{action}"
        parts.append(
            rx.vstack(
                rx.el.label(t(note_key), html_for=control, style={"font_weight": "500"}),
                rx.text_area(id=control, name="note", required=note_required, max_length=2000, rows="3", width="100%", dir="auto"),
                spacing="1",
                width="100%",
                align="stretch",
            )
        )
    parts.append(rx.button(t(button_key), type="submit", **{"size": "2", **button}))
    return rx.form(rx.vstack(*parts, spacing="2", align="start", width="100%"), on_submit=S.act, reset_on_submit=True, width="100%")


def folded(summary_key: str, *content: rx.Component, element_id: str) -> rx.Component:
    """A less common move behind a disclosure, so the page leads with the usual ones."""
    return rx.el.details(
        rx.el.summary(t(summary_key), style={"cursor": "pointer", "font_weight": "500", "padding_block": "0.25rem"}),
        rx.box(*content, padding_block_start="0.5rem"),
        id=element_id,
        width="100%",
    )


def dropzone(hint_key: str) -> rx.Component:
    return rx.upload.root(
        rx.vstack(
            rx.icon("upload", size=24, color=rx.color("teal", 10), aria_hidden="true"),
            rx.text(t("orders.pick_files"), weight="medium"),
            rx.text(t(hint_key), " ", pick(*(translate("orders.files_limit", lang, mb=files_limit_mb()) for lang in ("ar", "en"))), size="1", color_scheme="gray", text_align="center"),
            spacing="1",
            align="center",
        ),
        id=UPLOAD_ID,
        multiple=True,
        max_files=MAX_UPLOADS,
        max_size=files_limit_mb() * 1024 * 1024,
        on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        on_drop_rejected=S.files_refused,
        border=f"2px dashed {rx.color('teal', 7)}",
        border_radius="var(--radius-3)",
        padding="1rem",
        width="100%",
        cursor="pointer",
        class_name="order-dropzone",
    )


def question_field(q: rx.Var, index: rx.Var) -> rx.Component:
    name = "answer_" + q["position"].to(str)
    control = "answer-" + q["position"].to(str)
    label = rx.el.label(
        q["question"],
        rx.cond(q["required"] == "", rx.text.span(" ", t("orders.optional"), color=rx.color("gray", 10))),
        html_for=control,
        style={"font_weight": "500", "white_space": "pre-line"},
        dir="auto",
    )
    control_for_kind = rx.match(
        q["kind"],
        ("choice", rx.radio_group(S.choices[index], name=name, direction="row", spacing="3", id=control, required=q["required"] != "")),
        (
            "file",
            rx.cond(
                S.my_files.length() > 0,
                rx.el.select(
                    rx.foreach(S.my_files, lambda f, i: rx.el.option(f["name"], value=i.to(str))),
                    name=name,
                    id=control,
                    style={"padding": "0.4rem", "border_radius": "var(--radius-2)", "max_inline_size": "100%"},
                ),
                rx.text(t("orders.upload_first"), size="2", color_scheme="gray"),
            ),
        ),
        rx.text_area(id=control, name=name, rows="4", width="100%", dir="auto", max_length=5000, required=q["required"] != ""),
    )
    return rx.vstack(label, control_for_kind, spacing="1", width="100%", align="stretch")


def requirements_form() -> rx.Component:
    return rx.vstack(
        rx.text(t("orders.requirements_hint"), size="2", color_scheme="gray"),
        rx.cond(
            S.has_file_question,
            rx.vstack(
                dropzone("orders.requirement_files_hint"),
                rx.foreach(S.my_files, lambda f: rx.text(rx.icon("paperclip", size=12), " ", f["name"], size="2", dir="auto")),
                spacing="2",
                width="100%",
            ),
        ),
        rx.form(
            rx.vstack(
                rx.foreach(S.questions, question_field),
                rx.button(t("orders.send_requirements"), type="submit", size="3", id="send-requirements"),
                spacing="4",
                align="stretch",
                width="100%",
            ),
            on_submit=S.submit_requirements,
            width="100%",
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )


def deliver_form() -> rx.Component:
    pending = rx.vstack(
        rx.text(t("orders.files_to_deliver"), size="2", weight="medium"),
        rx.foreach(
            S.my_files,
            lambda f, i: rx.el.label(
                rx.hstack(
                    rx.checkbox(name="file_" + i.to(str), default_checked=True),
                    rx.text(f["name"], dir="auto"),
                    rx.text(f["size"], size="1", color_scheme="gray", dir="ltr"),
                    spacing="2",
                    align="center",
                ),
            ),
        ),
        spacing="1",
        width="100%",
    )
    return rx.vstack(
        dropzone("orders.delivery_files_hint"),
        rx.form(
            rx.vstack(
                rx.cond(S.my_files.length() > 0, pending),
                rx.el.label(t("orders.delivery_message"), html_for="delivery-message", style={"font_weight": "500"}),
                rx.text_area(id="delivery-message", name="message", required=True, rows="5", width="100%", dir="auto", max_length=5000),
                rx.button(rx.icon("send", size=16), t("orders.deliver"), type="submit", size="3", id="deliver"),
                spacing="2",
                align="stretch",
                width="100%",
            ),
            on_submit=S.deliver,
            reset_on_submit=True,
            width="100%",
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )


# -- sections ------------------------------------------------------------------------------------


def section(title_key: str, *content: rx.Component, element_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(t(title_key), size="4", as_="h2"), *content, spacing="3", align="stretch", width="100%"),
        size="2",
        width="100%",
        id=element_id,
    )


def order_header() -> rx.Component:
    def meta(label_key: str, value: rx.Var | rx.Component) -> rx.Component:
        return rx.hstack(
            rx.text(t(label_key), size="2", color_scheme="gray"),
            rx.text(value, size="2", weight="medium", dir="auto"),
            spacing="1",
            align="center",
        )

    # the seller reaches the buyer's public page (their reviews from sellers) from here
    buyer = rx.cond(
        OrderReviewState.buyer_href != "",
        rx.link(S.buyer_name, href=OrderReviewState.buyer_href, id="order-buyer-link"),
        S.buyer_name,
    )

    return rx.card(
        rx.vstack(
            rx.hstack(
                status_badge(S.status, pick(S.status_ar, S.status_en)),
                rx.cond(S.late, late_badge()),
                rx.text(t("orders.order"), " ", S.number, size="2", color_scheme="gray"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.link(rx.heading(S.gig_title, size="6", as_="h1", style={"line_height": "1.5"}, dir="auto"), href=S.gig_href, underline="hover"),
            rx.flex(
                meta("checkout.package", pick(S.package_ar, S.package_en)),
                meta("checkout.quantity", S.quantity.to_string()),
                meta("orders.buyer", buyer),
                meta("orders.seller", S.seller_name),
                meta("orders.placed", pick(S.placed_ar, S.placed_en)),
                spacing="4",
                wrap="wrap",
                row_gap="0.5rem",
            ),
            rx.cond(
                S.left_ar != "",
                rx.callout(
                    rx.text(
                        rx.cond(S.status == "delivered", t("orders.auto_completes"), t("orders.due")),
                        " ",
                        pick(S.due_ar, S.due_en),
                        " — ",
                        rx.text.strong(pick(S.left_ar, S.left_en)),
                    ),
                    icon=rx.cond(S.late, "clock_alert", "clock"),
                    color_scheme=rx.cond(S.late, "red", "blue"),
                    size="1",
                    width="100%",
                    id="order-countdown",
                ),
            ),
            spacing="3",
            align="stretch",
        ),
        size="3",
        width="100%",
    )


def next_steps() -> rx.Component:
    """What the viewer can do now, by role and the moves the state lists; empty when nothing."""
    buyer, seller = S.role == "buyer", S.role == "seller"
    return rx.vstack(
        rx.cond(
            can("pay"),
            rx.callout(
                rx.vstack(
                    rx.text(t("orders.awaiting_payment")),
                    rx.hstack(
                        rx.link(rx.button(t("checkout.pay")), href=S.checkout_href, id="order-pay"),
                        action_form("abandon", "checkout.abandon", variant="ghost", color_scheme="gray"),
                        spacing="3",
                        align="center",
                    ),
                    spacing="2",
                ),
                icon="credit_card",
                width="100%",
            ),
        ),
        rx.cond(
            seller & (S.status == "awaiting_requirements"),
            rx.callout(t("orders.waiting_requirements"), icon="hourglass", color_scheme="amber", width="100%"),
        ),
        rx.cond(
            buyer & (S.status == "in_progress"),
            rx.callout(t("orders.seller_working"), icon="hourglass", color_scheme="blue", width="100%"),
        ),
        rx.cond(
            seller & (S.status == "delivered"),
            rx.callout(t("orders.waiting_acceptance"), icon="hourglass", color_scheme="teal", width="100%"),
        ),
        pending_cancellation(),
        rx.cond(can("deliver"), section("orders.deliver_title", deliver_form(), element_id="deliver-section")),
        rx.cond(
            can("accept") | (buyer & (S.status == "delivered")),
            section(
                "orders.review_delivery",
                rx.text(t("orders.review_hint"), size="2", color_scheme="gray"),
                rx.cond(can("accept"), action_form("accept", "orders.accept", size="3", color_scheme="green")),
                rx.text(pick(S.revisions_ar, S.revisions_en), size="2", id="revisions-left"),
                rx.cond(
                    can("request_revision"),
                    action_form("request_revision", "orders.request_revision", note_key="orders.revision_note", variant="soft"),
                ),
                element_id="review-section",
            ),
        ),
        tip_section(),
        error_callout(S.error),
        spacing="3",
        width="100%",
        align="stretch",
    )


def tip_form() -> rx.Component:
    """The buyer's tip: a preset amount or a typed one, paid from the wallet or by card."""

    def amount(minor: int, lang: str) -> str:
        return format_money(Money(minor), lang)

    presets = [
        rx.radio_cards.item(pick(amount(minor, "ar"), amount(minor, "en")), value=f"{minor // 100}.{minor % 100:02d}", class_name="tip-preset")
        for minor in POLICY.tip_presets_minor
    ]
    bounds = (POLICY.tip_min_minor, POLICY.tip_max_minor)
    hint = pick(*(translate("orders.tip_custom_hint", lang, min=amount(bounds[0], lang), max=amount(bounds[1], lang)) for lang in ("ar", "en")))
    wallet = rx.text(t("checkout.wallet_balance"), " ", pick(S.tip_wallet_ar, S.tip_wallet_en), size="2", color_scheme="gray")
    return rx.form(
        rx.vstack(
            rx.text(t("orders.tip_hint"), size="2", color_scheme="gray"),
            rx.text(t("orders.tip_amount"), weight="medium", id="tip-amount-label"),
            rx.radio_cards.root(*presets, name="amount", columns="3", gap="2", width="100%", aria_labelledby="tip-amount-label"),
            field("orders.tip_custom", "custom", control_id="tip-custom", input_mode="decimal", max_length=20, placeholder=hint),
            rx.text(t("orders.tip_method"), weight="medium", id="tip-method-label"),
            rx.radio_cards.root(
                method_option("wallet", t("checkout.method_wallet"), wallet),
                rx.cond(S.card_enabled, named_card_option(S)),
                name="method",
                default_value=S.tip_method,
                columns=rx.breakpoints(initial="1", sm="2"),
                gap="2",
                width="100%",
                aria_labelledby="tip-method-label",
            ),
            rx.button(rx.icon("heart", size=16), t("orders.tip_send"), type="submit", size="3", id="send-tip"),
            spacing="3",
            align="stretch",
            width="100%",
        ),
        on_submit=S.give_tip,
        width="100%",
    )


def tip_section() -> rx.Component:
    """After completion: the sentence about a paid tip, or the buyer's card to give one."""
    return rx.fragment(
        rx.cond(
            S.tip_note_ar != "",
            rx.callout(pick(S.tip_note_ar, S.tip_note_en), icon="heart", color_scheme="green", width="100%", id="tip-note"),
        ),
        rx.cond(S.tip_open, section("orders.tip_title", tip_form(), element_id="tip-section")),
    )


def pending_cancellation() -> rx.Component:
    """A cancellation request waiting for an answer: the other party's (accept, or dispute
    below), or the viewer's own (withdraw)."""
    return rx.fragment(
        rx.cond(
            S.cancel_request == "theirs",
            rx.callout(
                rx.vstack(
                    rx.text(t("orders.cancel_asked")),
                    rx.text(S.cancel_reason, style=PLAIN, dir="auto", size="2"),
                    spacing="1",
                ),
                icon="circle_alert",
                color_scheme="amber",
                width="100%",
            ),
        ),
        rx.cond(can("accept_cancellation"), action_form("accept_cancellation", "orders.accept_cancellation", refund=True, color_scheme="amber")),
        rx.cond(
            S.cancel_request == "mine",
            rx.callout(t("orders.cancel_pending"), icon="hourglass", color_scheme="gray", width="100%"),
        ),
        rx.cond(can("withdraw_cancellation"), action_form("withdraw_cancellation", "orders.withdraw_cancellation", variant="soft")),
    )


def other_moves() -> rx.Component:
    """Cancelling and disputes, folded below the work: they are the exception."""
    return rx.vstack(
        rx.cond(
            can("cancel_late"),
            folded("orders.cancel_late", action_form("cancel_late", "orders.cancel_late", note_key="orders.reason_optional", note_required=False, refund=True, color_scheme="red"), element_id="fold-cancel-late"),
        ),
        rx.cond(
            can("request_cancellation"),
            folded("orders.request_cancellation", action_form("request_cancellation", "orders.send_cancellation", note_key="orders.reason", color_scheme="red", variant="soft"), element_id="fold-cancel"),
        ),
        rx.cond(
            can("dispute"),
            folded("orders.dispute", action_form("dispute", "orders.open_dispute", note_key="orders.dispute_reason", color_scheme="red", variant="soft"), element_id="fold-dispute"),
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )


def requirements() -> rx.Component:
    def answer(q: rx.Var) -> rx.Component:
        return rx.vstack(
            rx.text(q["question"], weight="medium", size="2", dir="auto", style=PLAIN),
            rx.cond(
                q["kind"] == "file",
                rx.cond(q["file_href"] != "", file_link({"name": q["file_name"], "size": q["file_size"], "href": q["file_href"]}), rx.text("—")),
                rx.text(rx.cond(q["answer"] != "", q["answer"], "—"), size="2", dir="auto", style=PLAIN, color=rx.color("gray", 11)),
            ),
            spacing="1",
            width="100%",
            class_name="requirement-answer",
        )

    return rx.cond(
        S.questions.length() > 0,
        section(
            "orders.requirements",
            rx.cond(
                S.actions.contains("submit_requirements"),
                requirements_form(),
                rx.cond(
                    S.status == "awaiting_requirements",
                    rx.text(t("orders.requirements_not_yet"), size="2", color_scheme="gray"),
                    rx.vstack(rx.foreach(S.questions, answer), spacing="3", width="100%"),
                ),
            ),
            element_id="requirements",
        ),
    )


def deliveries() -> rx.Component:
    def one(delivery: rx.Var, index: rx.Var) -> rx.Component:
        return rx.box(
            rx.hstack(
                rx.text(t("orders.delivery_number"), " ", delivery["number"], weight="bold"),
                rx.text(localized(delivery, "when"), size="1", color_scheme="gray"),
                spacing="2",
                align="baseline",
                wrap="wrap",
            ),
            rx.text(delivery["message"], size="2", dir="auto", style=PLAIN, margin_block="0.5rem"),
            rx.vstack(rx.foreach(S.delivery_files[index], file_link), spacing="1"),
            padding="0.75rem",
            border_radius="var(--radius-3)",
            background_color=rx.color("gray", 2),
            width="100%",
            class_name="order-delivery",
        )

    return rx.cond(
        S.deliveries.length() > 0,
        section("orders.deliveries", rx.vstack(rx.foreach(S.deliveries, one), spacing="3", width="100%"), element_id="deliveries"),
    )


def timeline(events: rx.Var = S.timeline) -> rx.Component:
    """The order's events (``state.orders.timeline_view`` dicts), oldest first."""

    def one(event: rx.Var) -> rx.Component:
        return rx.el.li(
            rx.text(localized(event, "what"), weight="medium", size="2"),
            rx.text(localized(event, "who"), " · ", localized(event, "when"), size="1", color_scheme="gray"),
            rx.cond(event["note"] != "", rx.text(event["note"], size="2", dir="auto", style=PLAIN, margin_block_start="0.25rem")),
            class_name="timeline-item",
        )

    return section("orders.timeline", rx.el.ol(rx.foreach(events, one), class_name="order-timeline"), element_id="timeline")


def side() -> rx.Component:
    from pages.invoices import order_invoices  # pages.invoices builds on this module's section()

    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.heading(t("orders.money"), size="4", as_="h2"),
                price_table(S.lines),
                tax_note(S),
                rx.cond(
                    (S.role == "seller") & (S.extras.length() > 0),
                    rx.vstack(
                        rx.text(t("gig.extras"), size="2", weight="medium"),
                        rx.foreach(S.extras, lambda title: rx.text("+ ", title, size="2", dir="auto")),
                        spacing="1",
                    ),
                ),
                rx.text(t("gig.delivery"), ": ", pick(S.days_ar, S.days_en), size="2", color_scheme="gray"),
                spacing="3",
                align="stretch",
            ),
            size="2",
            width="100%",
            id="order-money",
        ),
        order_invoices(),
        timeline(),
        spacing="4",
        width="100%",
    )


def order_body() -> rx.Component:
    return rx.vstack(
        order_header(),
        rx.box(
            rx.vstack(next_steps(), order_review_section(), requirements(), deliveries(), order_thread(), other_moves(), spacing="4", width="100%", min_width="0"),
            side(),
            class_name="order-layout",
        ),
        spacing="4",
        width="100%",
        align="stretch",
    )


def order() -> rx.Component:
    return order_page(S, order_body())


# -- the lists -----------------------------------------------------------------------------------


def tabs() -> rx.Component:
    L = OrderListState

    def one(tab: rx.Var) -> rx.Component:
        current = tab["key"] == L.tab
        return rx.link(
            rx.hstack(
                rx.text(localized(tab, "label"), size="2"),
                rx.badge(tab["count"], variant=rx.cond(current, "solid", "soft"), radius="full", size="1"),
                spacing="1",
                align="center",
            ),
            href=tab["href"],
            underline="none",
            aria_current=rx.cond(current, "page", "false"),
            padding_inline="0.75rem",
            padding_block="0.4rem",
            border_radius="999px",
            background_color=rx.cond(current, rx.color("teal", 4), rx.color("gray", 3)),
            color=rx.cond(current, rx.color("teal", 12), rx.color("gray", 12)),
            style={"white_space": "nowrap"},
            class_name="order-tab",
        )

    return rx.el.nav(rx.flex(rx.foreach(L.tabs, one), spacing="2", wrap="wrap"), aria_label=t("orders.tabs"))


def order_row(row: rx.Var) -> rx.Component:
    other_key = rx.cond(OrderListState.selling, t("orders.buyer"), t("orders.seller"))
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    status_badge(row["status"], localized(row, "status")),
                    rx.cond(row["late"] != "", late_badge()),
                    rx.text(row["number"], size="1", color_scheme="gray"),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.link(rx.text(row["title"], weight="bold", size="3", dir="auto"), href=row["href"], underline="hover"),
                rx.text(other_key, " ", row["other"], size="2", color_scheme="gray", dir="auto"),
                spacing="2",
                align="start",
                flex="1 1 16rem",
                min_width="0",
            ),
            rx.vstack(
                rx.text(localized(row, "total"), weight="bold", color=rx.color("teal", 11)),
                rx.text(localized(row, "when"), size="1", color_scheme="gray"),
                spacing="1",
                align="end",
            ),
            spacing="3",
            wrap="wrap",
            justify="between",
            align="center",
        ),
        width="100%",
        class_name="order-row",
    )


def order_list() -> rx.Component:
    L = OrderListState
    return shell(
        rx.cond(
            L.loaded,
            rx.vstack(
                rx.heading(rx.cond(L.selling, t("orders.incoming_title"), t("orders.my_orders")), size="6", as_="h1"),
                rx.cond(
                    L.needs_seller,
                    needs_seller_notice("orders.needs_seller"),
                    rx.vstack(
                        tabs(),
                        rx.cond(
                            L.rows.length() > 0,
                            rx.vstack(rx.foreach(L.rows, order_row), spacing="3", width="100%"),
                            rx.card(rx.text(t("orders.empty"), color_scheme="gray"), width="100%", id="no-orders"),
                        ),
                        pager(L),
                        spacing="4",
                        width="100%",
                    ),
                ),
                spacing="4",
                width="100%",
                max_width="56rem",
                margin_inline="auto",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
