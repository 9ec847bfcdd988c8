"""Reviews on the pages: the rating summary, a review, the list with «عرض المزيد», the star
picker, and the order page's review section (the form, the blind wait, both reviews, the reply).

Review text is plain text (``white-space: pre-line``), never Markdown or HTML: Reflex renders it
escaped. The pages that list reviews hold a ``state.reviews.ReviewsList``.
"""

from __future__ import annotations

import reflex as rx

from pages.catalog import localized
from pages.components.forms import error_callout, text_area
from pages.components.i18n import pick, t
from pages.components.report import report_button
from state.order_reviews import OrderReviewState as R
from state.reviews import STARS, SUB_RATINGS

PLAIN_TEXT = {"white_space": "pre-line", "overflow_wrap": "anywhere", "line_height": "1.8"}
AMBER = rx.color("amber", 9)


def _star_text(n: int) -> rx.Var:
    return pick(STARS.text(n, "ar"), STARS.text(n, "en"))


def star_row(value: rx.Var, label: rx.Var, *, size: int = 14) -> rx.Component:
    """Five stars, filled up to ``value`` (a whole or an average, rounded), read aloud as ``label``."""
    number = value.to(float)
    return rx.hstack(
        *[
            rx.icon(
                "star",
                size=size,
                color=rx.cond(number >= n - 0.5, AMBER, rx.color("gray", 8)),
                fill=rx.cond(number >= n - 0.5, AMBER, "none"),
                aria_hidden="true",
            )
            for n in range(1, 6)
        ],
        spacing="0",
        align="center",
        role="img",
        aria_label=label,
        class_name="star-row",
    )


# -- lists ---------------------------------------------------------------------------------------


def _sub_rating(summary: rx.Var, name: str) -> rx.Component:
    return rx.cond(
        summary[name] != "",
        rx.hstack(
            rx.text(t(f"reviews.{name}"), size="2", min_width="7.5rem"),
            rx.box(
                rx.box(inline_size=summary[f"{name}_pct"] + "%", block_size="100%", background_color=AMBER, border_radius="999px"),
                flex="1",
                min_width="4rem",
                block_size="0.5rem",
                background_color=rx.color("gray", 4),
                border_radius="999px",
                overflow="hidden",
                role="presentation",
            ),
            rx.text(summary[name], size="2", weight="bold", min_width="1.75rem", text_align="end"),
            spacing="3",
            align="center",
            width="100%",
        ),
    )


def rating_summary(state: type) -> rx.Component:
    """The average with its stars, how many reviews, and the sub-ratings' averages as bars."""
    summary = state.review_summary
    return rx.cond(
        summary["count"] != "0",
        rx.flex(
            rx.vstack(
                rx.text(summary["average"], size="8", weight="bold", line_height="1", id="rating-average"),
                star_row(summary["average"], localized(summary, "label"), size=18),
                rx.text(localized(summary, "count"), size="2", color_scheme="gray", id="rating-count"),
                spacing="2",
                align="center",
                min_width="8rem",
            ),
            rx.cond(summary["communication"] != "", rx.box(*[_sub_rating(summary, name) for name in SUB_RATINGS], class_name="rating-bars")),
            spacing="5",
            align="center",
            wrap="wrap",
            width="100%",
            class_name="rating-summary",
        ),
        rx.text(t("reviews.none"), color_scheme="gray", id="no-reviews"),
    )


