"""Reviews: two-sided blind reviews of completed orders, their reveal, replies and read models."""

from app.reviews.errors import ReviewError
from app.reviews.policy import POLICY, ReviewPolicy
from app.reviews.queries import (
    BuyerProfileView,
    OrderReviews,
    RatingSummary,
    ReviewLine,
    ReviewPage,
    Stage,
    buyer_rating,
    get_buyer_profile,
    gig_rating,
    list_buyer_reviews,
    list_gig_reviews,
    list_seller_reviews,
    order_reviews,
    rating_mismatches,
    seller_rating,
)
from app.reviews.services import reply_to_review, reveal_due, submit_review

__all__ = [
    "POLICY",
    "BuyerProfileView",
    "OrderReviews",
    "RatingSummary",
    "ReviewError",
    "ReviewLine",
    "ReviewPage",
    "ReviewPolicy",
    "Stage",
    "buyer_rating",
    "get_buyer_profile",
    "gig_rating",
    "list_buyer_reviews",
    "list_gig_reviews",
    "list_seller_reviews",
    "order_reviews",
    "rating_mismatches",
    "reply_to_review",
    "reveal_due",
    "submit_review",
]
