"""The real Reflex handlers of the account pages, on SQLite and Postgres.

Each test builds a fresh state tree (one browser tab, see ``statekit.Browser``), calls the
handler the page would call and checks three things: what the page shows (state vars,
returned redirects), what was committed (read back through a new session) and what was
mailed.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from app import accounts
from app.core import db
from app.core.security import verify_password
from app.core.settings import get_settings
from models.accounts import AuthSession, EmailToken, LoginAttempt, SellerProfile, User
from state.auth import AuthState, _safe_next
from state.profile import ProfileState
from state.session import SessionState
from tests.integration.statekit import (
    CLIENT_IP,
    USER_AGENT,
    Browser,
    add_session,
    add_user,
    ar,
    events_of,
    fast_password_hashing,
    is_event,
    mails,
    png_bytes,
    redirects,
    rows,
    snapshot_database,
    snapshot_files,
    upload,
)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_password_hashing(monkeypatch)


def resolve(token: str) -> accounts.Viewer | None:
    with db.reading() as session:
        return accounts.resolve(session, token)


def link_token(outbox: Path, path: str) -> str:
    [mail] = [m for m in mails(outbox) if path in m]
    match = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_\-]+)", mail)
    assert match, mail
    return match.group(1)


# -- sign-up --------------------------------------------------------------------------------


def test_sign_up_signs_in_and_mails_a_verification_link(database: str, outbox: Path) -> None:
    # given a visitor on the sign-up page
    tab = Browser(path="/signup")
    # when they submit the form
    result = tab.call(AuthState, "sign_up", {"name": "  سارة  ", "email": "Sara@Example.COM", "password": "s3cret-pass"})
    # then they are signed in with a session cookie and sent home
    auth = tab.state(AuthState)
    assert auth.error == ""
    assert len(tab.token) >= 20
    assert auth.signed_in is True and auth.viewer_name == "سارة"
    assert redirects(result) == ["/"]
    # and the account exists, with a hashed password and an unverified address
    [user] = rows(User)
    assert user.email == "sara@example.com"
    assert user.password_hash != "s3cret-pass" and verify_password("s3cret-pass", user.password_hash)[0]
    assert user.email_verified_at is None
    # and the cookie resolves to that account; the session row keeps only the token's hash
    viewer = resolve(tab.token)
    assert viewer is not None and viewer.id == user.id
    [auth_session] = rows(AuthSession)
    assert auth_session.token_hash != tab.token
    assert (auth_session.ip, auth_session.user_agent) == (CLIENT_IP, USER_AGENT)
    # and one verification mail waits in the outbox
    [mail] = mails(outbox)
    assert "To: sara@example.com" in mail and "/verify-email?token=" in mail


def test_sign_up_with_a_taken_email_shows_the_arabic_message(database: str, outbox: Path) -> None:
    # given an account with that address
    add_user("taken@example.com")
    tab = Browser(path="/signup")
    # when someone signs up with it again (in another case)
    result = tab.call(AuthState, "sign_up", {"name": "Other", "email": "TAKEN@example.com", "password": "another-pass"})
    # then the page says so in Arabic, nothing was created and nobody is signed in
    assert tab.state(AuthState).error == ar("auth.email_taken")
    assert result is None
    assert len(rows(User)) == 1 and rows(AuthSession) == [] and rows(EmailToken) == []
    assert tab.token == "" and tab.state(AuthState).signed_in is False
    assert mails(outbox) == []


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ({"name": "Mallory", "email": "mallory@example.com", "password": "1234567"}, "input.password"),
        ({"name": "Mallory", "email": "not-an-email", "password": "long-enough-1"}, "input.email"),
        ({"name": "M", "email": "mallory@example.com", "password": "long-enough-1"}, "input.name"),
        ({"name": "Mallory", "email": "mallory@example.com", "password": 12345678}, "input.password"),
        ("name=Mallory&email=m@example.com&password=long-enough-1", "input.invalid"),
    ],
    ids=["7-char-password", "bad-email", "short-name", "number-password", "not-a-dict"],
)
def test_sign_up_with_invalid_input_creates_nothing(database: str, outbox: Path, form: object, key: str) -> None:
    tab = Browser(path="/signup")
    tab.call(AuthState, "sign_up", form)
    assert tab.state(AuthState).error == ar(key)
    assert rows(User) == [] and mails(outbox) == [] and tab.token == ""


# -- log-in ---------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_and_the_failure_is_committed(database: str) -> None:
    # given an account
    add_user("huda@example.com", password=PASSWORD)
    tab = Browser(path="/login")
    # when someone logs in with a wrong password
    result = tab.call(AuthState, "log_in", {"email": "huda@example.com", "password": "wrong-password"})
    # then the page shows the one generic Arabic sentence and nobody is signed in
    assert tab.state(AuthState).error == ar("auth.bad_credentials")
    assert result is None and tab.token == "" and rows(AuthSession) == []
    # and the failure was committed (read back through a brand-new session): the throttle needs it
    [attempt] = rows(LoginAttempt)
    assert (attempt.email, attempt.ip, attempt.succeeded) == ("huda@example.com", CLIENT_IP, False)


def test_an_unknown_email_gets_the_same_message_and_is_recorded(database: str) -> None:
    tab = Browser(path="/login")
    tab.call(AuthState, "log_in", {"email": "nobody@example.com", "password": "wrong-password"})
    assert tab.state(AuthState).error == ar("auth.bad_credentials")
    assert [(a.email, a.succeeded) for a in rows(LoginAttempt)] == [("nobody@example.com", False)]


def test_junk_that_parses_as_a_log_in_is_one_recorded_failure(database: str) -> None:
    # given an injection string as the address and a short password: log-in checks neither the
    # address format nor the password policy (that would reveal the policy), so this IS an attempt
    add_user("huda@example.com", password=PASSWORD)
    before = rows(User)
    tab = Browser(path="/login")
    tab.call(AuthState, "log_in", {"email": "' OR 1=1 --", "password": "1234567"})
    # then it is refused, recorded verbatim as a failure, and nothing else changed
    assert tab.state(AuthState).error == ar("auth.bad_credentials")
    assert [(a.email, a.succeeded) for a in rows(LoginAttempt)] == [("' or 1=1 --", False)]
    assert rows(User) == before and rows(AuthSession) == [] and tab.token == ""


def test_five_failures_then_the_account_is_throttled(database: str) -> None:
    # given five wrong passwords for one account
    add_user("huda@example.com", password=PASSWORD)
    tab = Browser(path="/login")
    for _ in range(5):
        tab.call(AuthState, "log_in", {"email": "huda@example.com", "password": "wrong-password"})
        assert tab.state(AuthState).error == ar("auth.bad_credentials")
    # when the right password comes next
    result = tab.call(AuthState, "log_in", {"email": "huda@example.com", "password": PASSWORD})
    # then the account cools down: the throttled message, no session, nothing more recorded
    assert tab.state(AuthState).error == ar("auth.throttled", minutes=15)
    assert result is None and tab.token == "" and rows(AuthSession) == []
    assert [a.succeeded for a in rows(LoginAttempt)] == [False] * 5


def test_log_in_signs_in_and_follows_a_same_site_next(database: str) -> None:
    add_user("huda@example.com", name="هدى", password=PASSWORD)
    tab = Browser(path="/login?next=" + quote("/account?tab=password", safe=""))
    result = tab.call(AuthState, "log_in", {"email": " Huda@Example.com ", "password": PASSWORD})
    assert tab.state(AuthState).error == ""
    assert redirects(result) == ["/account?tab=password"]
    assert tab.state(AuthState).signed_in is True and tab.state(AuthState).viewer_name == "هدى"
    viewer = resolve(tab.token)
    assert viewer is not None and viewer.email == "huda@example.com"
    assert [a.succeeded for a in rows(LoginAttempt)] == [True]


OFF_SITE = ["//evil.com", "https://evil.com", "/\\evil.com", "/\t/evil.com"]


def test_log_in_never_redirects_off_site(database: str) -> None:
    add_user("huda@example.com", password=PASSWORD)
    for target in OFF_SITE:
        tab = Browser(path="/login?next=" + quote(target, safe=""))
        assert tab.root.router.url.query_parameters["next"] == target
        result = tab.call(AuthState, "log_in", {"email": "huda@example.com", "password": PASSWORD})
        assert tab.token != "", target
        assert redirects(result) == ["/"], target


@pytest.mark.parametrize(
    "target",
    [*OFF_SITE, "///evil.com", "/\\/evil.com", "\\\\evil.com", "http:evil.com", "javascript:alert(1)",
     "/\nevil", "/\r\n//evil.com", " //evil.com", "evil.com", "", None, ["/account"]],
)
def test_safe_next_refuses_everything_but_same_site_paths(target: object) -> None:
    assert _safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", "/account", "/search?q=%D8%B5%D9%88%D8%AA", "/gigs/voice-over#top"])
def test_safe_next_keeps_same_site_paths(target: str) -> None:
    assert _safe_next(target) == target


@pytest.mark.parametrize(
    "form",
    [
        {"email": "huda\x00@example.com", "password": PASSWORD},
        {"email": "huda@example.com\x00", "password": PASSWORD},
        {"email": "\ud800@example.com", "password": PASSWORD},
        {"email": "huda@example.com", "password": "\ud800\ud800"},
        {"email": "huda@example.com", "password": "pass\x00word"},
    ],
    ids=["nul-in-email", "trailing-nul", "surrogate-email", "surrogate-password", "nul-in-password"],
)
def test_log_in_with_nul_or_lone_surrogates_fails_gracefully(database: str, form: dict[str, str]) -> None:
    # Postgres refuses NUL in text and UTF-8 refuses lone surrogates: neither may escape as a crash
    add_user("huda@example.com", password=PASSWORD)
    tab = Browser(path="/login")
    tab.call(AuthState, "log_in", form)
    assert tab.state(AuthState).error != "" and tab.token == "" and rows(AuthSession) == []


# -- sessions -------------------------------------------------------------------------------


def test_log_out_revokes_the_session(database: str) -> None:
    # given a signed-in tab
    token = add_session(add_user("huda@example.com", name="هدى"))
    tab = Browser(token=token)
    tab.call(SessionState, "refresh")
    assert tab.state(SessionState).signed_in is True and tab.state(SessionState).viewer_name == "هدى"
    # when they log out
    result = tab.call(SessionState, "log_out")
    # then the cookie is cleared, the page forgets them and the old token is dead server-side
    assert tab.token == "" and tab.state(SessionState).signed_in is False
    assert redirects(result) == ["/"]
    assert resolve(token) is None
    [auth_session] = rows(AuthSession)
    assert auth_session.revoked_at is not None
    # and a copy of the old cookie is refused at once by every guarded handler
    replay = Browser(token=token)
    replay.call(ProfileState, "save_profile", {"name": "Mallory"})
    assert replay.state(ProfileState).error == ar("auth.sign_in_required")
    assert rows(User)[0].name == "هدى"


def test_log_out_forgets_the_profile_page_in_that_tab(database: str) -> None:
    # given a signed-in tab that opened its profile page (a shared computer)
    tab = Browser(token=add_session(add_user("huda@example.com", name="هدى")), path="/account")
    tab.call(ProfileState, "open_page")
    assert tab.state(ProfileState).email == "huda@example.com"
    # when they log out
    tab.call(SessionState, "log_out")
    # then the next person at the keyboard sees none of it
    profile = tab.state(ProfileState)
    assert (profile.name, profile.email, profile.bio, profile.loaded) == ("", "", "", False)


@pytest.mark.parametrize(
    "token",
    ["\ud800" * 43, "\x00" * 43, "x" * 100_000, "' OR 1=1 --" * 4, "<script>alert(1)</script>" * 2],
    ids=["surrogates", "nul", "huge", "sql", "html"],
)
def test_a_forged_cookie_is_no_session(database: str, token: str) -> None:
    add_session(add_user("huda@example.com"))
    before = snapshot_database()
    tab = Browser(token=token)
    tab.call(SessionState, "refresh")
    assert tab.state(SessionState).signed_in is False
    tab.call(ProfileState, "save_profile", {"name": "Mallory"})
    assert tab.state(ProfileState).error == ar("auth.sign_in_required")
    tab.call(SessionState, "log_out")
    assert snapshot_database() == before


def test_toggle_language_flips_between_arabic_and_english() -> None:
    tab = Browser(lang="ar")
    session = tab.state(SessionState)
    result = tab.call(SessionState, "toggle_language")
    assert session.lang == "en" and session.is_en is True and session.text_dir == "ltr"
    assert all(is_event(e) for e in events_of(result)) and "dir='ltr'" in repr(result)
    tab.call(SessionState, "toggle_language")
    assert session.lang == "ar" and session.text_dir == "rtl"
    # a tampered language cookie counts as Arabic, so the toggle leads to English
    junk = Browser(lang="<script>")
    junk.call(SessionState, "toggle_language")
    assert junk.state(SessionState).lang == "en"


# -- e-mail links ---------------------------------------------------------------------------


def test_the_verification_link_verifies_the_address(database: str, outbox: Path) -> None:
    tab = Browser(path="/signup")
    tab.call(AuthState, "sign_up", {"name": "سارة", "email": "sara@example.com", "password": "s3cret-pass"})
    token = link_token(outbox, "/verify-email")
    # when the link is opened in the signed-in tab
    tab.visit(f"/verify-email?token={token}")
    tab.call(AuthState, "verify_email")
    auth = tab.state(AuthState)
    assert auth.error == "" and auth.notice == ar("auth.verify_done") and auth.done is True
    assert auth.email_verified is True and auth._link_token == ""
    assert rows(User)[0].email_verified_at is not None
    # and the link works only once
    again = Browser(path=f"/verify-email?token={token}")
    again.call(AuthState, "verify_email")
    assert again.state(AuthState).error == ar("auth.link_invalid")


def test_password_reset_by_mailed_link(database: str, outbox: Path) -> None:
    uid = add_user("huda@example.com", password=PASSWORD)
    old_session = add_session(uid)
    # a request for an unknown address looks the same and mails nothing (no enumeration)
    tab = Browser(path="/forgot-password")
    tab.call(AuthState, "request_reset", {"email": "nobody@example.com"})
    assert tab.state(AuthState).notice == ar("auth.reset_sent") and mails(outbox) == []
    tab.call(AuthState, "request_reset", {"email": "HUDA@example.com"})
    assert tab.state(AuthState).notice == ar("auth.reset_sent")
    token = link_token(outbox, "/reset-password")
    # when the link is opened, the token stays server-side
    link = Browser(path=f"/reset-password?token={token}")
    link.call(AuthState, "open_link")
    assert link.state(AuthState)._link_token == token and token not in link.client_json()
    link.call(AuthState, "reset_password", {"password": "brand-new-pass", "token": "ignored"})
    # then the password changed, every session ended and the link is spent
    assert link.state(AuthState).notice == ar("auth.reset_done") and link.state(AuthState)._link_token == ""
    assert verify_password("brand-new-pass", rows(User)[0].password_hash)[0]
    assert resolve(old_session) is None
    link.call(AuthState, "open_link")
    link.call(AuthState, "reset_password", {"password": "third-password"})
    assert link.state(AuthState).error == ar("auth.link_invalid")


# -- profile --------------------------------------------------------------------------------


def test_save_profile_stores_markup_and_sql_verbatim(database: str) -> None:
    token = add_session(add_user("huda@example.com", name="هدى"))
    tab = Browser(token=token, path="/account")
    tab.call(ProfileState, "open_page")
    name = "<script>alert('x')</script>"
    bio = "'; DROP TABLE user_account; --\n<b onmouseover=alert(1)>hi</b> {{7*7}} ${x}"
    city = "Robert'); DROP TABLE seller_profile;--"
    result = tab.call(ProfileState, "save_profile", {"name": name, "bio": bio, "city": city, "languages": "العربية، English"})
    profile = tab.state(ProfileState)
    assert profile.error == "" and all(is_event(e) for e in events_of(result))
    [user] = rows(User)
    assert (user.name, user.bio, user.city, user.languages) == (name, bio, city, "العربية,English")
    assert (profile.name, profile.bio, profile.city, profile.viewer_name) == (name, bio, city, name)
    assert rows(SellerProfile) == []  # the table is still there


def test_profile_handlers_without_a_session_change_nothing(database: str, outbox: Path) -> None:
    add_session(add_user("huda@example.com", name="هدى", password=PASSWORD))
    before = (snapshot_database(), snapshot_files())
    tab = Browser(path="/account")
    assert redirects(tab.call(ProfileState, "open_page")) == ["/login?next=/account"]
    tab.call(ProfileState, "save_profile", {"name": "Mallory", "email": "huda@example.com"})
    assert tab.state(ProfileState).error == ar("auth.sign_in_required")
    tab.call(ProfileState, "change_password", {"current_password": PASSWORD, "new_password": "pwned-pass"})
    assert tab.state(ProfileState).password_error == ar("auth.sign_in_required")
    tab.call(ProfileState, "upload_avatar", [upload(png_bytes())])
    assert tab.state(ProfileState).avatar_error == ar("auth.sign_in_required")
    toast = tab.call(ProfileState, "become_seller")
    assert is_event(toast) and ar("auth.sign_in_required") in repr(toast)
    assert (snapshot_database(), snapshot_files()) == before
    assert tab.state(ProfileState).name == "" and tab.state(ProfileState).email == ""


def test_change_password_checks_the_current_one_and_ends_other_sessions(database: str) -> None:
    uid = add_user("huda@example.com", password=PASSWORD)
    current, other = add_session(uid), add_session(uid)
    tab = Browser(token=current, path="/account")
    tab.call(ProfileState, "change_password", {"current_password": "wrong-password", "new_password": "brand-new-pass"})
    assert tab.state(ProfileState).password_error == ar("auth.wrong_password")
    tab.call(ProfileState, "change_password", {"current_password": PASSWORD, "new_password": "short"})
    assert tab.state(ProfileState).password_error == ar("input.new_password")
    assert verify_password(PASSWORD, rows(User)[0].password_hash)[0]
    result = tab.call(ProfileState, "change_password", {"current_password": PASSWORD, "new_password": "brand-new-pass"})
    assert tab.state(ProfileState).password_error == "" and is_event(result)
    stored = rows(User)[0].password_hash
    assert verify_password("brand-new-pass", stored)[0] and not verify_password(PASSWORD, stored)[0]
    assert resolve(current) is not None and resolve(other) is None


def test_become_seller_once(database: str) -> None:
    uid = add_user("huda@example.com")
    tab = Browser(token=add_session(uid), path="/account")
    assert tab.state(ProfileState).is_seller is False
    tab.call(ProfileState, "become_seller")
    assert tab.state(ProfileState).is_seller is True
    tab.call(ProfileState, "become_seller")
    assert [p.user_id for p in rows(SellerProfile)] == [uid]
    fresh = Browser(token=tab.token)
    fresh.call(SessionState, "refresh")
    assert fresh.state(SessionState).is_seller is True


def test_upload_avatar_reencodes_and_replaces_the_file(database: str) -> None:
    tab = Browser(token=add_session(add_user("huda@example.com")), path="/account")
    media = get_settings().media_dir
    tab.call(ProfileState, "upload_avatar", [upload(b"GIF89a but not really")])
    assert tab.state(ProfileState).avatar_error == ar("profile.avatar_not_image")
    tab.call(ProfileState, "upload_avatar", [upload(png_bytes())])
    first = tab.state(ProfileState).avatar
    assert tab.state(ProfileState).avatar_error == "" and re.fullmatch(r"/media/avatars/[0-9a-f]{32}\.webp", first)
    assert (media / first.removeprefix("/media/")).read_bytes()[8:12] == b"WEBP"
    tab.call(ProfileState, "upload_avatar", [upload(png_bytes(64))])
    second = tab.state(ProfileState).avatar
    assert second != first and not (media / first.removeprefix("/media/")).exists()
    assert rows(User)[0].avatar_file == second.removeprefix("/media/")
