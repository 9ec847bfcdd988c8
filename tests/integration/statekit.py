"""Drive Mihan's real Reflex State handlers in pytest, without a browser or a server.

A ``Browser`` is one fresh Reflex state tree (``rx.State(_reflex_internal_init=True)`` builds
every substate, allowed under pytest) with faked router data (URL, client IP, User-Agent) and
the session cookie. ``Browser.call`` runs a handler's raw function the way Reflex's event
processor does (``fn(state, **payload)``), awaiting coroutines and draining generators.

The helpers that look at the database and the data dir (``snapshot_database``,
``snapshot_files``) read everything generically, so new tables and folders are covered
without editing the tests.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import inspect
import io
import json
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import reflex as rx
from reflex.istate.data import HeaderData, ReflexURL, RouterData, SessionData
from reflex_base.event import EventHandler, EventSpec
from sqlalchemy import MetaData, select
from sqlmodel import Session

from tests.passwords import FAST
from tests.passwords import use_fast_password_hashing as fast_password_hashing
from app.core import clock, db
from app.core.security import hash_token, new_token
from app.core.settings import get_settings
from models.accounts import AuthSession, Role, SellerProfile, User

LOCALES = Path(__file__).resolve().parents[2] / "app" / "core" / "locales"
ORIGIN = "http://localhost:3000"
CLIENT_IP = "203.0.113.7"
USER_AGENT = "pytest-browser/1.0"


@cache
def arabic() -> dict[str, str]:
    """The Arabic catalogue read straight from ar.json (not through the code under test)."""
    return json.loads((LOCALES / "ar.json").read_text(encoding="utf-8"))


def ar(key: str, **params: object) -> str:
    text = arabic()[key]
    return text.format(**params) if params else text


# -- discovery ------------------------------------------------------------------------------


def import_mihan_modules() -> None:
    """Import every module of the ``state`` package, and the pages that use them.

    Importing by walking the package means a new ``state/*.py`` file is picked up without
    touching the tests.
    """
    import pages  # noqa: F401  (a State class defined next to the pages would be found too)
    import state

    for module in pkgutil.walk_packages(state.__path__, prefix="state."):
        importlib.import_module(module.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_state_classes() -> list[type[rx.State]]:
    """Every state class, mixins left out (they are never a state of the tree; the states that
    use them are found, with the mixin's vars and handlers copied onto them)."""
    import_mihan_modules()
    found = {cls for cls in _subclasses(rx.State) if not getattr(cls, "_mixin", False)}
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


def mihan_state_classes() -> list[type[rx.State]]:
    return [cls for cls in all_state_classes() if cls.__module__.startswith("state.")]


@dataclass(frozen=True)
class HandlerRef:
    """One event handler the browser can call: its state class and name."""

    cls: type[rx.State]
    name: str
    handler: EventHandler

    @property
    def id(self) -> str:
        return f"{self.cls.__name__}.{self.name}"

    @property
    def parameters(self) -> list[inspect.Parameter]:
        """The parameters the browser fills (everything after ``self``)."""
        return list(inspect.signature(self.handler.fn).parameters.values())[1:]


def mihan_handlers() -> list[HandlerRef]:
    """Every event handler written in Mihan's ``state`` package, on every Mihan state class.

    Reflex's own handlers (``setvar`` and friends) are recognised by where their function
    lives, not by name, so a new Mihan handler can never hide behind a built-in's name.
    """
    return [
        HandlerRef(cls, name, handler)
        for cls in mihan_state_classes()
        for name, handler in cls.event_handlers.items()
        if getattr(handler.fn, "__module__", "").startswith("state.")
    ]


# -- a browser tab --------------------------------------------------------------------------


class Browser:
    """A fresh Reflex state tree, as one browser tab would have on the server."""

    def __init__(self, *, token: str = "", path: str = "/", lang: str = "ar", ip: str = CLIENT_IP) -> None:
        from state.session import SessionState

        self.root = rx.State(_reflex_internal_init=True)
        self.visit(path, ip=ip)
        session = self.state(SessionState)
        session.auth_token = token
        session.lang = lang

    def visit(self, path: str, *, ip: str = CLIENT_IP, user_agent: str = USER_AGENT) -> None:
        """Fake the router data Reflex fills from the page URL and the socket connection."""
        self.root.router = RouterData(
            session=SessionData(client_token="tab-token", client_ip=ip, session_id="sid"),
            headers=HeaderData(host="localhost:3000", origin=ORIGIN, user_agent=user_agent),
            url=ReflexURL(ORIGIN + path),
            route_id=path.split("?", 1)[0],
        )

    def state(self, cls: type[rx.State]) -> Any:
        return self.root.get_substate(cls.get_full_name().split("."))

    def call(self, cls: type[rx.State], name: str, /, *args: Any, **kwargs: Any) -> Any:
        """Run handler ``name`` of ``cls`` on this tab's instance of ``cls``."""
        return run(self.state(cls), cls.event_handlers[name], *args, **kwargs)

    @property
    def token(self) -> str:
        from state.session import SessionState

        return self.state(SessionState).auth_token

    def client_json(self) -> str:
        """Every var of Mihan's states this tab would send to the browser.

        Reflex's own router vars are left out: they mirror the page URL, which the browser
        already has.
        """
        mihan = {cls.get_full_name() for cls in mihan_state_classes()}
        sent = {name: values for name, values in self.root.dict().items() if name in mihan}
        return json.dumps(sent, default=str, ensure_ascii=False)


def run(state: Any, handler: EventHandler, /, *args: Any, **kwargs: Any) -> Any:
    """Call a handler's function like Reflex does: await coroutines, drain generators."""
    result = handler.fn(state, *args, **kwargs)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    if inspect.isgenerator(result):
        result = list(result)
    elif inspect.isasyncgen(result):

        async def drain() -> list[Any]:
            return [item async for item in result]

        result = asyncio.run(drain())
    return result


def events_of(result: Any) -> list[Any]:
    if result is None:
        return []
    if isinstance(result, list | tuple):
        return [item for part in result for item in events_of(part)]
    return [result]


def is_event(value: Any) -> bool:
    return isinstance(value, EventSpec | EventHandler)


def spec_args(spec: EventSpec) -> dict[str, Any]:
    return {name._js_expr: getattr(value, "_var_value", value) for name, value in spec.args}


def redirects(result: Any) -> list[str]:
    """The paths of every ``rx.redirect`` among a handler's returned events."""
    paths = []
    for event in events_of(result):
        if isinstance(event, EventSpec):
            args = spec_args(event)
            if "path" in args and "external" in args:
                paths.append(args["path"])
    return paths


# -- data -----------------------------------------------------------------------------------


@cache
def password_hash(password: str) -> str:
    """Hash each test password once per run (with the fast parameters above)."""
    return FAST.hash(password)


def add_user(
    email: str,
    *,
    name: str = "مستخدم",
    password: str = "correct horse battery",
    seller: bool = False,
    role: Role = Role.USER,
    verified: bool = True,
) -> int:
    """Insert a user directly (the services are tested elsewhere); return its id."""
    now = clock.now()
    with db.transaction() as session:
        user = User(
            email=email,
            name=name,
            password_hash=password_hash(password),
            role=role.value,
            email_verified_at=now if verified else None,
            created_at=now,
            updated_at=now,
        )
        session.add(user)
        session.flush()
        assert user.id is not None
        if seller:
            session.add(SellerProfile(user_id=user.id, created_at=now))
        return user.id


def add_session(user_id: int, *, revoked: bool = False, expired: bool = False) -> str:
    """Open a session row for ``user_id`` and return the browser's token."""
    token = new_token()
    now = clock.now()
    with db.transaction() as session:
        session.add(
            AuthSession(
                user_id=user_id,
                token_hash=hash_token(token),
                created_at=now - timedelta(days=40 if expired else 0),
                expires_at=now - timedelta(days=1) if expired else now + timedelta(days=30),
                revoked_at=now if revoked else None,
            )
        )
    return token


def add_published_gig(title: str, *, category: str = "ads", seller_email: str = "gigs@example.com") -> int:
    """A live gig made through the catalogue services, by a seller created on first use."""
    from app.catalog import create_gig, parse_gig, publish

    with Session(db.get_engine()) as session:
        seller_id = session.execute(select(User.id).where(User.email == seller_email)).scalar()
    if seller_id is None:
        seller_id = add_user(seller_email, name="بائع", seller=True)
    data = parse_gig({
        "title": title, "category": category, "description": "إعلان قصير لمتجر إلكتروني على منصات التواصل الاجتماعي " * 2,
        "packages": [{"tier": "basic", "name": "أساسية", "price": "100", "delivery_days": 2}],
    })
    with db.transaction() as session:
        gig = create_gig(session, seller_id=seller_id, data=data)
        publish(session, gig)
        assert gig.id is not None
        return gig.id


def rows(model: type, *where: Any) -> list[Any]:
    """Read rows through a brand-new session, i.e. only what was committed."""
    with Session(db.get_engine()) as session:
        return list(session.execute(select(model).where(*where)).scalars())


class Tables:
    """Every table present in the database (reflected, so new tables count), read in order."""

    def __init__(self, url: str | None = None) -> None:
        self.engine = db.get_engine(url)
        self.metadata = MetaData()
        self.metadata.reflect(bind=self.engine)

    def snapshot(self, where: Callable[[Any], list[Any] | None] | None = None) -> dict[str, list[dict[str, Any]]]:
        """Rows of every table (or of the tables ``where`` gives clauses for)."""
        out = {}
        with self.engine.connect() as connection:
            for table in self.metadata.sorted_tables:
                statement = select(table).order_by(*(list(table.primary_key.columns) or list(table.columns)))
                if where is not None:
                    clauses = where(table)
                    if clauses is None:
                        continue
                    statement = statement.where(*clauses)
                out[table.name] = [row._asdict() for row in connection.execute(statement)]
            connection.rollback()
        return out

    def rows_of(self, user_id: int, email: str) -> dict[str, list[dict[str, Any]]]:
        """Every row that belongs to one user: the account, rows pointing at it, its e-mail's rows."""

        def where(table: Any) -> list[Any] | None:
            if table.name == User.__tablename__:
                return [table.c.id == user_id]
            for column in table.columns:
                if any(fk.column.table.name == User.__tablename__ for fk in column.foreign_keys):
                    return [column == user_id]
            if "email" in table.c:
                return [table.c.email == email]
            return None

        return self.snapshot(where)


def snapshot_database(url: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table that exists in the database, in a stable order."""
    return Tables(url).snapshot()


def snapshot_files() -> dict[str, str]:
    """SHA-256 of every file under the outbox, public media and private folders."""
    settings = get_settings()
    out: dict[str, str] = {}
    for label, folder in (("outbox", settings.outbox_dir), ("media", settings.media_dir), ("private", settings.private_dir)):
        if folder.exists():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    out[f"{label}/{path.relative_to(folder)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def mails(outbox: Path) -> list[str]:
    """The decoded text of every .eml in the outbox."""
    import email
    from email import policy

    texts = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        texts.append(f"To: {message['To']}\n{body.get_content() if body else ''}")
    return texts


def png_bytes(size: int = 32) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), (0, 128, 128)).save(out, format="PNG")
    return out.getvalue()


def upload(data: bytes, filename: str = "avatar.png") -> Any:
    """What Reflex hands an upload handler: a list of ``rx.UploadFile``."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(filename), size=len(data))
