"""The gig catalogue: taxonomy, the gig lifecycle and moderation, browsing, import."""

from app.catalog.errors import CatalogError
from app.catalog.favourites import favourite_ids, list_favourites, toggle_favourite
from app.catalog.gigs import change_status, create_gig, moderate, publish, update_gig
from app.catalog.importer import ImportReport, import_lines
from app.catalog.inputs import GigInput, parse_gig
from app.catalog.queries import GigCard, GigDetail, Page, RequirementView, browse, cards, get_gig, list_requirements, search
from app.catalog.sellers import SellerProfileView, get_seller_profile, list_seller_cards
from app.catalog.seller import PendingGig, SellerGigRow, count_pending, get_gig_form, list_pending, list_seller_gigs
from app.catalog.taxonomy import Term, list_categories, list_cities, list_dialects

__all__ = [
    "CatalogError",
    "GigCard",
    "GigDetail",
    "GigInput",
    "ImportReport",
    "Page",
    "PendingGig",
    "RequirementView",
    "SellerGigRow",
    "SellerProfileView",
    "Term",
    "browse",
    "cards",
    "change_status",
    "count_pending",
    "create_gig",
    "favourite_ids",
    "get_gig",
    "get_gig_form",
    "get_seller_profile",
    "import_lines",
    "list_categories",
    "list_cities",
    "list_dialects",
    "list_favourites",
    "list_pending",
    "list_requirements",
    "list_seller_cards",
    "list_seller_gigs",
    "moderate",
    "parse_gig",
    "publish",
    "search",
    "toggle_favourite",
    "update_gig",
]
