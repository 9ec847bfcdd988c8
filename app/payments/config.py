"""Each gateway's effective configuration: an admin's stored settings over the environment.

``SPECS`` declares, per gateway, the fields an admin may set (name, secret or not, required to
switch it on, the shape a value must have, or its choices) and how the environment configures
it (``from_env``: the gateway's settings dataclass in ``Settings``, whose attribute names are
the field names). A new gateway joins with one ``GatewaySpec`` entry and its texts
(``gwsettings.<gateway>_<field>``, ``…_hint``, ``gwsettings.bad_<gateway>_<field>``).

Effective configuration: a gateway is on when an admin switched it on, or, while no admin has
saved it, when ``MIHAN_PAYMENT_GATEWAYS`` names it; each field is the admin's value when one is
stored, else the environment's. Headless installs and tests keep using the environment.

Several workers: nothing is cached across calls but decryption (by token, in
``app.core.secretbox``); every ``enabled_names``/``effective`` call reads the few
``gateway_setting`` rows again, so an admin's change is seen by every worker at its next
request, without a restart. A database not migrated yet (``mihan run`` before its upgrade, unit
tests without one) has no such table: the environment alone decides.

Secrets never leave this module in clear except inside the gateway's settings object (whose
repr hides them): views carry only "set, ends with …1234" or "not set"; the audit rows name the
field, never the value.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, col, select

from app.core import clock
from app.core.db import reading
from app.core.secretbox import SecretBoxError, open_sealed, seal
from app.core.settings import PAYTABS_HOSTS, Settings, get_settings
from app.payments.bank import MAX_DAYS, is_platform_iban
from app.payments.errors import PaymentError
from models.payments import GatewaySetting, GatewaySettingChange

log = logging.getLogger(__name__)

MAX_VALUE = 300
ENABLED, LIVE = "enabled", "live"  # the audit's names of the two switches


@dataclass(frozen=True)
class Field:
    """One setting of a gateway an admin may enter; ``name`` is its attribute in the gateway's
    settings dataclass. A value is refused unless it matches ``shape`` (or is one of ``choices``)
    and passes ``check``; ``parse`` turns the stored text into the attribute's type."""

    name: str
    secret: bool = False
    required: bool = False
    shape: re.Pattern[str] | None = None
    choices: tuple[str, ...] = ()
    check: Callable[[str], bool] = lambda _value: True
    parse: Callable[[str], Any] = str

    def accepts(self, value: str) -> bool:
        if self.choices:
            return value in self.choices
        return (self.shape is None or bool(self.shape.fullmatch(value))) and self.check(value)


@dataclass(frozen=True)
class GatewaySpec:
    """What a gateway's settings are: its fields, and its settings as the environment gives them
    (None: nothing to configure, as the sandbox). ``live_of`` tells the mode from the environment's
    settings; ``consistent`` refuses values that contradict the chosen mode."""

    fields: tuple[Field, ...] = ()
    from_env: Callable[[Settings], Any] = lambda _settings: None
    live_of: Callable[[Any], bool] = lambda _values: False
    consistent: Callable[[Mapping[str, str], bool], bool] = lambda _values, _live: True


def _moyasar_consistent(values: Mapping[str, str], live: bool) -> bool:
    """Both Moyasar keys belong to the chosen mode (sk_live_/pk_live_ or sk_test_/pk_test_)."""
    mode = "_live_" if live else "_test_"
    return all(values[name][2:8] == mode for name in ("secret_key", "publishable_key") if values.get(name))


def _stripe_consistent(values: Mapping[str, str], live: bool) -> bool:
    """Stripe's secret (or restricted) key belongs to the chosen mode (sk_live_ or sk_test_)."""
    key = values.get("secret_key") or ""
    return not key or key[3:8] == ("live_" if live else "test_")


_TOKEN = re.compile(r"[\x21-\x7e]{8,200}")
_PAYTABS_KEY = re.compile(r"[A-Za-z0-9-]{10,100}")
_NAME = re.compile(r"[^\x00-\x1f\x7f]{2,120}")

