"""The gig page: title, seller, description (Markdown), tags, packages side by side, extras, FAQ, reviews."""

from __future__ import annotations

import reflex as rx

from pages.catalog import level_badge, localized, stars, trust_badges
from pages.components.i18n import pick, t
from pages.components.layout import not_found_panel, shell
from pages.components.markdown import user_markdown
from pages.components.report import report_button
from pages.gig_gallery import gig_images, gig_samples
from pages.messages import contact_seller_button
from pages.reviews import review_list
from state.checkout import OrderChoiceState
from state.gig import GigState
from state.session import SessionState


def description() -> rx.Component:
    return user_markdown(GigState.description)


def breadcrumb() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.link(t("catalog.home"), href="/", size="2"),
            rx.icon("chevron_right", size=14, class_name="mirror-in-rtl", aria_hidden="true"),
            rx.link(pick(GigState.category_ar, GigState.category_en), href=GigState.category_href, size="2", id="gig-category"),
            spacing="1",
            align="center",
            wrap="wrap",
        ),
        aria_label=t("catalog.breadcrumb"),
    )


def seller_card() -> rx.Component:
    def row(icon: str, label_key: str, value: rx.Var) -> rx.Component:
        return rx.cond(
            value != "",
            rx.hstack(
                rx.icon(icon, size=15, color=rx.color("gray", 10), aria_hidden="true"),
                rx.text(t(label_key), size="2", color_scheme="gray"),
                rx.text(value, size="2", weight="medium"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        )

    return rx.card(
        rx.vstack(
            rx.heading(t("gig.seller"), size="3", as_="h2"),
            rx.hstack(
                rx.avatar(fallback=GigState.seller_name[:1], size="4", radius="full", color_scheme="teal"),
                rx.vstack(
                    rx.link(GigState.seller_name, href=GigState.seller_href, weight="bold", size="3", id="gig-seller"),
                    rx.hstack(
                        level_badge(GigState.seller_level, pick(GigState.seller_level_ar, GigState.seller_level_en)),
                        trust_badges(GigState.seller_founding, GigState.seller_verified),
                        spacing="1",
                        wrap="wrap",
                    ),
                    spacing="1",
                    align="start",
                ),
                spacing="3",
                align="center",
            ),
            row("map_pin", "gig.seller_city", GigState.seller_city),
            row("calendar", "gig.member_since", pick(GigState.seller_since_ar, GigState.seller_since_en)),
            rx.cond(GigState.seller_bio != "", rx.text(GigState.seller_bio, size="2", style={"white_space": "pre-line", "line_height": "1.8"}, dir="auto")),
            contact_seller_button(width="100%"),
            spacing="3",
            align="stretch",
        ),
        size="2",
        width="100%",
    )


def order_button(package: rx.Var) -> rx.Component:
    """«اطلب الآن» under a package: orders it with the extras and quantity picked on the page."""
    label = t("gig.order_now")
    return rx.cond(
        SessionState.signed_in,
        rx.button(label, on_click=OrderChoiceState.order_now(package["tier"]), size="2", width="100%"),
        rx.link(rx.button(label, size="2", width="100%"), href=GigState.login_href, width="100%"),
    )


def favourite_button() -> rx.Component:
    """The heart: «أضف إلى المفضلة» / «في المفضلة»; signed-out visitors are sent to log in."""
    saved = rx.button(
        rx.icon("heart", size=16, fill="currentColor", aria_hidden="true"),
        t("favourites.added"),
        on_click=GigState.toggle_favourite,
        variant="soft",
        color_scheme="red",
        size="2",
        width="100%",
        aria_pressed="true",
        id="favourite-toggle",
    )
    add = rx.button(
        rx.icon("heart", size=16, aria_hidden="true"),
        t("favourites.add"),
        on_click=GigState.toggle_favourite,
        variant="outline",
        size="2",
        width="100%",
        aria_pressed="false",
        id="favourite-toggle",
    )
    return rx.cond(
        SessionState.signed_in,
        rx.cond(GigState.favourite, saved, add),
        rx.link(
            rx.button(rx.icon("heart", size=16, aria_hidden="true"), t("favourites.add"), variant="outline", size="2", width="100%"),
            href=GigState.login_href,
            width="100%",
            id="favourite-login",
        ),
    )


def packages_table() -> rx.Component:
    def row(label_key: str, name: str, *, localized_value: bool = True) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(t(label_key), style={"white_space": "nowrap"}),
            rx.foreach(
                GigState.packages,
                lambda p: rx.table.cell(localized(p, name) if localized_value else p[name]),
            ),
        )

    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(rx.el.span(t("gig.packages"), class_name="visually-hidden")),
                    rx.foreach(
                        GigState.packages,
                        lambda p: rx.table.column_header_cell(
                            rx.vstack(
                                rx.text(localized(p, "label"), weight="bold"),
                                rx.text(p["name"], size="1", color_scheme="gray", weight="regular", dir="auto"),
                                spacing="0",
                            ),
                            min_width="9rem",
                        ),
                    ),
                )
            ),
            rx.table.body(
                rx.table.row(
                    rx.table.row_header_cell(t("gig.price")),
                    rx.foreach(GigState.packages, lambda p: rx.table.cell(rx.text(localized(p, "price"), weight="bold", color=rx.color("teal", 11)))),
                ),
                row("gig.delivery", "days"),
                row("gig.revisions", "revisions"),
                row("gig.included", "included"),
                row("gig.details", "description", localized_value=False),
                rx.table.row(
                    rx.table.cell(),
                    rx.foreach(GigState.packages, lambda p: rx.table.cell(order_button(p))),
                ),
            ),
            variant="surface",
            size="2",
            width="100%",
        ),
        class_name="packages-table",
        width="100%",
    )


