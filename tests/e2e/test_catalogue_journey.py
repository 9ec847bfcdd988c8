"""A gig's whole way into the catalogue, in three browser contexts (three people).

A new visitor signs up, turns seller, writes a gig in the six-step editor (with an audio
sample in its gallery) and sends it for review; an administrator (made with ``mihan
create-admin``) approves it from the moderation queue; a signed-out visitor finds it from the
header search with a different word form than the title's, opens it, finds the sample's
player, and is sent to log in by «اطلب الآن». Labels come from ar.json, so a missing
translation or a broken ``<label for>`` fails here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, Site
from tests.e2e.test_journeys import AR, PASSWORD, PHONE, header, html_dir_lang, main, path_of, sign_up, unique_email
from tests.samples import write_wav

pytestmark = pytest.mark.e2e

TITLE = "سأسجل تعليقًا صوتيًا لإعلانك باللهجة النجدية"
CATEGORY = "إعلانات"  # app/niche/voiceover.json, slug "ads"
TAGS = "تعليق صوتي، إعلان إذاعي، نجدي"
PACKAGE = "إعلان إذاعي قصير"
DESCRIPTION = (
    "أسجّل إعلانك بصوت نجدي واضح ودافئ، بجودة استوديو وبلا ضوضاء.\n\n"
    "- تسجيل حتى ٣٠ ثانية\n"
    "- ملف WAV وملف MP3\n"
    "- **تسليم خلال يومين**"
)
# The visitor's words: not the title's (تعليقًا صوتيًا) but another form of the same concept.
QUERY = "معلق صوتي"
PLURAL_QUERY = "التعليقات الصوتية"  # definite plural of the same words
PRICE = re.compile(r"150(?:\.00)?\s*ر\.س")
STEPS = (
    "editor.step_overview",
    "editor.step_pricing",
    "editor.step_description",
    "editor.step_requirements",
    "editor.step_gallery",
    "editor.step_review",
)


def label(page: Page, key: str):  # type: ignore[no-untyped-def]
    return page.get_by_label(AR[key], exact=True)


def log_in_as_new_admin(admin: Site, server: Server, name: str = "مشرفة مِهَن") -> Page:
    """Make an administrator with ``mihan create-admin`` and log ``admin`` in as them."""
    email = unique_email("admin")
    made = server.create_admin(email=email, password=PASSWORD, name=name)
    assert made["role"] == "admin", made
    page = admin.goto("/login")
    label(page, "auth.email").fill(email)
    label(page, "auth.password").fill(PASSWORD)
    admin.navigates(lambda: main(page).get_by_role("button", name=AR["auth.log_in"]).click(), "/")
    return page


def next_step(page: Page, step: int) -> None:
    """«التالي», then wait until the editor shows step ``step`` (the state validated the one before)."""
    page.get_by_role("button", name=AR["editor.next"], exact=True).click()
    expect(page.locator(f"#step-{step}")).to_have_attribute("aria-current", "step")
    expect(page.get_by_role("alert")).to_have_count(0)


def no_sideways_scroll(page: Page, width: int) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= width + 1, f"{path_of(page)} scrolls sideways at {width}px: {widths}"


def add_audio_sample(seller: Site, page: Page, sample: Path) -> None:
    """The gallery step of a gig never saved: save a draft first, then drop a WAV sample."""
    gallery = page.locator("#gallery-step")
    expect(gallery.get_by_text(AR["gallery.save_first"])).to_be_visible()
    gallery.get_by_role("button", name=AR["editor.save_draft"], exact=True).click()
    gallery.locator("input[type=file]").set_input_files(str(sample))
    player = gallery.locator(".gallery-audio audio")
    expect(player).to_have_count(1)
    expect(player).to_have_attribute("src", re.compile(r"^/media/gigs/\d+/[0-9a-f]{32}\.wav$"))
    expect(page.get_by_role("alert")).to_have_count(0)
    seller.screenshot("gig-editor-gallery")


def write_and_submit_gig(seller: Site, sample: Path) -> str:
    """Sign up, turn seller, create the gig in the editor (with an audio sample) and submit it;
    return its /gig/<n> path."""
    name = "فهد الدوسري"
    sign_up(seller, name=name, email=unique_email("seller"))

    page = seller.goto("/account")
    page.get_by_role("button", name=AR["profile.become_seller"], exact=True).click()
    expect(page.get_by_text(AR["profile.seller_on"])).to_be_visible()
    expect(page.get_by_role("button", name=AR["profile.become_seller"], exact=True)).to_have_count(0)

    # The header menu knows about the switch without a reload: «خدماتي» replaces the invitation.
    page.locator("#account-menu").click()
    my_gigs = page.get_by_role("menuitem", name=AR["nav.my_gigs"])
    expect(my_gigs).to_be_visible()
    seller.navigates(lambda: my_gigs.get_by_role("link").click(), "/seller/gigs")
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["seller.title"])
    expect(page.get_by_text(AR["seller.empty"])).to_be_visible()

    seller.navigates(lambda: main(page).get_by_role("link", name=AR["seller.new_gig"]).click(), "/seller/gigs/new")
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["editor.title_new"])
    steps = page.get_by_role("navigation", name=AR["editor.steps"])
    for index, key in enumerate(STEPS):
        expect(steps.locator(f"#step-{index}")).to_contain_text(AR[key])
    expect(page.locator("#step-0")).to_have_attribute("aria-current", "step")

    # 1. نظرة عامة
    label(page, "editor.gig_title").fill(TITLE)
    label(page, "editor.category").click()
    page.get_by_role("option", name=CATEGORY, exact=True).click()
    expect(label(page, "editor.category")).to_have_text(CATEGORY)
    label(page, "editor.tags").fill(TAGS)
    next_step(page, 1)

    # 2. التسعير: the basic package only
    expect(page.locator("#package-basic")).to_contain_text(AR["gig.tier_basic"])
    label(page, "editor.package_name").fill(PACKAGE)
    label(page, "editor.price").fill("150")
    label(page, "editor.days").fill("2")
    next_step(page, 2)

    # 3. الوصف, with its live Markdown preview
    label(page, "editor.description").fill(DESCRIPTION)
    preview = page.locator("#description-preview")
    expect(preview.locator("strong")).to_have_text("تسليم خلال يومين")
    expect(preview.locator("li")).to_have_count(3)
    next_step(page, 3)

    # 4. متطلبات التنفيذ: none asked; 5. المعرض: one audio sample
    next_step(page, 4)
    add_audio_sample(seller, page, sample)
    next_step(page, 5)

    # 6. مراجعة ونشر
    expect(page.get_by_text(AR["editor.review_hint"])).to_be_visible()
    review = main(page)
    expect(review).to_contain_text(TITLE)
    expect(review).to_contain_text(CATEGORY)
    expect(review).to_contain_text(PACKAGE)
    expect(review).to_contain_text("150")
    seller.screenshot("gig-editor-review")
    seller.navigates(lambda: page.get_by_role("button", name=AR["editor.submit"], exact=True).click(), "/seller/gigs")

    row = page.locator(".seller-gig").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(AR["seller.status_pending"])
    expect(row).to_contain_text(PRICE)
    # Pending: nothing to submit again, but still editable.
    expect(row.get_by_role("button", name=AR["seller.submit"], exact=True)).to_have_count(0)
    expect(row.get_by_role("link", name=AR["seller.edit"])).to_be_visible()
    href = row.get_by_role("link", name=TITLE).get_attribute("href")
    assert href and re.fullmatch(r"/gig/\d+", href), href
    seller.screenshot("seller-gigs-pending")
    return href


def approve_gig(admin: Site, server: Server, href: str) -> None:
    """Log in as an administrator made with the CLI and approve the gig from the queue."""
    page = log_in_as_new_admin(admin, server)

    page.locator("#account-menu").click()
    admin.navigates(lambda: page.get_by_role("menuitem", name=AR["nav.admin"]).get_by_role("link").click(), "/admin/moderation")
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["moderation.title"])

    item = page.locator(".moderation-item").filter(has=page.locator(f"a[href='{href}']"))
    expect(item).to_have_count(1)
    expect(item).to_contain_text(TITLE)
    expect(item).to_contain_text(CATEGORY)
    expect(item).to_contain_text("فهد الدوسري")
    admin.screenshot("moderation-queue")

    item.get_by_role("button", name=AR["moderation.approve"]).click()
    expect(page.get_by_text(AR["moderation.done_approve"])).to_be_visible()
    expect(item).to_have_count(0)
    expect(page.locator(f".moderation-item a[href='{href}']")).to_have_count(0)


def test_gig_from_editor_through_moderation_to_search(make_site: Callable[..., Site], server: Server, tmp_path: Path) -> None:
    assert QUERY.split()[0] not in TITLE  # the search has to bridge معلق → تعليقًا

    seller = make_site()
    href = write_and_submit_gig(seller, write_wav(tmp_path))

    # Before approval the gig is nobody else's business: a visitor does not find it.
    visitor = make_site()
    page = visitor.goto(f"/search?q={QUERY}")
    expect(main(page).locator(f".gig-card a[href='{href}']")).to_have_count(0)

    approve_gig(make_site(), server, href)

    # The seller's list follows the decision.
    page = seller.reload()
    expect(page.locator(".seller-gig").filter(has_text=TITLE)).to_contain_text(AR["seller.status_active"])

    # Now the catalogue has it: the definite plural of the title's words finds it (address bar) ...
    page = visitor.goto(f"/search?q={PLURAL_QUERY}")
    expect(main(page).locator(f".gig-card a[href='{href}']")).to_have_count(1)

    # ... and so does a signed-out visitor's header search with the agent noun معلق.
    page = visitor.goto("/")
    expect(header(page).get_by_role("link", name=AR["nav.sign_in"])).to_be_visible()
    # type=search with a suggestions <datalist>: a combobox to assistive technology
    header(page).get_by_role("combobox", name=AR["nav.search"], exact=True).fill(QUERY)
    visitor.navigates(lambda: header(page).get_by_role("button", name=AR["nav.search"], exact=True).click(), "/search")
    assert parse_qs(urlsplit(page.url).query).get("q") == [QUERY], page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["search.title"])
    card = main(page).locator(".gig-card").filter(has=page.locator(f"a[href='{href}']"))
    expect(card).to_have_count(1)
    expect(card).to_contain_text(TITLE)
    expect(card).to_contain_text(CATEGORY)
    expect(card).to_contain_text(PRICE)
    expect(card).to_contain_text(AR["gallery.audio_badge"])
    assert html_dir_lang(page) == ("rtl", "ar")
    visitor.screenshot("search-results")

    visitor.navigates(lambda: card.get_by_role("link", name=TITLE).click(), href)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#gig-seller")).to_have_text("فهد الدوسري")
    expect(page.locator(".packages-table")).to_contain_text(PRICE)
    expect(page.locator(".packages-table")).to_contain_text(PACKAGE)
    expect(page.get_by_text(AR["gig.hidden_notice"])).to_have_count(0)
    # the seller's sample plays in place, from the public media route
    samples = page.locator("#gig-samples")
    expect(samples.get_by_role("heading", name=AR["gallery.audio"])).to_be_visible()
    expect(samples.locator("audio[src^='/media/']")).to_be_visible()
    order = main(page).get_by_role("link", name=AR["gig.order_now"]).filter(visible=True)
    expect(order).to_have_count(1)
    visitor.screenshot("gig-page-desktop")

    visitor.navigates(lambda: order.click(), "/login")
    assert parse_qs(urlsplit(page.url).query).get("next") == [href], page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["auth.log_in_title"])

    # The same gig on a 360 px phone: package cards instead of the table, no sideways scroll.
    phone = make_site(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.goto(href)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".packages-table")).to_be_hidden()
    cards = page.locator(".packages-cards")
    expect(cards).to_be_visible()
    expect(cards).to_contain_text(PRICE)
    expect(cards.get_by_role("link", name=AR["gig.order_now"])).to_be_visible()
    assert html_dir_lang(page) == ("rtl", "ar")
    no_sideways_scroll(page, PHONE["width"])
    phone.screenshot("gig-page-phone")