SPECS: dict[str, GatewaySpec] = {
    "sandbox": GatewaySpec(),
    "moyasar": GatewaySpec(
        fields=(
            Field("secret_key", secret=True, required=True, shape=re.compile(r"sk_(?:test|live)_[A-Za-z0-9]{4,100}")),
            Field("publishable_key", secret=True, shape=re.compile(r"pk_(?:test|live)_[A-Za-z0-9]{4,100}")),
            Field("webhook_secret", secret=True, shape=_TOKEN),
        ),
        from_env=lambda settings: settings.moyasar,
        live_of=lambda moyasar: moyasar.secret_key.startswith("sk_live_"),
        consistent=_moyasar_consistent,
    ),
    "paytabs": GatewaySpec(
        fields=(
            Field("profile_id", required=True, shape=re.compile(r"[0-9]{1,12}")),
            Field("server_key", secret=True, required=True, shape=_PAYTABS_KEY),
            Field("client_key", secret=True, shape=_PAYTABS_KEY),
            Field("region", choices=tuple(PAYTABS_HOSTS)),
        ),
        from_env=lambda settings: settings.paytabs,
    ),
    "stripe": GatewaySpec(
        fields=(
            Field("secret_key", secret=True, required=True, shape=re.compile(r"(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{8,200}")),
            Field("webhook_secret", secret=True, shape=re.compile(r"whsec_[A-Za-z0-9_+/=]{8,200}")),
            Field("currency", choices=("SAR", "AED")),
        ),
        from_env=lambda settings: settings.stripe,
        live_of=lambda stripe: stripe.secret_key[3:8] == "live_",
        consistent=_stripe_consistent,
    ),
    "bank": GatewaySpec(
        fields=(
            Field("iban", required=True, check=is_platform_iban),
            Field("holder", required=True, shape=_NAME),
            Field("bank_name", required=True, shape=_NAME),
            Field("days", choices=tuple(str(n) for n in range(1, MAX_DAYS + 1)), parse=int),
        ),
        from_env=lambda settings: settings.bank,
    ),
}


# -- reading ---------------------------------------------------------------------------------


def _stored(session: Session | None = None) -> dict[str, GatewaySetting]:
    """The admins' rows by gateway; {} when the table does not exist yet."""
    try:
        if session is not None:
            found = session.exec(select(GatewaySetting)).all()
        else:
            with reading() as own:
                found = own.exec(select(GatewaySetting)).all()
                for row in found:
                    own.expunge(row)  # read after the session ends
    except (OperationalError, ProgrammingError):
        log.debug("no gateway_setting table yet: the environment alone configures the gateways")
        return {}
    return {row.gateway: row for row in found}


def _values(row: GatewaySetting) -> dict[str, str]:
    """A row's plain and secret values together; unreadable secrets (key file lost) are dropped,
    so the environment's apply, or the gateway refuses to be built."""
    values = dict(json.loads(row.values_json or "{}"))
    try:
        values.update(open_sealed(row.secrets))
    except SecretBoxError:
        log.error("the stored secrets of %s cannot be decrypted (gateway-settings.key changed or lost): re-enter them", row.gateway)
    return values


def enabled_names(session: Session | None = None) -> tuple[str, ...]:
    """The gateways switched on: the environment's, in its order, unless an admin switched them
    off, then those only an admin switched on, in ``SPECS`` order."""
    stored = _stored(session)
    from_env = [name for name in get_settings().payment_gateways if name not in stored or stored[name].enabled]
    by_admin = [name for name in SPECS if name in stored and stored[name].enabled and name not in from_env]
    return tuple(from_env + by_admin)


def effective(name: str, session: Session | None = None) -> Any:
    """The gateway's settings (its dataclass from ``Settings``) with the admin's values over
    the environment's; None for a gateway with nothing to configure."""
    spec = SPECS[name]
    base = spec.from_env(get_settings())
    row = _stored(session).get(name)
    if base is None or row is None:
        return base
    parsers = {field.name: field.parse for field in spec.fields}
    return dataclasses.replace(base, **{k: parsers[k](v) for k, v in _values(row).items() if k in parsers and v})


