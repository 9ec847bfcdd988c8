"""Every Mihan event handler, found automatically, is safe to call by anyone with anything.

Reflex exposes each ``@rx.event`` handler to the browser over the websocket: a visitor can
call any of them, on any page, with any JSON arguments. So:

* signed out, junk arguments must change nothing (database, outbox, media) and must not
  raise (a raised exception is a 500 and, often, a half-done effect);
* public state vars are sent to the browser: none may be, or hold, a secret;
* no handler may take a user/owner id: the user is always the session's, so one user can
  never aim a handler at another (IDOR is impossible by construction).

The handlers are discovered, not listed: walk ``rx.State``'s subclass tree, keep the classes
of the ``state`` package and, of their ``event_handlers``, the ones whose function was written
there. The only hand-kept list is ``REFLEX_BUILTINS``, the handlers Reflex adds itself. A new
handler is therefore covered the moment it is written.

Why the junk never makes a valid sign-up or log-in (which would rightly write rows): the
battery's secret-looking fields (``*password*``, ``*token*``) are always non-strings, empty,
over 256 characters, or hold lone surrogates, and its e-mail fields are never addresses of
existing accounts. ``LogInInput`` accepts any non-empty password and any non-empty address
(log-in must not reveal the password policy), so a "nearly valid" form such as a 7-character
password IS a log-in attempt and is recorded for the throttle; that case is tested on its own
in ``test_state_handlers.py``. Likewise ``request_reset`` with an existing address rightly
mails a link, so no junk address belongs to an account.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest
import reflex as rx
from reflex_base.utils.format import json_dumps
from sqlalchemy import select

from app.accounts import email_tokens
from app.core import clock, db
from models.accounts import AuthSession, EmailToken, LoginAttempt, Role, TokenPurpose, User
from state.auth import AuthState
from state.profile import ProfileState
from state.session import SessionState
from tests.integration.statekit import (
    Browser,
    HandlerRef,
    Tables,
    add_session,
    add_user,
    all_state_classes,
    events_of,
    fast_password_hashing,
    is_event,
    mails,
    mihan_handlers,
    mihan_state_classes,
    png_bytes,
    snapshot_files,
    upload,
)

# Handlers Reflex itself puts on every state; everything else on a Mihan state must be Mihan's.
REFLEX_BUILTINS = frozenset(
    {"setvar", "set_is_hydrated", "on_load_internal", "update_vars_internal", "hydrate", "handle_frontend_exception"}
)

HANDLERS = mihan_handlers()
SECRET_FIELD = re.compile(r"pass|token|secret", re.IGNORECASE)
SECRET_VAR = re.compile(r"pass(word|wd)?|hash|token|secret|otp|api_?key|salt|csrf", re.IGNORECASE)
# A var about a secret, not holding one: the message under the password form, say. What such a
# var may hold is checked by value in test_no_public_var_holds_a_secret.
ABOUT_A_SECRET = re.compile(r"_(error|message|hint|label)$")
OWNER_PARAM = re.compile(r"(^|_)(id|ids|pk|uid|uuid)$|user|owner|account|author|member|seller|buyer", re.IGNORECASE)
HOSTILE_PATH = "/login?next=//evil.com&token=%27%20OR%201%3D1%20--&q=%3Cscript%3E&user_id=1"
OWNER_PASSWORD = "owner-password-1"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_password_hashing(monkeypatch)


# -- the junk -------------------------------------------------------------------------------


def form_field_names() -> list[str]:
    """Field names of every pydantic input of the app (forms), plus the usual suspects."""
    models: set[type[pydantic.BaseModel]] = set()
    todo = [pydantic.BaseModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("app."):
                models.add(sub)
    names = {name for model in models for name in model.model_fields}
    names |= {"q", "token", "next", "id", "user_id", "owner_id", "files", "lang", "role", "is_admin"}
    return sorted(names)


def junk_forms() -> dict[str, dict[str, Any]]:
    fields = form_field_names()

    def form(value: Callable[[str], Any]) -> dict[str, Any]:
        return {name: value(name) for name in fields}

    markup = "<script>alert(1)</script>'\"" * 12  # 300 chars: over every name/e-mail/password/token limit
    return {
        "form-none": form(lambda f: None),
        "form-int": form(lambda f: 123),
        "form-negative": form(lambda f: -1),
        "form-list": form(lambda f: ["a"]),
        "form-operator": form(lambda f: {"$ne": 1}),
        "form-huge": form(lambda f: "x" * 100_000),
        "form-empty": form(lambda f: ""),
        "form-mixed": {**form(lambda f: None), "name": None, "email": 123, "password": ["a"]},
        "form-sql": form(lambda f: "" if SECRET_FIELD.search(f) else "' OR 1=1 --"),
        "form-markup": form(lambda f: markup),
        "form-nul": form(lambda f: "" if SECRET_FIELD.search(f) else "\x00mallory@example.com\x00"),
        "form-surrogates": form(lambda f: "\ud800\udfff\ud800"),
        "form-near-sign-up": {
            **form(lambda f: ""),
            "name": "Mallory",
            "email": "mallory@@example.com",
            "languages": "العربية",
        },
    }


def junk_values() -> dict[str, Any]:
    """Every argument shape a JSON client can send, plus what an upload handler receives."""
    return {
        "none": None,
        "huge-string": "x" * 100_000,
        "negative": -1,
        "zero": 0,
        "true": True,
        "huge-float": 1e308,
        "operator": {"$ne": 1},
        "pair": [1, 2],
        "empty-string": "",
        "sql": "' OR 1=1 --",
        **junk_forms(),
        "list-of-junk": [None, "x", -1, {"$ne": 1}, ["nested"], {"name": None}],
        "list-of-forms": list(junk_forms().values())[:3],
        "upload-image": [upload(png_bytes())],  # a real image: only a session may store it
        "upload-junk": [upload(b"\x89PNG\r\n\x1a\n garbage")],
        "upload-empty": [upload(b"")],
    }


def payloads(ref: HandlerRef) -> list[tuple[str, dict[str, Any]]]:
    """The keyword payloads Reflex would pass (``fn(state, **payload)``).

    A payload missing a required argument never reaches the handler (Python raises TypeError
    at the call, before any line of it runs), so "no arguments" is sent only when it binds.
    """
    params = [p for p in ref.parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    out: list[tuple[str, dict[str, Any]]] = []
    if all(p.default is not inspect.Parameter.empty for p in params):
        out.append(("no-args", {}))
    if params:
        out += [(label, {p.name: value for p in params}) for label, value in junk_values().items()]
    return out


# -- the database, generically ---------------------------------------------------------------


def but_own_revocation(snapshot: dict[str, list[dict[str, Any]]], cookie: str) -> dict[str, list[dict[str, Any]]]:
    """The snapshot, minus the one change a signed-out call may make.

    That change: revoking the session of the very cookie the call came with (logging out with
    an expired token marks it revoked). Any other difference, in any table, is a failure.
    """
    # hashed here, not with app.core.security, so a crash there is the handler's, not this test's
    own = hashlib.sha256(cookie.encode("utf-8", "surrogatepass")).hexdigest() if cookie else None
    return {
        table: [{**row, "revoked_at": None} if own and row.get("token_hash") == own else row for row in rows]
        for table, rows in snapshot.items()
    }


def seed() -> dict[str, Any]:
    """Accounts of every kind and sessions of every kind.

    The plainest account comes first (id 1: no seller profile, unverified, no avatar) so that
    a handler which falls back to some id instead of the session's user has something to change.
    """
    other = add_user("other@example.com", name="زيد المختلف", verified=False)
    owner = add_user("owner@example.com", name="صاحب", password=OWNER_PASSWORD, seller=True)
    add_user("admin@example.com", name="مدير", role=Role.ADMIN)
    live = add_session(owner)
    revoked = add_session(other, revoked=True)
    expired = add_session(other, expired=True)
    with db.transaction() as session:
        email_tokens.issue(session, user_id=other, purpose=TokenPurpose.VERIFY_EMAIL)
        session.add(LoginAttempt(email="owner@example.com", ip="198.51.100.1", succeeded=False, created_at=clock.now()))
    return {"owner": owner, "other": other, "live": live, "revoked": revoked, "expired": expired}


# -- discovery ------------------------------------------------------------------------------


def test_discovery_finds_every_mihan_state_and_handler() -> None:
    classes = mihan_state_classes()
    names = {cls.__name__ for cls in classes}
    # a floor, so a broken walk cannot make every other test here pass vacuously
    assert {"SessionState", "AuthState", "ProfileState", "CatalogState", "GigState"} <= names
    found = {ref.id for ref in HANDLERS}
    assert {"AuthState.sign_up", "AuthState.log_in", "ProfileState.save_profile", "SessionState.log_out"} <= found
    # every app state lives in the state package (a State elsewhere would escape these tests)
    strays = [f"{c.__module__}.{c.__qualname__}" for c in all_state_classes() if not c.__module__.startswith(("state.", "reflex"))]
    assert strays == []
    # every handler on a Mihan state is either Mihan's (so tested below) or a known Reflex built-in
    for cls in classes:
        for name, handler in cls.event_handlers.items():
            module = getattr(handler.fn, "__module__", "")
            assert module.startswith("state.") or name in REFLEX_BUILTINS, f"{cls.__name__}.{name} from {module}"


# -- signed out, junk in: nothing changes ---------------------------------------------------


@pytest.mark.parametrize("ref", HANDLERS, ids=[ref.id for ref in HANDLERS])
def test_signed_out_junk_changes_nothing_and_raises_nothing(database: str, outbox: Path, ref: HandlerRef) -> None:
    seeded = seed()
    tables = Tables()
    current, files = tables.snapshot(), snapshot_files()
    battery = payloads(ref)
    # (session cookie, page): the whole battery with no cookie on a hostile URL, and once more
    # shared out over a plain page and the cookies that must count as no session either
    others = [
        ("", "/"),
        (seeded["revoked"], HOSTILE_PATH),
        (seeded["expired"], "/account"),
        ("\ud800" * 43, "/"),
        ("' OR 1=1 --" * 4, HOSTILE_PATH),
    ]
    contexts = [("", HOSTILE_PATH, battery)]
    contexts += [(token, path, battery[i :: len(others)] or battery) for i, (token, path) in enumerate(others)]
    calls = 0
    for token, path, cases in contexts:
        for label, payload in cases:
            where = f"{ref.id} {label} token={token[:12]!r} path={path!r}"
            tab = Browser(token=token, path=path)
            try:
                result = tab.call(ref.cls, ref.name, **payload)
            except Exception as exc:  # noqa: BLE001 - the point is that nothing escapes
                pytest.fail(f"{where} raised {type(exc).__name__}: {exc!s:.300}")
            assert snapshot_files() == files, f"{where} wrote or removed files"
            session = tab.state(SessionState)
            # the cookie may be cleared (log_out), never replaced by a new session
            assert session.auth_token in (token, "") and session.signed_in is False, f"{where} signed someone in"
            assert all(is_event(event) for event in events_of(result)), f"{where} returned {result!r:.200}"
            json_dumps(tab.root.dict())  # whatever it left in state can still be sent
            calls += 1
        # The whole database is read once a context, not once a call (it is the slow part of
        # this test): a change made by any call of the context is still there at its end.
        after = tables.snapshot()
        labels = ", ".join(label for label, _ in cases)
        assert but_own_revocation(after, token) == but_own_revocation(current, token), f"{ref.id} token={token[:12]!r} path={path!r} changed the database (one of: {labels})"
        current = after
    assert calls >= len(battery)


# -- nothing secret is public ---------------------------------------------------------------


def public_vars(cls: type[rx.State]) -> dict[str, Any]:
    return {
        **cls.base_vars,
        **{name: var for name, var in cls.computed_vars.items() if not var._backend},
    }


def test_no_public_var_is_named_like_a_secret() -> None:
    offenders = []
    for cls in mihan_state_classes():
        for name in public_vars(cls):
            if SECRET_VAR.search(name) and not ABOUT_A_SECRET.search(name) and not (cls is SessionState and name == "auth_token"):
                offenders.append(f"{cls.__name__}.{name}")
    assert offenders == []
    # the one exception is the browser's own credential, and it is a cookie
    assert SessionState._is_client_storage("auth_token")
    assert isinstance(SessionState.get_fields()["auth_token"].default, rx.Cookie)


def test_private_vars_stay_on_the_server() -> None:
    for cls in mihan_state_classes():
        for name, field in cls.get_fields().items():
            if name.startswith("_") and field._owner is cls:
                assert field._backend, f"{cls.__name__}.{name} would be sent to the browser"
                assert name not in public_vars(cls)
    assert "_link_token" in AuthState.get_fields() and AuthState.get_fields()["_link_token"]._backend
    assert "_link_token" not in AuthState.base_vars


def test_no_public_var_holds_a_secret(database: str, outbox: Path) -> None:
    """Drive the account flows, then look for every secret in what each tab would send."""
    tabs: list[Browser] = []
    signup = Browser(path="/signup")
    signup.call(AuthState, "sign_up", {"name": "سارة", "email": "sara@example.com", "password": "first-password"})
    tabs.append(signup)
    verify_token = re.search(r"verify-email\?token=([\w-]+)", "\n".join(mails(outbox))).group(1)
    verify = Browser(token=signup.token, path=f"/verify-email?token={verify_token}")
    verify.call(AuthState, "verify_email")
    tabs.append(verify)
    account = Browser(token=signup.token, path="/account")
    account.call(ProfileState, "open_page")
    # failures fill password_error: with a message, never with what was typed
    account.call(ProfileState, "change_password", {"current_password": "typed-wrong-secret", "new_password": "second-password"})
    assert account.state(ProfileState).password_error
    account.call(ProfileState, "change_password", {"current_password": "first-password", "new_password": "short77"})
    assert account.state(ProfileState).password_error
    assert "typed-wrong-secret" not in account.client_json() and "short77" not in account.client_json()
    account.call(ProfileState, "change_password", {"current_password": "first-password", "new_password": "second-password"})
    account.call(ProfileState, "become_seller")
    tabs.append(account)
    forgot = Browser(path="/forgot-password")
    forgot.call(AuthState, "request_reset", {"email": "sara@example.com"})
    tabs.append(forgot)
    reset_token = re.search(r"reset-password\?token=([\w-]+)", "\n".join(mails(outbox))).group(1)
    reset = Browser(path=f"/reset-password?token={reset_token}")
    reset.call(AuthState, "open_link")
    assert reset.state(AuthState)._link_token == reset_token  # kept, but server-side only
    tabs.append(reset)
    login = Browser(path="/login")
    login.call(AuthState, "log_in", {"email": "sara@example.com", "password": "second-password"})
    assert login.token
    tabs.append(login)

    with db.reading() as session:
        stored = [u.password_hash for u in session.execute(select(User)).scalars()]
        stored += [t.token_hash for t in session.execute(select(EmailToken)).scalars()]
        stored += [s.token_hash for s in session.execute(select(AuthSession)).scalars()]
    secrets = ["first-password", "second-password", verify_token, reset_token, *stored]
    tokens = {tab.token for tab in tabs if tab.token}
    assert len(tokens) == 2 and len(stored) == 5  # 2 sessions (sign-up, log-in), 1 password hash, 2 mailed links
    for tab in tabs:
        sent = tab.client_json()
        for secret in secrets:
            assert secret not in sent
        # a session token appears only as the tab's own cookie var, never in another var
        data = json.loads(sent)
        cookie = [key for key in data[SessionState.get_full_name()] if key.startswith("auth_token")]
        assert len(cookie) == 1 and data[SessionState.get_full_name()].pop(cookie[0]) == tab.token
        rest = json.dumps(data, ensure_ascii=False)
        for token in tokens:
            assert token not in rest


# -- no IDOR by construction ----------------------------------------------------------------


def test_no_handler_takes_a_user_or_owner_id() -> None:
    offenders = [
        f"{ref.id}({p.name})"
        for ref in HANDLERS
        for p in ref.parameters
        if OWNER_PARAM.search(p.name) or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    assert offenders == [], "handlers act for the session's user only; take no ids (or *args/**kwargs)"


def test_a_signed_in_user_cannot_touch_another_users_data(database: str, outbox: Path) -> None:
    """Signed in as "owner", every handler, aimed at "other" by id, leaves other's rows alone."""
    seeded = seed()
    owner, other = seeded["owner"], seeded["other"]
    other_token = add_session(other)
    # give the other user an avatar too
    other_tab = Browser(token=other_token, path="/account")
    other_tab.call(ProfileState, "upload_avatar", [upload(png_bytes())])
    assert other_tab.state(ProfileState).avatar
    tables = Tables()
    other_before = tables.rows_of(other, "other@example.com")
    owner_before = tables.rows_of(owner, "owner@example.com")
    files_before = snapshot_files()
    aimed = {
        "id": other,
        "user_id": other,
        "owner_id": other,
        "email": "owner@example.com",
        "name": "Pwned by owner",
        "bio": "written by the owner",
        "city": "Riyadh",
        "languages": "English",
        "password": OWNER_PASSWORD,
        "current_password": OWNER_PASSWORD,
        "new_password": "owner-password-2",
        "q": "x",
    }
    for ref in HANDLERS:
        for value in (dict(aimed), [upload(png_bytes(48))], None) if ref.parameters else (None,):
            # a fresh session each time: log_out or a password change must not end the run early
            tab = Browser(token=add_session(owner), path=f"/account?user_id={other}&id={other}")
            tab.call(ref.cls, ref.name, **{p.name: value for p in ref.parameters})
            assert "other@example.com" not in tab.client_json() and "زيد المختلف" not in tab.client_json(), ref.id
            assert tables.rows_of(other, "other@example.com") == other_before, f"{ref.id} changed the other user"
    # the owner's own data did change (the handlers really ran with a valid session) ...
    assert tables.rows_of(owner, "owner@example.com") != owner_before
    with db.reading() as session:
        assert session.get(User, owner).name == "Pwned by owner"
    # ... while the other user's avatar file, mail and session are untouched
    other_files = {k: v for k, v in files_before.items() if other_tab.state(ProfileState).avatar.removeprefix("/media/") in k}
    assert other_files and all(snapshot_files().get(k) == v for k, v in other_files.items())
    assert not any("other@example.com" in mail for mail in mails(outbox))
    check = Browser(token=other_token)
    check.call(SessionState, "refresh")
    assert check.state(SessionState).signed_in is True