def package_cards() -> rx.Component:
    """The same packages as cards, for phones (the table needs a wider screen)."""

    def line(label_key: str, value: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.text(t(label_key), size="2", color_scheme="gray"),
            rx.text(value, size="2", weight="medium"),
            justify="between",
            width="100%",
        )

    def one(p: rx.Var) -> rx.Component:
        return rx.card(
            rx.vstack(
                rx.hstack(
                    rx.vstack(
                        rx.text(localized(p, "label"), weight="bold"),
                        rx.text(p["name"], size="1", color_scheme="gray", dir="auto"),
                        spacing="0",
                    ),
                    rx.text(localized(p, "price"), weight="bold", size="4", color=rx.color("teal", 11)),
                    justify="between",
                    align="center",
                    width="100%",
                ),
                rx.separator(size="4"),
                line("gig.delivery", localized(p, "days")),
                line("gig.revisions", localized(p, "revisions")),
                line("gig.included", localized(p, "included")),
                rx.cond(p["description"] != "", rx.text(p["description"], size="2", color_scheme="gray", dir="auto")),
                order_button(p),
                spacing="2",
                align="stretch",
            ),
            size="2",
            width="100%",
        )

    return rx.vstack(rx.foreach(GigState.packages, one), spacing="3", width="100%", class_name="packages-cards")


def order_options() -> rx.Component:
    """How many of the package to order, and how many extras are ticked below."""
    return rx.flex(
        rx.hstack(
            rx.el.label(t("checkout.quantity"), html_for="order-quantity", style={"font_weight": "500"}),
            rx.select(
                [str(n) for n in range(1, 11)],
                value=OrderChoiceState.quantity,
                on_change=OrderChoiceState.set_quantity,
                size="2",
                id="order-quantity",
            ),
            spacing="2",
            align="center",
        ),
        rx.cond(
            GigState.extras.length() > 0,
            rx.link(t("checkout.extras_picked"), " ", OrderChoiceState.picked_extras.length(), href="#extras", size="2"),
        ),
        spacing="4",
        align="center",
        wrap="wrap",
        id="order-options",
    )


def extras() -> rx.Component:
    """«التطويرات»: add-ons a buyer may order with any package, with what each adds to price and time."""

    def one(extra: rx.Var, index: rx.Var) -> rx.Component:
        return rx.card(
            rx.flex(
                rx.vstack(
                    rx.text(extra["title"], weight="bold", dir="auto"),
                    rx.cond(extra["description"] != "", rx.text(extra["description"], size="2", color_scheme="gray", dir="auto")),
                    rx.text(localized(extra, "days"), size="1", color_scheme="gray"),
                    rx.text(
                        rx.checkbox(
                            checked=OrderChoiceState.picked_extras.contains(index),
                            on_change=lambda checked: OrderChoiceState.toggle_extra(index, checked),
                            margin_inline_end="0.4rem",
                        ),
                        t("checkout.add_extra"),
                        as_="label",
                        size="2",
                    ),
                    spacing="1",
                    align="start",
                    min_width="0",
                ),
                rx.text(localized(extra, "price"), weight="bold", color=rx.color("teal", 11), style={"white_space": "nowrap"}),
                justify="between",
                align="start",
                spacing="3",
                width="100%",
            ),
            size="2",
            width="100%",
        )

    return rx.cond(
        GigState.extras.length() > 0,
        rx.vstack(
            rx.heading(t("gig.extras"), size="5", as_="h2"),
            rx.text(t("gig.extras_hint"), size="2", color_scheme="gray"),
            rx.foreach(GigState.extras, one),
            spacing="3",
            align="stretch",
            width="100%",
            id="extras",
        ),
    )


