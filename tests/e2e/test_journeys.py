"""The visitor's journeys in a real browser: Arabic first, right-to-left, phone-sized too.

Fields are found by their Arabic labels and messages are compared with the catalogue, so a
broken <label for>, a missing translation or a layout that scrolls sideways fails here.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PROJECT_ROOT, Server, Site

pytestmark = pytest.mark.e2e

LOCALES = PROJECT_ROOT / "app" / "core" / "locales"
AR = json.loads((LOCALES / "ar.json").read_text(encoding="utf-8"))
EN = json.loads((LOCALES / "en.json").read_text(encoding="utf-8"))
PASSWORD = "sahm-2026-secure"
ARABIC = re.compile(r"[\u0600-\u06FF]")
PHONE = {"width": 360, "height": 780}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def html_dir_lang(page: Page) -> tuple[str, str]:
    return tuple(page.evaluate("[document.documentElement.dir, document.documentElement.lang]"))  # type: ignore[return-value]


def path_of(page: Page) -> str:
    """The page's path without the trailing slash the static server adds (/login/)."""
    return urlsplit(page.url).path.rstrip("/") or "/"


def header(page: Page) -> Locator:
    return page.locator("header")


def main(page: Page) -> Locator:
    return page.locator("main")


def fill_sign_up(page: Page, *, name: str, email: str, password: str = PASSWORD) -> None:
    page.get_by_label(AR["auth.name"], exact=True).fill(name)
    page.get_by_label(AR["auth.email"], exact=True).fill(email)
    page.get_by_label(AR["auth.password"], exact=True).fill(password)


def sign_up(site: Site, *, name: str, email: str, password: str = PASSWORD) -> None:
    """Sign up through /signup and land signed in on the home page."""
    page = site.goto("/signup")
    fill_sign_up(page, name=name, email=email, password=password)
    site.navigates(lambda: main(page).get_by_role("button", name=AR["auth.sign_up"]).click(), "/")
    expect(page.locator("#account-menu")).to_contain_text(name)


def verification_link(server: Server, email: str) -> str:
    """The /verify-email link of the newest verification mail sent to ``email``."""
    for path in sorted(server.outbox.glob("*.eml"), reverse=True):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"] != email:
            continue
        assert message["Subject"] == AR["mail.verify.subject"]
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        match = re.search(r"https?://\S+/verify-email\?token=[\w\-.~%]+", body.get_content())
        assert match, body.get_content()
        return match.group(0)
    raise AssertionError(f"no .eml for {email} in {server.outbox}")