# -- the admin page --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    """A field as the admin page shows it: a plain value, or for a secret only whether it is set
    and its last four characters."""

    name: str
    secret: bool
    required: bool
    choices: tuple[str, ...]
    value: str  # plain fields only ('' for secrets)
    hint: str  # a secret's last four characters, '' when not set
    source: str  # "admin", "env" or "" (not set)


@dataclass(frozen=True)
class GatewayView:
    name: str
    enabled: bool
    live: bool
    saved: bool  # an admin has saved it (else the environment decides)
    unreadable: bool  # stored secrets that this key file cannot open
    fields: tuple[FieldView, ...]


def _hint(value: str) -> str:
    return value[-4:] if len(value) >= 8 else ""


def list_views(session: Session) -> list[GatewayView]:
    """Every known gateway's settings for the admin page (secrets as hints only)."""
    stored = _stored(session)
    on = enabled_names(session)
    views = []
    for name, spec in SPECS.items():
        row = stored.get(name)
        env = spec.from_env(get_settings())
        admin: dict[str, str] = {}
        unreadable = False
        if row is not None:
            admin = dict(json.loads(row.values_json or "{}"))
            try:
                admin.update(open_sealed(row.secrets))
            except SecretBoxError:
                unreadable = True
        fields = []
        for field in spec.fields:
            env_value = str(getattr(env, field.name, "") or "") if env is not None else ""
            value = admin.get(field.name) or env_value
            source = "admin" if admin.get(field.name) else ("env" if env_value else "")
            fields.append(
                FieldView(
                    name=field.name,
                    secret=field.secret,
                    required=field.required,
                    choices=field.choices,
                    value="" if field.secret else value,
                    hint=_hint(value) if field.secret else "",
                    source=source,
                )
            )
        live = row.live if row is not None else (spec.live_of(env) if env is not None else False)
        views.append(GatewayView(name, name in on, live, row is not None, unreadable, tuple(fields)))
    return views


def save(session: Session, *, gateway: object, admin_id: int, enabled: bool, live: bool, entered: Mapping[str, object]) -> list[str]:
    """Store an admin's settings of ``gateway``: the switches, and each field entered (an empty
    field keeps what is stored). Returns the names of what changed, each audited (never a value).

    Raises:
        PaymentError: ``gwsettings.unknown_gateway``; ``gwsettings.bad_<gateway>_<field>`` (a
            value of the wrong shape); ``gwsettings.mode_mismatch`` (keys of the other mode);
            ``gwsettings.missing_keys`` (switched on without a required field). Secrets stored
            under a lost key file are dropped: only those entered again are kept.
    """
    if not isinstance(gateway, str) or gateway not in SPECS:
        raise PaymentError("gwsettings.unknown_gateway")
    spec = SPECS[gateway]
    row = session.exec(select(GatewaySetting).where(GatewaySetting.gateway == gateway).with_for_update()).first()
    old_plain = dict(json.loads(row.values_json or "{}")) if row is not None else {}
    try:
        old_secret = open_sealed(row.secrets) if row is not None else {}
    except SecretBoxError:
        old_secret = {}  # the key file changed: what is not entered again is gone
    plain, secret = dict(old_plain), dict(old_secret)
    for field in spec.fields:
        value = _entered(entered, field.name)
        if not value:
            continue
        if len(value) > MAX_VALUE or not field.accepts(value):
            raise PaymentError(f"gwsettings.bad_{gateway}_{field.name}")
        (secret if field.secret else plain)[field.name] = value
    env = spec.from_env(get_settings())
    merged = {f.name: (secret | plain).get(f.name) or (str(getattr(env, f.name, "") or "") if env is not None else "") for f in spec.fields}
    if not spec.consistent(merged, live):
        raise PaymentError("gwsettings.mode_mismatch")
    if enabled and any(f.required and not merged[f.name] for f in spec.fields):
        raise PaymentError("gwsettings.missing_keys")
    changed = [name for name in (ENABLED, LIVE) if row is None or getattr(row, name) != (enabled if name == ENABLED else live)]
    changed += [f.name for f in spec.fields if (secret | plain).get(f.name) != (old_secret | old_plain).get(f.name)]
    if row is None:
        row = GatewaySetting(gateway=gateway, updated_at=clock.now())
    row.enabled, row.live = enabled, live
    row.values_json = json.dumps(plain, sort_keys=True)
    row.secrets = seal(secret)
    row.updated_at, row.updated_by = clock.now(), admin_id
    session.add(row)
    now = clock.now()
    for name in changed:
        session.add(GatewaySettingChange(gateway=gateway, field=name, admin_id=admin_id, changed_at=now))
    session.flush()
    return changed


def _entered(entered: Mapping[str, object], name: str) -> str:
    value = entered.get(name)
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class Change:
    gateway: str
    field: str
    admin_name: str
    changed_at: Any


def recent_changes(session: Session, *, limit: int = 20) -> list[Change]:
    """The newest audited changes, with who made them."""
    from models.accounts import User

    found = session.exec(
        select(GatewaySettingChange, User.name)
        .join(User, col(User.id) == col(GatewaySettingChange.admin_id))
        .order_by(col(GatewaySettingChange.changed_at).desc(), col(GatewaySettingChange.id).desc())
        .limit(limit)
    ).all()
    return [Change(change.gateway, change.field, name, change.changed_at) for change, name in found]