def faq() -> rx.Component:
    """«الأسئلة الشائعة» as an accordion: questions first, each answer one click away."""
    return rx.cond(
        GigState.faqs.length() > 0,
        rx.vstack(
            rx.heading(t("gig.faqs"), size="5", as_="h2"),
            rx.accordion.root(
                rx.foreach(
                    GigState.faqs,
                    lambda item, index: rx.accordion.item(
                        header=rx.text(item["question"], dir="auto", text_align="start"),
                        content=rx.text(item["answer"], dir="auto", style={"white_space": "pre-line", "line_height": "1.8"}),
                        value=f"faq-{index}",
                    ),
                ),
                type="multiple",
                collapsible=True,
                variant="outline",
                color_scheme="gray",
                width="100%",
            ),
            spacing="3",
            align="stretch",
            width="100%",
            id="faq",
        ),
    )


def reviews() -> rx.Component:
    """«التقييمات»: the revealed buyer reviews, their averages, and the seller's replies."""
    return review_list(GigState, heading_key="gig.reviews")


def hidden_notice() -> rx.Component:
    return rx.cond(
        GigState.hidden,
        rx.callout(
            rx.vstack(
                rx.text(t("gig.hidden_notice"), " ", rx.badge(pick(GigState.status_ar, GigState.status_en), color_scheme="amber")),
                rx.cond(GigState.moderation_note != "", rx.text(t("gig.moderation_note"), ": ", GigState.moderation_note, size="2")),
                spacing="1",
            ),
            icon="eye_off",
            color_scheme="amber",
            role="status",
            width="100%",
        ),
    )


def gig_body() -> rx.Component:
    return rx.vstack(
        breadcrumb(),
        rx.heading(GigState.title, size="7", as_="h1", style={"line_height": "1.5"}, dir="auto"),
        rx.hstack(
            rx.link(GigState.seller_name, href=GigState.seller_href, weight="medium"),
            level_badge(GigState.seller_level, pick(GigState.seller_level_ar, GigState.seller_level_en)),
            trust_badges(GigState.seller_founding, GigState.seller_verified),
            report_button("gig", GigState.gig_key),
            rx.cond(GigState.rating != "", stars(GigState.rating, GigState.rating_count)),
            rx.cond(
                GigState.dialect_ar != "",
                rx.badge(rx.icon("mic", size=12), pick(GigState.dialect_ar, GigState.dialect_en), variant="outline", color_scheme="gray"),
            ),
            rx.cond(
                GigState.city_ar != "",
                rx.badge(rx.icon("map_pin", size=12), pick(GigState.city_ar, GigState.city_en), variant="outline", color_scheme="gray"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        hidden_notice(),
        rx.box(
            rx.vstack(
                gig_images(),
                rx.card(
                    rx.vstack(
                        rx.heading(t("gig.about"), size="5", as_="h2"),
                        description(),
                        rx.cond(
                            GigState.tags.length() > 0,
                            rx.hstack(
                                rx.text(t("gig.tags"), size="2", color_scheme="gray"),
                                rx.foreach(GigState.tags, lambda tag: rx.badge(tag, variant="soft", color_scheme="gray", radius="full", dir="auto")),
                                spacing="2",
                                wrap="wrap",
                                align="center",
                            ),
                        ),
                        spacing="3",
                        align="stretch",
                    ),
                    size="3",
                    width="100%",
                ),
                gig_samples(),
                rx.heading(t("gig.packages"), size="5", as_="h2", id="packages"),
                order_options(),
                packages_table(),
                package_cards(),
                extras(),
                faq(),
                reviews(),
                spacing="5",
                align="stretch",
                width="100%",
                min_width="0",
            ),
            rx.vstack(
                seller_card(),
                rx.card(
                    rx.vstack(
                        rx.text(t("catalog.from_price"), size="2", color_scheme="gray"),
                        rx.text(pick(GigState.price_ar, GigState.price_en), size="6", weight="bold", color=rx.color("teal", 11)),
                        rx.link(rx.button(t("gig.see_packages"), variant="soft", width="100%"), href="#packages", width="100%"),
                        favourite_button(),
                        spacing="2",
                        align="stretch",
                    ),
                    size="2",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            class_name="gig-layout",
        ),
        spacing="4",
        width="100%",
        align="stretch",
    )


def gig() -> rx.Component:
    return shell(
        rx.cond(
            GigState.loaded,
            rx.cond(GigState.not_found, not_found_panel("gig.not_found", "gig-not-found"), gig_body()),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