def png_bytes(size: tuple[int, int] = (320, 200)) -> bytes:
    """A landscape PNG (teal with an amber band) so the cropped avatar is recognisable."""
    image = Image.new("RGB", size, (20, 140, 130))
    image.paste((250, 190, 40), (0, size[1] // 3, size[0], 2 * size[1] // 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# -- journeys -------------------------------------------------------------------------------


def test_visitor_signs_up_logs_out_logs_in(site: Site, server: Server) -> None:
    page = site.goto("/")
    assert html_dir_lang(page) == ("rtl", "ar")

    site.navigates(lambda: header(page).get_by_role("link", name=AR["nav.sign_up"]).click(), "/signup")
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["auth.sign_up_title"])
    name, email = "سارة العتيبي", unique_email("sara")
    fill_sign_up(page, name=name, email=email)
    site.navigates(lambda: main(page).get_by_role("button", name=AR["auth.sign_up"]).click(), "/")

    menu = page.locator("#account-menu")
    expect(menu).to_contain_text(name)
    expect(header(page).get_by_role("link", name=AR["nav.sign_in"])).to_have_count(0)
    expect(page.get_by_text(AR["auth.verify_banner"])).to_be_visible()
    assert html_dir_lang(page) == ("rtl", "ar")
    site.screenshot("signed-in-desktop")

    menu.click()
    page.get_by_role("menuitem", name=AR["nav.log_out"]).click()
    expect(header(page).get_by_role("link", name=AR["nav.sign_in"])).to_be_visible()
    expect(page.locator("#account-menu")).to_have_count(0)

    page = site.goto("/login")
    page.get_by_label(AR["auth.email"], exact=True).fill(email)
    page.get_by_label(AR["auth.password"], exact=True).fill(PASSWORD)
    site.navigates(lambda: main(page).get_by_role("button", name=AR["auth.log_in"]).click(), "/")
    expect(page.locator("#account-menu")).to_contain_text(name)

    link = verification_link(server, email)
    assert link.startswith(server.base_url + "/verify-email?token=")
    page = site.goto(link.removeprefix(server.base_url))
    expect(page.get_by_role("status")).to_contain_text(AR["auth.verify_done"])
    expect(page.get_by_text(AR["auth.verify_banner"])).to_have_count(0)
    site.screenshot("email-verified")


def test_language_switch_flips_direction(site: Site) -> None:
    page = site.goto("/")
    switch = page.locator("#language-switch")
    expect(switch).to_have_text(AR["nav.language"])

    switch.click()
    page.wait_for_function("document.documentElement.dir === 'ltr'")
    assert html_dir_lang(page) == ("ltr", "en")
    expect(header(page).get_by_role("link", name=EN["nav.sign_in"])).to_be_visible()
    expect(switch).to_have_text(EN["nav.language"])
    site.screenshot("home-en-ltr")

    page = site.reload()
    assert html_dir_lang(page) == ("ltr", "en")
    expect(header(page).get_by_role("link", name=EN["nav.sign_in"])).to_be_visible()
    assert any(c["name"] == "mihan_lang" and c["value"] == "en" for c in page.context.cookies())

    page.locator("#language-switch").click()
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert html_dir_lang(page) == ("rtl", "ar")
    expect(header(page).get_by_role("link", name=AR["nav.sign_in"])).to_be_visible()
    site.screenshot("home-ar-rtl")


def test_wrong_password_generic_message(site: Site) -> None:
    email = unique_email("wrong")
    sign_up(site, name="خالد", email=email)
    site.page.context.clear_cookies()

    page = site.goto("/login")
    page.get_by_label(AR["auth.email"], exact=True).fill(email)
    page.get_by_label(AR["auth.password"], exact=True).fill("not-the-password")
    main(page).get_by_role("button", name=AR["auth.log_in"]).click()
    expect(page.get_by_role("alert").filter(has_text=AR["auth.bad_credentials"])).to_be_visible()
    assert path_of(page) == "/login"
    expect(header(page).get_by_role("link", name=AR["nav.sign_in"])).to_be_visible()


def test_taken_email_message(site: Site) -> None:
    email = unique_email("taken")
    sign_up(site, name="منى", email=email)
    site.page.context.clear_cookies()

    page = site.goto("/signup")
    fill_sign_up(page, name="منى الثانية", email=email.upper())
    main(page).get_by_role("button", name=AR["auth.sign_up"]).click()
    expect(page.get_by_role("alert").filter(has_text=AR["auth.email_taken"])).to_be_visible()
    assert path_of(page) == "/signup"


@pytest.mark.parametrize("path", ["/", "/signup"])
def test_phone_width(make_site, path: str) -> None:  # type: ignore[no-untyped-def]
    site = make_site(viewport=PHONE, is_mobile=True, has_touch=True)
    page = site.goto(path)
    assert html_dir_lang(page) == ("rtl", "ar")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= PHONE["width"] + 1, f"{path} scrolls sideways: {widths}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    site.screenshot(f"phone{path.replace('/', '-').rstrip('-') or '-home'}")


@pytest.mark.parametrize(("path", "name"), [("/terms", "terms"), ("/privacy", "privacy"), ("/refund-policy", "refund")])
def test_legal_pages(site: Site, path: str, name: str) -> None:
    source = (PROJECT_ROOT / "content" / "legal" / f"{name}.ar.md").read_text(encoding="utf-8")
    title = source.splitlines()[0].removeprefix("# ").strip()
    page = site.goto(path)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).to_have_text(title)
    assert ARABIC.search(heading.inner_text())
    assert html_dir_lang(page) == ("rtl", "ar")
    expect(page.locator("footer").get_by_role("link", name=AR[f"legal.{name}"])).to_be_visible()
    site.screenshot(f"legal-{name}", full_page=False)


def test_profile_avatar(site: Site, server: Server, tmp_path: Path) -> None:
    name = "نورة"
    sign_up(site, name=name, email=unique_email("avatar"))
    page = site.goto("/account")
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["profile.title"])

    page.get_by_label(AR["profile.bio"], exact=True).fill("معلّقة صوتية باللهجة النجدية منذ ٢٠١٥.")
    page.get_by_label(AR["profile.city"], exact=True).fill("الرياض")
    page.get_by_role("button", name=AR["profile.save"]).click()
    expect(page.get_by_text(AR["profile.saved"].rstrip("."))).to_be_visible()

    page = site.reload()
    expect(page.get_by_label(AR["profile.city"], exact=True)).to_have_value("الرياض")
    expect(page.get_by_label(AR["profile.bio"], exact=True)).to_have_value("معلّقة صوتية باللهجة النجدية منذ ٢٠١٥.")

    picker = page.locator("#avatar-upload input[type=file]")
    upload = page.get_by_role("button", name=AR["profile.avatar_upload"])
    picker.set_input_files({"name": "me.png", "mimeType": "image/png", "buffer": png_bytes()})
    expect(page.get_by_text("me.png")).to_be_visible()
    upload.click()
    expect(page.get_by_text(AR["profile.avatar_saved"].rstrip("."))).to_be_visible()

    avatar = main(page).locator("img[src^='/media/avatars/']")
    expect(avatar).to_have_count(1)
    src = avatar.get_attribute("src")
    assert src and re.fullmatch(r"/media/avatars/[0-9a-f]{32}\.webp", src), src
    response = page.request.get(site.url(src))
    assert response.status == 200
    assert response.headers["content-type"] == "image/webp"
    assert response.body()[8:12] == b"WEBP"
    expect(header(page).locator(f"img[src='{src}']")).to_have_count(1)
    site.screenshot("account-avatar")

    fake = tmp_path / "not-an-image.png"
    fake.write_text("هذا ملف نصي وليس صورة\n", encoding="utf-8")
    picker.set_input_files(fake)
    expect(page.get_by_text("not-an-image.png")).to_be_visible()
    upload.click()
    expect(page.get_by_role("alert").filter(has_text="الملف ليس صورة صالحة")).to_be_visible()
    expect(main(page).locator(f"img[src='{src}']")).to_have_count(1)
    site.screenshot("account-avatar-rejected")
