"""Accounts end to end on SQLite and Postgres: sign-up and mail, log-in and throttling,
sessions, password change and reset, profiles, avatars, seller mode, admins and demo data.

Every service runs inside ``transaction()`` on the default database, as the UI and the CLI
call them, so commits and after-commit mail really happen.
"""

from __future__ import annotations

import email
import io
import re
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from passlib.hash import pbkdf2_sha256
from PIL import Image
from sqlmodel import select

from tests.passwords import use_fast_password_hashing
from app.accounts import (
    AccountError,
    EmailInput,
    LogInInput,
    PasswordChangeInput,
    ProfileInput,
    ResetInput,
    SignUpInput,
    become_seller,
    change_password,
    count_users,
    create_admin,
    get_profile,
    get_user_by_email,
    log_in,
    log_out,
    parse,
    request_reset,
    reset_password,
    resolve,
    set_avatar,
    sign_up,
    update_profile,
    verify_email,
)
from app.accounts import registration
from app.core import clock, security
from app.core.db import reading, transaction
from app.core.settings import get_settings
from app.demo import DEMO_PASSWORD, seed_demo
from models.accounts import AuthSession, EmailToken, LoginAttempt, Role, User

PASSWORD = "kalimat-sirr-2026"
T0 = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production argon2 costs ~0.1-0.3 s per hash; these tests check behaviour, not cost.

    Same schemes and the same deprecation rule, so rehash-on-login still works; the real
    parameters are covered by tests/unit/test_security.py.
    """
    use_fast_password_hashing(monkeypatch)


# --- helpers -------------------------------------------------------------------------------


def _sign_up(email_address: str = "noura@example.com", *, name: str = "نورة الشمري", password: str = PASSWORD) -> User:
    data = parse(SignUpInput, {"name": name, "email": email_address, "password": password})
    with transaction() as session:
        return sign_up(session, data)


def _log_in(email_address: str, password: str = PASSWORD, *, ip: str = ""):  # type: ignore[no-untyped-def]
    with transaction() as session:
        return log_in(session, LogInInput(email=email_address, password=password), ip=ip, user_agent="pytest")


def _resolve(token: object):  # type: ignore[no-untyped-def]
    with reading() as session:
        return resolve(session, token)


def _users() -> int:
    with reading() as session:
        return count_users(session)


def _user(email_address: str) -> User:
    """The stored row, detached with its values loaded (``reading()`` rolls back on exit)."""
    with reading() as session:
        user = get_user_by_email(session, email_address)
        assert user is not None
        session.expunge(user)
        return user


def _mails(outbox: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sorted(outbox.glob("*.eml"))
    ]


def _only_mail(outbox: Path) -> email.message.EmailMessage:
    mails = _mails(outbox)
    assert len(mails) == 1, f"expected one mail, found {len(mails)}"
    return mails[0]


def _link_token(message: email.message.EmailMessage, path: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    base = re.escape(get_settings().base_url)
    found = re.findall(base + re.escape(path) + r"\?token=([A-Za-z0-9_-]+)\s", body + "\n")
    assert len(found) == 1, body
    return found[0]


def _png(color=(20, 140, 90), size=(64, 48)) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def _error(call) -> AccountError:  # type: ignore[no-untyped-def]
    with pytest.raises(AccountError) as caught:
        call()
    return caught.value


# --- sign-up and verification ----------------------------------------------------------------


def test_sign_up_creates_the_user_and_mails_a_verification_link(database, outbox):
    """One committed sign-up: one unverified buyer and one .eml with a working link."""
    # given an empty store
    assert _users() == 0
    # when someone signs up
    user = _sign_up("Noura@Example.com")
    # then the account exists, unverified, with an argon2 hash (never the password)
    stored = _user("noura@example.com")
    assert stored.id == user.id
    assert stored.role == Role.USER.value
    assert stored.email_verified_at is None
    assert stored.password_hash.startswith("$argon2") and PASSWORD not in stored.password_hash
    # and one mail went to the normalised address, in Arabic, with a /verify-email link
    message = _only_mail(outbox)
    assert message["To"] == "noura@example.com"
    assert message["Content-Language"] == "ar"
    assert "مِهَن" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None
    token = _link_token(message, "/verify-email")
    # and only the token's hash is stored
    with reading() as session:
        hashes = session.exec(select(EmailToken.token_hash)).all()
    assert token not in hashes and len(hashes) == 1


def test_the_mailed_token_verifies_the_email_once(database, outbox):
    """Following the link confirms the address; the same link cannot be replayed."""
    # given a fresh sign-up and its mailed token
    _sign_up()
    token = _link_token(_only_mail(outbox), "/verify-email")
    # when the token is redeemed
    with transaction() as session:
        verified = verify_email(session, token=token)
    # then the address is verified
    assert verified.email_verified_at is not None
    assert _user("noura@example.com").email_verified_at is not None
    # and using it again fails with auth.link_invalid
    def again() -> None:
        with transaction() as session:
            verify_email(session, token=token)

    assert _error(again).key == "auth.link_invalid"


def test_an_unknown_or_wrong_purpose_token_is_invalid(database, outbox):
    """A made-up token or a reset token cannot verify an address."""
    # given a user with a reset link in the mail
    _sign_up()
    for item in outbox.iterdir():
        item.unlink()
    with transaction() as session:
        request_reset(session, EmailInput(email="noura@example.com"))
    reset_token = _link_token(_only_mail(outbox), "/reset-password")
    # when those are used to verify
    for token in ("x" * 43, reset_token):

        def attempt(token: str = token) -> None:
            with transaction() as session:
                verify_email(session, token=token)

        # then each is refused
        assert _error(attempt).key == "auth.link_invalid"


def test_verification_link_expires_after_three_days(database, outbox):
    """A link older than three days is refused; one just younger still works."""
    # given two sign-ups at the same instant
    with clock.frozen(T0) as move:
        _sign_up("early@example.com")
        _sign_up("late@example.com")
        tokens = {message["To"]: _link_token(message, "/verify-email") for message in _mails(outbox)}
        assert len(set(tokens.values())) == 2

        # when one is used a minute before three days have passed
        move(T0 + timedelta(days=3) - timedelta(minutes=1))
        with transaction() as session:
            verify_email(session, token=tokens["early@example.com"])

        # and the other exactly three days after
        move(T0 + timedelta(days=3))

        def expired() -> None:
            with transaction() as session:
                verify_email(session, token=tokens["late@example.com"])

        # then the first verified and the second is refused
        assert _error(expired).key == "auth.link_invalid"
    assert _user("early@example.com").email_verified_at is not None
    assert _user("late@example.com").email_verified_at is None


@pytest.mark.parametrize("second", ["noura@example.com", "NOURA@Example.COM", "  Noura@example.com "])
def test_taken_email_is_refused_case_insensitively_and_nothing_is_written(database, outbox, second):
    """Signing up twice with one address (any case) creates nothing and sends nothing."""
    # given an existing account and its verification mail
    _sign_up("noura@example.com")
    users_before = _users()
    with reading() as session:
        tokens_before = len(session.exec(select(EmailToken)).all())
    # when the address is used again
    error = _error(lambda: _sign_up(second, name="منتحل"))
    # then it is auth.email_taken and nothing was half-written
    assert error.key == "auth.email_taken"
    assert _users() == users_before == 1
    with reading() as session:
        assert len(session.exec(select(EmailToken)).all()) == tokens_before
    assert len(_mails(outbox)) == 1
    assert _user("noura@example.com").name == "نورة الشمري"


def test_a_sign_up_that_loses_the_race_reports_email_taken(database, outbox, monkeypatch):
    """When two sign-ups pass the look-up together, the unique index decides, cleanly."""
    # given an existing account and a look-up that misses it (as in a concurrent sign-up)
    _sign_up("noura@example.com")
    monkeypatch.setattr(registration, "get_user_by_email", lambda session, address: None)
    # when the same address signs up
    error = _error(lambda: _sign_up("noura@example.com", name="منتحل"))
    # then the database's unique constraint becomes auth.email_taken and nothing was written
    assert error.key == "auth.email_taken"
    assert _users() == 1
    assert len(_mails(outbox)) == 1


def test_a_rolled_back_sign_up_sends_no_mail(database, outbox):
    """Mail leaves only after commit, so no link points at an account that does not exist."""
    # given a sign-up inside a transaction that then fails
    data = parse(SignUpInput, {"name": "نورة", "email": "noura@example.com", "password": PASSWORD})
    with pytest.raises(RuntimeError):
        with transaction() as session:
            sign_up(session, data)
            raise RuntimeError("something after the sign-up failed")
    # when the outbox and users are checked
    # then neither has anything
    assert _mails(outbox) == []
    assert _users() == 0


def test_sign_up_mail_in_english(database, outbox):
    """The mail follows the language of the page the person signed up on."""
    # given an English sign-up
    data = parse(SignUpInput, {"name": "Sam", "email": "sam@example.com", "password": PASSWORD})
    # when it commits
    with transaction() as session:
        sign_up(session, data, lang="en")
    # then the mail is English and still carries the link
    message = _only_mail(outbox)
    assert message["Content-Language"] == "en"
    assert "Sam" in message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert _link_token(message, "/verify-email")


# --- log-in --------------------------------------------------------------------------------


def test_log_in_with_the_right_password_opens_a_session_for_the_viewer(database, outbox):
    """The returned token is what the browser keeps; it resolves to the same person."""
    # given an account
    user = _sign_up("noura@example.com")
    # when the person logs in (with different capitalisation)
    sign_in = _log_in("  NOURA@example.com ")
    # then a session opens and its token resolves to the viewer
    assert sign_in is not None
    assert sign_in.viewer.id == user.id and sign_in.viewer.email == "noura@example.com"
    viewer = _resolve(sign_in.token)
    assert viewer is not None and viewer.id == user.id
    assert viewer.name == "نورة الشمري" and not viewer.is_admin and not viewer.is_seller
    # and only the token's hash is stored
    with reading() as session:
        rows = [(row.token_hash, row.user_agent) for row in session.exec(select(AuthSession)).all()]
    assert len(rows) == 1
    assert rows[0][0] != sign_in.token and rows[0][0] == security.hash_token(sign_in.token)
    assert rows[0][1] == "pytest"


def test_wrong_password_and_unknown_email_behave_the_same(database, outbox):
    """No account enumeration: both get None and both are recorded as failures."""
    # given an account
    _sign_up("noura@example.com")
    # when a wrong password and an unknown address are tried
    wrong_password = _log_in("noura@example.com", "not-the-password")
    unknown_email = _log_in("nobody@example.com", PASSWORD)
    # then both return None and both attempts were recorded as failed
    assert wrong_password is None and unknown_email is None
    with reading() as session:
        attempts = [(a.email, a.succeeded) for a in session.exec(select(LoginAttempt).order_by(LoginAttempt.id)).all()]
        sessions = session.exec(select(AuthSession)).all()
    assert attempts == [
        ("noura@example.com", False),
        ("nobody@example.com", False),
    ]
    assert sessions == []


def test_log_in_upgrades_an_old_pbkdf2_hash(database, outbox):
    """Imported hashes become argon2 at the first successful log-in."""
    # given an account whose stored hash is pbkdf2
    _sign_up("noura@example.com")
    with transaction() as session:
        user = get_user_by_email(session, "noura@example.com")
        assert user is not None
        user.password_hash = pbkdf2_sha256.hash(PASSWORD)
        session.add(user)
    # when the person logs in
    assert _log_in("noura@example.com") is not None
    # then the stored hash is argon2 and still accepts the password
    assert _user("noura@example.com").password_hash.startswith("$argon2")
    assert _log_in("noura@example.com") is not None


def test_inactive_account_cannot_log_in_or_keep_its_session(database, outbox):
    """Deactivating an account locks it out at once."""
    # given a logged-in account
    _sign_up("noura@example.com")
    sign_in = _log_in("noura@example.com")
    assert sign_in is not None
    # when it is deactivated
    with transaction() as session:
        user = get_user_by_email(session, "noura@example.com")
        assert user is not None
        user.is_active = False
        session.add(user)
    # then its session no longer resolves and the right password does not log in
    assert _resolve(sign_in.token) is None
    assert _log_in("noura@example.com") is None


# --- throttling ----------------------------------------------------------------------------


def test_five_failures_throttle_the_account_for_fifteen_minutes(database, outbox):
    """After five wrong passwords even the right one waits out the cool-down."""
    _sign_up("noura@example.com")
    with clock.frozen(T0) as move:
        # given five failed attempts
        for _ in range(5):
            assert _log_in("noura@example.com", "wrong-password") is None
        # when the right password is tried
        error = _error(lambda: _log_in("noura@example.com"))
        # then it is throttled for 15 minutes, with the minutes in the message
        assert error.key == "auth.throttled"
        assert error.params == {"minutes": 15}
        assert "15" in error.message("ar") and "15" in error.message("en")
        # and the throttled attempt was not recorded (the transaction rolled back)
        with reading() as session:
            assert len(session.exec(select(LoginAttempt)).all()) == 5
        # and ten minutes later five remain
        move(T0 + timedelta(minutes=10))
        assert _error(lambda: _log_in("noura@example.com")).params == {"minutes": 5}
        # when the clock moves past the cool-down
        move(T0 + timedelta(minutes=15))
        # then the right password works
        assert _log_in("noura@example.com") is not None


def test_the_account_throttle_is_case_insensitive(database, outbox):
    """Changing the capitals of the address does not reset the count."""
    # given five failures with differently capitalised addresses
    _sign_up("noura@example.com")
    with clock.frozen(T0):
        for address in ("noura@example.com", "NOURA@example.com", "Noura@Example.com", "noura@EXAMPLE.com", "NOURA@EXAMPLE.COM"):
            assert _log_in(address, "wrong-password") is None
        # when the right password is tried
        # then it is throttled
        assert _error(lambda: _log_in("noura@example.com")).key == "auth.throttled"


def test_four_failures_do_not_throttle_and_a_success_starts_clean(database, outbox):
    """Only the fifth failure counts, and a success resets the count."""
    _sign_up("noura@example.com")
    with clock.frozen(T0) as move:
        # given four failures and then a success
        for minute in range(4):
            move(T0 + timedelta(minutes=minute))
            assert _log_in("noura@example.com", "wrong-password") is None
        move(T0 + timedelta(minutes=4))
        assert _log_in("noura@example.com") is not None
        # when four more failures follow
        for minute in range(5, 9):
            move(T0 + timedelta(minutes=minute))
            assert _log_in("noura@example.com", "wrong-password") is None
        # then the right password still works (eight failures in the window, four since the success)
        move(T0 + timedelta(minutes=9))
        assert _log_in("noura@example.com") is not None


def test_five_failures_from_one_ip_throttle_that_ip_across_addresses(database, outbox):
    """Guessing many accounts from one address is slowed down too."""
    _sign_up("noura@example.com")
    with clock.frozen(T0) as move:
        # given five failures from one IP, each for a different address
        for n in range(5):
            assert _log_in(f"guess{n}@example.com", "wrong-password", ip="203.0.113.7") is None
        # when a real account logs in from that IP with the right password
        error = _error(lambda: _log_in("noura@example.com", ip="203.0.113.7"))
        # then the IP is throttled, while another IP gets in
        assert error.key == "auth.throttled" and error.params == {"minutes": 15}
        assert _log_in("noura@example.com", ip="198.51.100.9") is not None
        # and after the cool-down the first IP works again
        move(T0 + timedelta(minutes=15))
        assert _log_in("noura@example.com", ip="203.0.113.7") is not None


def test_old_failures_outside_the_window_do_not_count(database, outbox):
    """Failures spread over hours are a forgetful person, not an attack."""
    _sign_up("noura@example.com")
    with clock.frozen(T0) as move:
        # given four failures, then a fifth twenty minutes later
        for _ in range(4):
            assert _log_in("noura@example.com", "wrong-password") is None
        move(T0 + timedelta(minutes=20))
        assert _log_in("noura@example.com", "wrong-password") is None
        # when the right password is tried
        # then it works
        assert _log_in("noura@example.com") is not None


# --- sessions ------------------------------------------------------------------------------


def test_log_out_revokes_only_that_session(database, outbox):
    """Logging out on the phone keeps the laptop signed in."""
    # given two sessions
    _sign_up("noura@example.com")
    phone, laptop = _log_in("noura@example.com"), _log_in("noura@example.com")
    assert phone is not None and laptop is not None and phone.token != laptop.token
    # when one logs out
    with transaction() as session:
        log_out(session, phone.token)
    # then it no longer resolves and the other still does
    assert _resolve(phone.token) is None
    assert _resolve(laptop.token) is not None


@pytest.mark.parametrize("token", [None, "", 42, "short", "x" * 101, "x" * 43])
def test_resolve_returns_none_for_anything_but_a_live_token(database, token):
    """Cookies hold anything; resolve never raises."""
    # given a malformed or unknown token
    # when it is resolved
    # then there is no viewer
    assert _resolve(token) is None


def test_session_expires_after_session_days(database, outbox):
    """A sign-in lasts ``MIHAN_SESSION_DAYS`` and not a minute longer."""
    _sign_up("noura@example.com")
    days = get_settings().session_days
    with clock.frozen(T0) as move:
        # given a session opened at T0
        sign_in = _log_in("noura@example.com")
        assert sign_in is not None
        # when the clock is a minute before expiry, then at expiry
        move(T0 + timedelta(days=days) - timedelta(minutes=1))
        before = _resolve(sign_in.token)
        move(T0 + timedelta(days=days))
        after = _resolve(sign_in.token)
    # then it resolves before and not after
    assert before is not None
    assert after is None


def test_change_password_keeps_the_current_session_and_revokes_the_others(database, outbox):
    """After a password change only the device that made it stays signed in."""
    # given three sessions
    user = _sign_up("noura@example.com")
    current, other, third = (_log_in("noura@example.com") for _ in range(3))
    assert current and other and third
    # when the password is changed from the current one
    with transaction() as session:
        change_password(
            session,
            user_id=user.id,  # type: ignore[arg-type]
            data=PasswordChangeInput(current_password=PASSWORD, new_password="new-password-99"),
            current_token=current.token,
        )
    # then the current session lives and the others are revoked
    assert _resolve(current.token) is not None
    assert _resolve(other.token) is None and _resolve(third.token) is None
    # and only the new password logs in
    assert _log_in("noura@example.com", PASSWORD) is None
    assert _log_in("noura@example.com", "new-password-99") is not None


def test_change_password_with_a_wrong_current_password_changes_nothing(database, outbox):
    """Someone at an unlocked laptop cannot take over the account."""
    # given a signed-in account
    user = _sign_up("noura@example.com")
    current = _log_in("noura@example.com")
    other = _log_in("noura@example.com")
    assert current and other

    # when the change is attempted with a wrong current password
    def attempt() -> None:
        with transaction() as session:
            change_password(
                session,
                user_id=user.id,  # type: ignore[arg-type]
                data=PasswordChangeInput(current_password="guess-guess", new_password="new-password-99"),
                current_token=current.token,
            )

    # then it is refused and nothing changed
    assert _error(attempt).key == "auth.wrong_password"
    assert _resolve(other.token) is not None
    assert _log_in("noura@example.com") is not None


# --- password reset --------------------------------------------------------------------------


def test_reset_password_sets_the_password_and_revokes_every_session(database, outbox):
    """A reset (maybe after a compromise) signs the account out everywhere."""
    # given an unverified account with two sessions and a requested reset link
    _sign_up("noura@example.com")
    first, second = _log_in("noura@example.com"), _log_in("noura@example.com")
    assert first and second
    for item in outbox.iterdir():
        item.unlink()
    with transaction() as session:
        request_reset(session, EmailInput(email="Noura@Example.com"))
    message = _only_mail(outbox)
    assert message["To"] == "noura@example.com"
    token = _link_token(message, "/reset-password")
    # when the link is used with a new password
    with transaction() as session:
        reset_password(session, ResetInput(token=token, password="brand-new-pass"))
    # then every session is revoked, only the new password works, and the address counts as verified
    assert _resolve(first.token) is None and _resolve(second.token) is None
    assert _log_in("noura@example.com", PASSWORD) is None
    assert _log_in("noura@example.com", "brand-new-pass") is not None
    assert _user("noura@example.com").email_verified_at is not None

    # and the link cannot be used twice
    def again() -> None:
        with transaction() as session:
            reset_password(session, ResetInput(token=token, password="another-pass-1"))

    assert _error(again).key == "auth.link_invalid"


def test_request_reset_for_an_unknown_email_is_silent(database, outbox):
    """Asking for a reset tells nobody whether the address has an account."""
    # given an account
    _sign_up("noura@example.com")
    for item in outbox.iterdir():
        item.unlink()
    # when a reset is requested for an address without an account
    with transaction() as session:
        request_reset(session, EmailInput(email="nobody@example.com"))
    # then nothing is raised, mailed or stored
    assert _mails(outbox) == []
    with reading() as session:
        assert session.exec(select(EmailToken).where(EmailToken.purpose == "reset_password")).all() == []


def test_reset_link_expires_after_one_hour(database, outbox):
    """Reset links are short-lived."""
    # given two users who requested a reset at T0
    _sign_up("early@example.com")
    _sign_up("late@example.com")
    for item in outbox.iterdir():
        item.unlink()
    with clock.frozen(T0) as move:
        with transaction() as session:
            request_reset(session, EmailInput(email="early@example.com"))
            request_reset(session, EmailInput(email="late@example.com"))
        tokens = {m["To"]: _link_token(m, "/reset-password") for m in _mails(outbox)}
        # when one link is used 59 minutes later and the other after an hour
        move(T0 + timedelta(minutes=59))
        with transaction() as session:
            reset_password(session, ResetInput(token=tokens["early@example.com"], password="brand-new-pass"))
        move(T0 + timedelta(hours=1))

        def expired() -> None:
            with transaction() as session:
                reset_password(session, ResetInput(token=tokens["late@example.com"], password="brand-new-pass"))

        # then the first works and the second is refused
        assert _error(expired).key == "auth.link_invalid"
    assert _log_in("early@example.com", "brand-new-pass") is not None
    assert _log_in("late@example.com", PASSWORD) is not None


# --- profile, avatar, seller mode ------------------------------------------------------------


def test_update_profile_saves_the_fields(database, outbox):
    """The profile form round-trips, languages de-duplicated in order."""
    # given an account
    user = _sign_up("noura@example.com")
    data = parse(
        ProfileInput,
        {
            "name": "  نورة ع. الشمري ",
            "bio": "معلّقة صوتية حجازية.\nتسليم خلال يومين.",
            "city": "جدة",
            "languages": ["العربية", "الإنجليزية", "العربية", "a,b"],
        },
    )
    # when the profile is updated
    with transaction() as session:
        update_profile(session, user_id=user.id, data=data)  # type: ignore[arg-type]
    with reading() as session:
        update = get_profile(session, user_id=user.id)  # type: ignore[arg-type]
    # then the stored profile shows the new values
    assert update.name == "نورة ع. الشمري"
    assert update.bio == "معلّقة صوتية حجازية.\nتسليم خلال يومين."
    assert update.city == "جدة"
    assert update.languages == ("العربية", "الإنجليزية", "a b")
    assert update.email == "noura@example.com" and update.avatar_url == "" and not update.is_seller
    assert _user("noura@example.com").name == "نورة ع. الشمري"


def test_set_avatar_stores_a_webp_under_the_media_dir(database, outbox):
    """The stored file is our re-encoded WebP, served from /media/."""
    # given an account
    user = _sign_up("noura@example.com")
    media = get_settings().media_dir
    # when a PNG is set as avatar
    with transaction() as session:
        url = set_avatar(session, user_id=user.id, data=_png())  # type: ignore[arg-type]
    # then the URL points to a 256x256 WebP under media_dir, recorded on the user
    assert re.fullmatch(r"/media/avatars/[0-9a-f]{32}\.webp", url)
    path = media / url.removeprefix("/media/")
    with Image.open(path) as image:
        assert (image.format, image.size) == ("WEBP", (256, 256))
    assert _user("noura@example.com").avatar_file == url.removeprefix("/media/")
    with reading() as session:
        assert get_profile(session, user_id=user.id).avatar_url == url  # type: ignore[arg-type]


def test_set_avatar_removes_the_old_file_only_after_commit(database, outbox):
    """Until the new avatar is committed the old file must stay: pages still show it."""
    # given an account with an avatar
    user = _sign_up("noura@example.com")
    media = get_settings().media_dir
    with transaction() as session:
        old_url = set_avatar(session, user_id=user.id, data=_png((200, 0, 0)))  # type: ignore[arg-type]
    old_path = media / old_url.removeprefix("/media/")
    # when a new avatar is set
    with transaction() as session:
        new_url = set_avatar(session, user_id=user.id, data=_png((0, 0, 200)))  # type: ignore[arg-type]
        # then inside the transaction both files exist
        new_path = media / new_url.removeprefix("/media/")
        assert old_path.exists() and new_path.exists()
    # and after the commit the old one is gone and the new one recorded
    assert not old_path.exists()
    assert new_path.exists()
    assert _user("noura@example.com").avatar_file == new_url.removeprefix("/media/")


def test_a_rolled_back_avatar_change_keeps_the_old_file(database, outbox):
    """If the transaction fails the user keeps a working avatar."""
    # given an account with an avatar
    user = _sign_up("noura@example.com")
    media = get_settings().media_dir
    with transaction() as session:
        old_url = set_avatar(session, user_id=user.id, data=_png())  # type: ignore[arg-type]
    # when a second change is rolled back
    with pytest.raises(RuntimeError):
        with transaction() as session:
            set_avatar(session, user_id=user.id, data=_png((0, 0, 200)))  # type: ignore[arg-type]
            raise RuntimeError("later step failed")
    # then the old file is still there and still recorded
    assert (media / old_url.removeprefix("/media/")).exists()
    assert _user("noura@example.com").avatar_file == old_url.removeprefix("/media/")


def test_set_avatar_refuses_a_non_image_and_keeps_the_old_one(database, outbox):
    """A bad upload is a message, not a lost avatar."""
    # given an account with an avatar
    user = _sign_up("noura@example.com")
    with transaction() as session:
        old_url = set_avatar(session, user_id=user.id, data=_png())  # type: ignore[arg-type]

    # when a text file is uploaded
    def upload() -> None:
        with transaction() as session:
            set_avatar(session, user_id=user.id, data=b"not an image at all")  # type: ignore[arg-type]

    # then it is refused and the avatar is unchanged
    assert _error(upload).key == "profile.avatar_not_image"
    assert _user("noura@example.com").avatar_file == old_url.removeprefix("/media/")


def test_become_seller_once(database, outbox):
    """Switching to seller mode is idempotent and shows on the viewer."""
    # given a buyer
    user = _sign_up("noura@example.com")
    # when seller mode is asked for twice
    with transaction() as session:
        first = become_seller(session, user_id=user.id)  # type: ignore[arg-type]
    with transaction() as session:
        second = become_seller(session, user_id=user.id)  # type: ignore[arg-type]
    # then the first call switches it and the second reports it already was
    assert (first, second) == (True, False)
    sign_in = _log_in("noura@example.com")
    assert sign_in is not None and sign_in.viewer.is_seller
    with reading() as session:
        assert get_profile(session, user_id=user.id).is_seller  # type: ignore[arg-type]


def test_services_refuse_an_unknown_user(database):
    """A stale user id is "sign in first", not a crash."""
    # given no user 999
    # when seller mode is asked for it
    def attempt() -> None:
        with transaction() as session:
            become_seller(session, user_id=999)

    # then it is auth.sign_in_required
    assert _error(attempt).key == "auth.sign_in_required"


# --- admins and demo data --------------------------------------------------------------------


def test_create_admin_creates_a_verified_admin_without_mail(database, outbox):
    """The CLI's admin needs no verification mail."""
    # given an empty store
    # when an admin is created
    with transaction() as session:
        admin = create_admin(session, SignUpInput(name="مدير", email="admin@example.com", password=PASSWORD))
    # then it is a verified admin who can log in; no mail was sent
    assert admin.role == Role.ADMIN.value and admin.email_verified_at is not None
    assert _mails(outbox) == []
    sign_in = _log_in("admin@example.com")
    assert sign_in is not None and sign_in.viewer.is_admin and sign_in.viewer.has_role("moderator")


