"""The public buyer page /buyers/<n>: photo, name, member since, and sellers' reviews of the buyer."""

from __future__ import annotations

import reflex as rx

from pages.components.i18n import t
from pages.reviews import review_list
from pages.seller_profile import member_since, person_card, person_page
from state.buyer_profile import BuyerProfileState as S


def buyer_profile() -> rx.Component:
    about = person_card(
        S,
        "buyer-name",
        rx.badge(t("buyer_page.badge"), color_scheme="gray", variant="soft", radius="full"),
        member_since(S),
        rx.cond(S.seller_href != "", rx.link(t("buyer_page.seller_profile"), href=S.seller_href, size="2", id="buyer-seller-page")),
    )
    body = rx.vstack(
        about,
        review_list(S, heading_key="reviews.from_sellers", show_gig=True, element_id="buyer-reviews"),
        spacing="4",
        width="100%",
        max_width="56rem",
        margin_inline="auto",
        align="stretch",
    )
    return person_page(S, body, "review.buyer_not_found", "buyer-not-found")
