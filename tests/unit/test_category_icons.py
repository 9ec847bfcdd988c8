"""The icons admins may give a category are real Lucide icons, and the niche's are among them."""

from reflex_components_lucide.icon import LUCIDE_ICON_LIST

from app.catalog.taxonomy_admin import CATEGORY_ICONS
from app.niche import get_niche


def test_every_allowed_icon_exists_in_lucide():
    # given the console's allow-list (kebab-case, as the niche file writes icons)
    # then Reflex knows each one (a missing icon would break the build of the pages)
    assert [icon for icon in CATEGORY_ICONS if icon.replace("-", "_") not in LUCIDE_ICON_LIST] == []
    assert len(set(CATEGORY_ICONS)) == len(CATEGORY_ICONS)


def test_the_niche_categories_use_allowed_icons():
    # given the categories the database is seeded with
    # then their icons can be kept when an admin edits them
    assert {c.icon for c in get_niche().categories} <= set(CATEGORY_ICONS)