def review_item(item: rx.Var, *, show_gig: bool = False) -> rx.Component:
    """One review: who, when, the stars, the text and the seller's reply."""
    return rx.box(
        rx.flex(
            rx.link(item["author"], href=item["author_href"], weight="bold", size="2", dir="auto", class_name="review-author"),
            star_row(item["overall"], localized(item, "stars")),
            rx.text(localized(item, "date"), size="1", color_scheme="gray"),
            report_button("review", item["key"]),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        *(
            [rx.text(t("reviews.on_gig"), " ", rx.link(item["gig_title"], href=item["gig_href"], dir="auto"), size="1", color_scheme="gray")]
            if show_gig
            else []
        ),
        rx.cond(item["text"] != "", rx.text(item["text"], size="2", dir="auto", style=PLAIN_TEXT, class_name="review-text")),
        rx.cond(
            item["reply"] != "",
            rx.box(
                rx.text(t("reviews.seller_reply"), " · ", localized(item, "reply_date"), size="1", weight="medium", color_scheme="gray"),
                rx.text(item["reply"], size="2", dir="auto", style=PLAIN_TEXT),
                class_name="review-reply",
            ),
        ),
        class_name="review-item",
    )


def review_list(state: type, *, heading_key: str, show_gig: bool = False, element_id: str = "reviews") -> rx.Component:
    """A titled card: the summary, one page of reviews, and «عرض المزيد» while there are more."""
    return rx.card(
        rx.vstack(
            rx.heading(t(heading_key), size="5", as_="h2"),
            rating_summary(state),
            rx.cond(
                state.reviews.length() > 0,
                rx.box(rx.foreach(state.reviews, lambda item: review_item(item, show_gig=show_gig)), width="100%", class_name="review-list"),
            ),
            rx.cond(
                state.reviews_more,
                rx.button(t("reviews.more"), on_click=state.more_reviews, variant="soft", size="2", id="more-reviews"),
            ),
            spacing="4",
            align="stretch",
            width="100%",
        ),
        size="3",
        width="100%",
        id=element_id,
    )


# -- the order page ------------------------------------------------------------------------------


def star_picker(name: str, label_key: str) -> rx.Component:
    """A required 1-5 choice as five star radios (see ``.star-picker`` in mihan.css)."""
    parts: list[rx.Component] = []
    for n in range(5, 0, -1):
        control = f"review-{name}-{n}"
        parts.append(rx.el.input(type="radio", name=name, value=str(n), id=control, required=True))
        parts.append(
            rx.el.label(
                rx.icon("star", size=28, aria_hidden="true"),
                rx.el.span(_star_text(n), class_name="visually-hidden"),
                html_for=control,
                title=_star_text(n),
            )
        )
    return rx.el.fieldset(rx.el.legend(t(label_key)), rx.el.div(*parts, class_name="star-picker"), class_name="star-field", id=f"stars-{name}")


def review_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.callout(t("reviews.blind_rule"), icon="eye_off", color_scheme="blue", size="1", width="100%", id="blind-rule"),
            rx.text(pick(R.note_ar, R.note_en), size="2", color_scheme="gray", id="review-note"),
            star_picker("overall", "reviews.overall"),
            rx.cond(
                R.side == "buyer",
                rx.flex(*[star_picker(name, f"reviews.{name}") for name in SUB_RATINGS], spacing="4", wrap="wrap"),
            ),
            text_area("reviews.text", "text", control_id="review-text", rows="4", max_length=1500, dir="auto"),
            rx.text(t("reviews.text_hint"), size="1", color_scheme="gray"),
            rx.button(rx.icon("send", size=16), t("reviews.submit"), type="submit", size="3", id="send-review"),
            spacing="3",
            align="stretch",
            width="100%",
        ),
        on_submit=R.submit_review,
        width="100%",
    )


def reply_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_area("reviews.reply", "reply", control_id="review-reply", rows="3", max_length=1000, required=True, dir="auto"),
            rx.text(t("reviews.reply_hint"), size="1", color_scheme="gray"),
            rx.button(t("reviews.reply_submit"), type="submit", size="2", variant="soft", id="submit-reply"),
            spacing="2",
            align="start",
            width="100%",
        ),
        on_submit=R.reply,
        reset_on_submit=True,
        width="100%",
    )


def _titled(title: rx.Var, item: rx.Var, *extra: rx.Component, element_id: str) -> rx.Component:
    return rx.box(
        rx.hstack(rx.text(title, weight="bold", size="2"), *extra, spacing="2", align="center", wrap="wrap"),
        review_item(item),
        width="100%",
        id=element_id,
    )


def order_review_section() -> rx.Component:
    """The order page's «التقييم»: shown to the parties of a completed order only."""
    note = pick(R.note_ar, R.note_en)
    return rx.cond(
        R.side != "",
        rx.card(
            rx.vstack(
                rx.heading(
                    rx.cond(R.stage == "open", rx.cond(R.side == "buyer", t("reviews.form_buyer"), t("reviews.form_seller")), t("reviews.section")),
                    size="4",
                    as_="h2",
                ),
                rx.match(
                    R.stage,
                    ("open", review_form()),
                    ("waiting", rx.callout(note, icon="hourglass", color_scheme="amber", width="100%", id="review-waiting")),
                    ("closed", rx.text(note, size="2", color_scheme="gray", id="review-closed")),
                    rx.fragment(),
                ),
                rx.cond(
                    R.has_mine,
                    _titled(
                        t("reviews.mine"),
                        R.mine,
                        rx.cond(R.mine["hidden"] != "", rx.badge(rx.icon("eye_off", size=12), t("reviews.hidden"), color_scheme="gray", variant="soft")),
                        element_id="my-review",
                    ),
                ),
                rx.cond(
                    R.has_theirs,
                    _titled(rx.cond(R.side == "seller", t("reviews.theirs_buyer"), t("reviews.theirs_seller")), R.theirs, element_id="their-review"),
                ),
                rx.cond(R.mine_removed, rx.callout(t("reviews.removed_mine"), icon="shield_x", color_scheme="gray", size="1", width="100%", id="my-review-removed")),
                rx.cond(R.theirs_removed, rx.callout(t("reviews.removed_theirs"), icon="shield_x", color_scheme="gray", size="1", width="100%", id="their-review-removed")),
                rx.cond(R.can_reply, reply_form()),
                error_callout(R.error),
                spacing="3",
                align="stretch",
                width="100%",
            ),
            size="2",
            width="100%",
            id="order-review",
        ),
    )
