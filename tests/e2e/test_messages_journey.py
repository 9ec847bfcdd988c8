"""Messages in two browser contexts, as issue 7 tells it: the buyer presses «تواصل مع البائع» on a
gig and writes; the seller, whose messages page is already open, sees the conversation arrive
without a reload, with the unread count in the header and on the bell, opens it and answers; the buyer sees the
answer arrive; the seller records a voice note (Chromium's fake microphone plays a WAV this test
writes) and the buyer's page shows a player whose source answers 200 with audio; the seller sends
a custom offer, which appears on the buyer's page, and the buyer accepts it and pays with the
sandbox card, while the seller's page shows that it was accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, Server, Site
from tests.e2e.test_journeys import AR, PHONE, main, path_of, sign_up, unique_email
from tests.e2e.test_order_journey import TITLE, import_gig, no_sideways_scroll, pay_by_sandbox_card
from tests.samples import write_wav

pytestmark = pytest.mark.e2e

QUESTION = "السلام عليكم، أبي إعلان ٣٠ ثانية باللهجة النجدية، متى تقدر تسلّم؟"
ANSWER = "وعليكم السلام، حيّاك الله! أسلّمه خلال يومين إن شاء الله."
OFFER = "إعلان ٣٠ ثانية باللهجة النجدية مع موسيقى خلفية، ملف WAV"
LIVE = 15_000  # the page polls every 2 s; allow a loaded machine some slack


@pytest.fixture(scope="module")
def microphone_browser(playwright: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium whose microphone is a WAV file (granted without a prompt)."""
    wav = write_wav(tmp_path_factory.mktemp("mic"), "voice.wav", seconds=3.0)
    fake = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}"]
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake])
    yield chromium
    chromium.close()


def context_site(browser: Browser, server: Server, **options: object) -> Site:
    context = browser.new_context(viewport=options.pop("viewport", DESKTOP), locale="ar-SA", **options)  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    return Site(context.new_page(), server)


def test_buyer_and_seller_talk_in_real_time_with_a_voice_note(microphone_browser: Browser, server: Server, tmp_path: Path) -> None:
    # -- a seller with a gig, a buyer ------------------------------------------------------------
    seller = context_site(microphone_browser, server, permissions=["microphone"])
    seller_email = unique_email("seller")
    sign_up(seller, name="فهد الدوسري", email=seller_email)
    import_gig(server, seller_email, tmp_path)
    page = seller.goto("/seller/gigs")
    href = page.locator(".seller-gig").filter(has_text=TITLE).get_by_role("link", name=TITLE).get_attribute("href")
    assert href and re.fullmatch(r"/gig/\d+", href), href
    buyer = context_site(microphone_browser, server)
    sign_up(buyer, name="عبدالله القحطاني", email=unique_email("buyer"))

    # the seller's messages page is open and empty
    seller_page = seller.goto("/messages")
    expect(main(seller_page)).to_contain_text(AR["messages.empty"])

    # -- the buyer contacts the seller from the gig page and writes --------------------------------
    page = buyer.goto(href)
    buyer.navigates(lambda: main(page).get_by_role("button", name=AR["messages.contact_seller"]).click())
    page.wait_for_url(re.compile(r"/messages/\d+$"))
    thread_path = path_of(page)
    page.get_by_label(AR["messages.composer_label"], exact=True).fill(QUESTION)
    page.locator("#send-message").click()
    expect(page.locator(".message.mine")).to_contain_text(QUESTION)
    expect(page.locator(".message.mine").last).to_contain_text(AR["messages.delivered"])

    # -- the seller sees it arrive without a reload, with the unread count ---------------------------
    item = seller_page.locator(".conversation-item").filter(has_text="عبدالله القحطاني")
    expect(item).to_contain_text(QUESTION[:20], timeout=LIVE)
    expect(seller_page.locator("#header-messages")).to_contain_text("1", timeout=LIVE)
    expect(seller_page.locator("#bell-count")).to_have_text("1", timeout=LIVE)  # the bell follows the same poll
    seller.screenshot("messages-seller-list")
    seller.navigates(lambda: item.click(), thread_path)
    expect(seller_page.locator(".message.theirs")).to_contain_text(QUESTION)
    seller_page.get_by_label(AR["messages.composer_label"], exact=True).fill(ANSWER)
    seller_page.locator("#send-message").click()
    expect(seller_page.locator(".message.mine")).to_contain_text(ANSWER)

    # -- the buyer sees the answer, and that the seller read the question ------------------------------
    expect(page.locator(".message.theirs")).to_contain_text(ANSWER, timeout=LIVE)
    expect(page.locator(".message.mine").first.locator(".read-receipt")).to_contain_text(AR["messages.read"], timeout=LIVE)
    buyer.screenshot("messages-buyer-thread")

    # -- the seller records a voice note ------------------------------------------------------------------
    record = seller_page.locator("#record-voice")
    record.click()
    expect(record).to_contain_text(AR["messages.stop_and_send"])
    seller_page.wait_for_timeout(2000)
    record.click()
    expect(record).to_contain_text(AR["messages.record"])
    expect(seller_page.locator(".message.mine[data-kind=voice] audio")).to_have_count(1, timeout=LIVE)

    # -- and it plays on the buyer's side ---------------------------------------------------------------------
    player = page.locator(".message.theirs[data-kind=voice] audio")
    expect(player).to_have_count(1, timeout=LIVE)
    src = player.get_attribute("src")
    assert src and src.startswith("/files/"), src
    answer = page.request.get(buyer.url(src))
    assert answer.status == 200 and answer.headers["content-type"].startswith("audio/"), answer.headers
    assert len(answer.body()) > 1000
    buyer.screenshot("messages-buyer-voice")

    # -- the seller sends a custom offer; the buyer accepts it and pays with the sandbox ------------------
    seller_page.locator("#open-offer").click()
    dialog = seller_page.get_by_role("dialog")
    dialog.get_by_label(AR["offers.description"], exact=True).fill(OFFER)
    dialog.get_by_label(AR["offers.price"], exact=True).fill("٢٠٠")
    dialog.get_by_label(AR["offers.days"], exact=True).fill("2")
    dialog.locator("#offer-send").click()
    expect(seller_page.locator(".message.mine .offer-card")).to_contain_text(OFFER)
    offer = page.locator(".message.theirs .offer-card")
    expect(offer).to_contain_text(AR["offers.status_pending"], timeout=LIVE)
    buyer.screenshot("messages-buyer-offer")
    offer.locator(".accept-offer").click()
    page.wait_for_url(re.compile(r"/checkout/\d+$"))
    expect(page.locator("#checkout-summary")).to_contain_text("200")
    pay_by_sandbox_card(page, "/orders/" + path_of(page).rsplit("/", 1)[-1])
    expect(seller_page.locator(".message-notice")).to_contain_text(AR["offers.notice_accepted"], timeout=LIVE)
    expect(seller_page.locator(".offer-card .offer-status")).to_contain_text(AR["offers.status_accepted"])

    # -- the same thread on a phone, in Arabic -----------------------------------------------------------------
    phone = context_site(microphone_browser, server, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.page.context.add_cookies(page.context.cookies())
    phone_page = phone.goto(thread_path)
    expect(phone_page.locator(".message.theirs").first).to_contain_text(ANSWER)
    no_sideways_scroll(phone_page)
    phone.screenshot("messages-phone-thread")
    phone_page = phone.goto("/messages")
    expect(phone_page.locator(".conversation-item")).to_have_count(1)
    no_sideways_scroll(phone_page)
    phone.screenshot("messages-phone-list")
