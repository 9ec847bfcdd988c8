"""Two-sided blind reviews in two browser contexts (a buyer and a seller), as issue 8 tells it.

A completed order is made through the services (``tests/e2e/completed_order.py``: ordered, paid
with the sandbox card, delivered, accepted). The buyer reviews from the order page (stars for
overall, communication, quality and on time, and a text) and is told the review stays hidden;
the seller's page shows nothing of it. The seller reviews the buyer: both appear. The seller
replies; the gig page's average, count and list update; the seller's link on the order page
opens the buyer's public page with the seller's review. Screenshots (Arabic, 1280 px and
360 px) land in tests/e2e/artifacts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, Server, Site
from tests.e2e.test_journeys import AR, PHONE, html_dir_lang, main, sign_up, unique_email
from tests.e2e.test_order_journey import import_gig, no_sideways_scroll, phone_copy

pytestmark = pytest.mark.e2e

BUYER_TEXT = "صوت دافئ ونطق واضح، والتسليم قبل الموعد."
SELLER_TEXT = "مشترٍ واضح في طلبه."
REPLY = "شكرًا لك! سعدت بالعمل معك."


def pick_stars(page: Page, field: str, n: int) -> None:
    """Click the n-th star of a star field (its label; the radio itself is visually hidden)."""
    page.locator(f"label[for=review-{field}-{n}]").click()
    expect(page.locator(f"#review-{field}-{n}")).to_be_checked()


def shoot(site: Site, make_site: Callable[..., Site], path: str, name: str, selector: str) -> None:
    """The part at ``selector`` at 1280 px, then the whole page on a 360 px phone (no sideways scroll)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = site.goto(path)
    page.locator(selector).first.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"))
    phone = phone_copy(make_site, site)
    phone_page = phone.goto(path)
    assert html_dir_lang(phone_page) == ("rtl", "ar")
    no_sideways_scroll(phone_page)
    phone.screenshot(f"{name}-phone")  # the whole page: a part's shot would sit under the sticky header


def completed_between_two_browsers(make_site: Callable[..., Site], server: Server, folder: Path, *flags: str) -> tuple[Site, Site, int]:
    """A seller and a buyer signed up in their own browsers, and a completed order between them
    (``"--disputed"`` in ``flags``: disputed by the buyer instead of accepted)."""
    seller_email, buyer_email = unique_email("seller"), unique_email("buyer")
    seller = make_site()
    sign_up(seller, name="فهد الدوسري", email=seller_email)
    import_gig(server, seller_email, folder)
    buyer = make_site()
    sign_up(buyer, name="عبدالله القحطاني", email=buyer_email)
    order_id = json.loads(server.python("tests.e2e.completed_order", buyer_email, seller_email, *flags).stdout.strip().splitlines()[-1])["order"]
    return seller, buyer, order_id