def test_create_admin_promotes_an_existing_account_only_with_its_password(database, outbox):
    """Knowing an address is not enough to make its owner an admin (or take it over)."""
    # given an existing buyer
    _sign_up("noura@example.com")

    # when create-admin is run with a wrong password
    def wrong() -> None:
        with transaction() as session:
            create_admin(session, SignUpInput(name="x y", email="noura@example.com", password="other-password"))

    # then it is refused and the role is unchanged
    assert _error(wrong).key == "auth.email_taken"
    assert _user("noura@example.com").role == Role.USER.value
    # and with the account's own password it promotes the account (same id, same count)
    with transaction() as session:
        admin = create_admin(session, SignUpInput(name="x y", email="noura@example.com", password=PASSWORD))
    assert admin.role == Role.ADMIN.value
    assert _users() == 1


def test_seed_demo_creates_users_once(migrated_database, outbox):
    """Demo data goes into an empty store only; the second run is a no-op."""
    # given an empty store
    # when the demo is seeded twice
    with transaction() as session:
        first = seed_demo(session)
    with transaction() as session:
        second = seed_demo(session)
    # then the first created the accounts and the second nothing
    assert first.created is True and (first.users, first.gigs) == (34, 168)
    assert second.created is False and second.users == 34
    assert _users() == 34
    # and the data is usable: sellers are sellers with Arabic profiles, the admin is an admin
    fahad = _log_in("fahad@demo.mihan.sa", DEMO_PASSWORD)
    assert fahad is not None and fahad.viewer.is_seller and fahad.viewer.email_verified
    with reading() as session:
        profile = get_profile(session, user_id=fahad.viewer.id)
    assert profile.city == "الرياض" and "العربية" in profile.languages
    admin = _log_in("admin@demo.mihan.sa", DEMO_PASSWORD)
    assert admin is not None and admin.viewer.is_admin
    assert _mails(outbox) == []


def test_seed_demo_does_nothing_when_any_user_exists(database, outbox):
    """A live store is never mixed with demo accounts."""
    # given one real account
    _sign_up("noura@example.com")
    # when the demo is seeded
    with transaction() as session:
        result = seed_demo(session)
    # then nothing was added
    assert (result.created, result.users) == (False, 1)
    assert _users() == 1