def test_both_sides_review_blind_then_the_seller_replies(
    make_site: Callable[..., Site], server: Server, tmp_path: Path
) -> None:
    seller, buyer, order_id = completed_between_two_browsers(make_site, server, tmp_path)
    order_path = f"/orders/{order_id}"

    # -- the buyer reviews, and is told it stays hidden -------------------------------------------
    page = buyer.goto(order_path)
    section = page.locator("#order-review")
    expect(section.locator("#blind-rule")).to_contain_text(AR["reviews.blind_rule"])
    expect(section.get_by_role("heading", name=AR["reviews.form_buyer"])).to_be_visible()
    assert html_dir_lang(page) == ("rtl", "ar")
    shoot(buyer, make_site, order_path, "review-form", "#order-review")
    page = buyer.goto(order_path)
    main(page).get_by_role("button", name=AR["reviews.submit"]).click()  # no stars: the browser asks for them
    expect(page.locator("#my-review")).to_have_count(0)
    for field, n in (("overall", 5), ("communication", 5), ("quality", 4), ("on_time", 5)):
        pick_stars(page, field, n)
    page.get_by_label(AR["reviews.text"], exact=True).fill(BUYER_TEXT)
    main(page).get_by_role("button", name=AR["reviews.submit"]).click()
    expect(page.get_by_text(AR["reviews.done"])).to_be_visible()
    expect(page.locator("#review-waiting")).to_be_visible()
    expect(page.locator("#my-review")).to_contain_text(AR["reviews.hidden"])
    expect(page.locator("#timeline")).to_contain_text(AR["timeline.reviewed_by_buyer"])
    buyer.screenshot("review-buyer-waiting")

    # -- the seller sees nothing of it, reviews the buyer: both appear -----------------------------
    page = seller.goto(order_path)
    expect(page.get_by_role("heading", name=AR["reviews.form_seller"])).to_be_visible()
    expect(page.locator("#stars-communication")).to_have_count(0)  # the seller rates overall only
    expect(main(page)).not_to_contain_text(BUYER_TEXT)
    pick_stars(page, "overall", 4)
    page.get_by_label(AR["reviews.text"], exact=True).fill(SELLER_TEXT)
    main(page).get_by_role("button", name=AR["reviews.submit"]).click()
    expect(page.get_by_text(AR["reviews.done"])).to_be_visible()
    expect(page.locator("#their-review")).to_contain_text(BUYER_TEXT)
    expect(page.locator("#my-review")).to_contain_text(SELLER_TEXT)
    expect(page.locator("#my-review")).not_to_contain_text(AR["reviews.hidden"])

    # -- the seller replies once ----------------------------------------------------------------------
    page.get_by_label(AR["reviews.reply"], exact=True).fill(REPLY)
    main(page).get_by_role("button", name=AR["reviews.reply_submit"]).click()
    expect(page.get_by_text(AR["reviews.reply_done"])).to_be_visible()
    expect(page.locator("#their-review")).to_contain_text(REPLY)
    expect(main(page).get_by_role("button", name=AR["reviews.reply_submit"])).to_have_count(0)
    seller.screenshot("review-seller-revealed")

    # the buyer now sees the seller's review of them, and the reply under their own
    page = buyer.goto(order_path)
    expect(page.locator("#their-review")).to_contain_text(SELLER_TEXT)
    expect(page.locator("#my-review")).to_contain_text(REPLY)

    # -- the gig page: the average, the count, the review and its reply -----------------------------
    page = seller.goto(order_path)
    gig_path = page.locator("main a:has(h1)").get_attribute("href")
    assert gig_path and re.fullmatch(r"/gig/\d+", gig_path), gig_path
    page = buyer.goto(gig_path)
    reviews = page.locator("#reviews")
    expect(reviews.locator("#rating-average")).to_have_text("5.0")
    expect(reviews.locator("#rating-count")).to_have_text(AR["reviews.count_one"])
    expect(reviews).to_contain_text(AR["reviews.quality"])
    expect(reviews.locator(".review-item")).to_have_count(1)
    expect(reviews.locator(".review-item")).to_contain_text(BUYER_TEXT)
    expect(reviews.locator(".review-reply")).to_contain_text(REPLY)
    seller_path = page.locator("#gig-seller").get_attribute("href")
    shoot(buyer, make_site, gig_path, "review-gig", "#reviews")

    # the seller's page: the gig's card shows the cached rating, and what buyers said
    page = buyer.goto(seller_path or "/")
    expect(page.locator(".gig-card").first).to_contain_text("5.0")
    expect(page.locator("#seller-reviews")).to_contain_text(BUYER_TEXT)

    # -- the buyer's public page, from the seller's order page ------------------------------------
    page = seller.goto(order_path)
    seller.navigates(lambda: page.locator("#order-buyer-link").click())
    expect(page.locator("#buyer-name")).to_have_text("عبدالله القحطاني")
    expect(page.locator("#buyer-reviews")).to_contain_text(SELLER_TEXT)
    expect(page.locator("#buyer-reviews .review-author")).to_have_text("فهد الدوسري")
    buyer_path = "/" + page.url.split("/", 3)[-1].rstrip("/")
    shoot(seller, make_site, buyer_path, "review-buyer-page", "main")
