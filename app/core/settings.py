"""Runtime settings, read once from the environment.

Every knob a founder may turn lives here with its default, so README's configuration table
and the code cannot drift: ``ENVIRONMENT_VARIABLES`` is the list the README documents.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

ENVIRONMENT_VARIABLES: dict[str, str] = {
    "MIHAN_DATA_DIR": "Folder for the SQLite file, media, private files, mail outbox and secrets (default ./data).",
    "REFLEX_DB_URL": "Database URL; default sqlite:///$MIHAN_DATA_DIR/mihan.db. Postgres: postgresql+psycopg://user:pw@host/db.",
    "REFLEX_REDIS_URL": "Redis URL; turns on Reflex's Redis state manager and several backend workers.",
    "MIHAN_BASE_URL": "Public URL used in e-mails and canonical links (default http://localhost:PORT).",
    "MIHAN_PORT": "Port of `mihan run` when --port is not given (default 3000).",
    "MIHAN_SESSION_DAYS": "Days a sign-in stays valid (default 30).",
    "MIHAN_SMTP_HOST": "SMTP server; when unset, mail is written as .eml files under $MIHAN_DATA_DIR/outbox.",
    "MIHAN_SMTP_PORT": "SMTP port (default 587).",
    "MIHAN_SMTP_USER": "SMTP user name (optional).",
    "MIHAN_SMTP_PASSWORD": "SMTP password (optional).",
    "MIHAN_SMTP_TLS": "starttls (default), ssl or none.",
    "MIHAN_MAIL_FROM": "Sender address of platform mail (default no-reply@mihan.local).",
    "MIHAN_NICHE_FILE": "JSON file describing the niche (categories); default: the bundled Gulf voice-over niche.",
    "MIHAN_SEO_LANDING_MIN_GIGS": "Active gigs a category × city (or dialect) needs before its landing page is generated, linked and listed in the sitemap (default 3).",
    "MIHAN_FEES_FILE": "JSON object overriding the fee policy (commission, founding window, level and plan rates, VAT, buyer fee); default: app/pricing/policy.py.",
    "MIHAN_LEVELS_FILE": "JSON object overriding what each seller level asks for (thresholds, answer window); default: app/trust/policy.py.",
    "MIHAN_PAYMENT_GATEWAYS": "Comma-separated payment gateways buyers may use (default sandbox: test cards, no real money).",
    "MIHAN_MOYASAR_SECRET_KEY": "Moyasar secret key (sk_test_… or sk_live_…); required when MIHAN_PAYMENT_GATEWAYS names moyasar. Server side only.",
    "MIHAN_MOYASAR_PUBLISHABLE_KEY": "Moyasar publishable key (pk_…), for a later in-page card form; not needed by the hosted invoice page.",
    "MIHAN_MOYASAR_WEBHOOK_SECRET": "The Secret Token set on the Moyasar dashboard's webhook (Settings → Webhooks → $MIHAN_BASE_URL/payments/webhook/moyasar); webhooks are refused without it.",
    "MIHAN_MOYASAR_API_URL": "Moyasar API base URL (default https://api.moyasar.com/v1; tests point it at a fake on loopback).",
    "MIHAN_PAYTABS_PROFILE_ID": "PayTabs profile id (digits); required when MIHAN_PAYMENT_GATEWAYS names paytabs.",
    "MIHAN_PAYTABS_SERVER_KEY": "PayTabs server key (Developers → Key management); required with paytabs. It also signs PayTabs' callbacks and return posts. Server side only.",
    "MIHAN_PAYTABS_CLIENT_KEY": "PayTabs client key, for a later in-page card form; not needed by the hosted payment page.",
    "MIHAN_PAYTABS_REGION": "The region of the PayTabs profile, which picks its API host: SAU (default), ARE, EGY, OMN, JOR, KWT, IRQ, MAR, QAT or GLOBAL.",
    "MIHAN_PAYTABS_API_URL": "PayTabs API base URL overriding the region's host (tests point it at a fake on loopback).",
    "MIHAN_BANK_IBAN": "The platform's Saudi IBAN buyers transfer to (SA + 22 characters, mod-97 checked); required when MIHAN_PAYMENT_GATEWAYS names bank.",
    "MIHAN_BANK_HOLDER": "The name of the account holder of MIHAN_BANK_IBAN, as buyers type it at their bank; required with bank.",
    "MIHAN_BANK_NAME": "The bank of MIHAN_BANK_IBAN (e.g. مصرف الراجحي); required with bank.",
    "MIHAN_BANK_TRANSFER_DAYS": "Days a buyer has to make a bank transfer before it expires and the order is released (default 3, 1 to 30).",
    "MIHAN_STRIPE_SECRET_KEY": "Stripe secret key (sk_test_… or sk_live_…) of the UAE entity's account; required when MIHAN_PAYMENT_GATEWAYS names stripe. Server side only.",
    "MIHAN_STRIPE_WEBHOOK_SECRET": "The signing secret (whsec_…) of the Stripe webhook endpoint $MIHAN_BASE_URL/payments/webhook/stripe (events checkout.session.completed, async_payment_succeeded, async_payment_failed, expired); webhooks are refused without it.",
    "MIHAN_STRIPE_CURRENCY": "The currency Stripe charges in: AED or SAR (default SAR, the orders' currency); a payment in another currency is refused.",
    "MIHAN_STRIPE_API_URL": "Stripe API base URL (default https://api.stripe.com; tests point it at a fake on loopback).",
    "MIHAN_PLATFORM_NAME_AR": "The platform's legal name in Arabic, as its tax invoices show it (default: a demo name).",
    "MIHAN_PLATFORM_NAME_EN": "The platform's legal name in English (default: a demo name).",
    "MIHAN_PLATFORM_VAT_NUMBER": "The platform's KSA VAT number: 15 digits, first and last 3 (default: ZATCA's sample 310122393500003).",
    "MIHAN_PLATFORM_CR": "The platform's commercial registration number (default: a demo number).",
    "MIHAN_PLATFORM_STREET": "National address: street (default: a demo Riyadh address, as are the next five).",
    "MIHAN_PLATFORM_BUILDING": "National address: 4-digit building number.",
    "MIHAN_PLATFORM_ADDITIONAL": "National address: 4-digit additional number.",
    "MIHAN_PLATFORM_DISTRICT": "National address: district.",
    "MIHAN_PLATFORM_CITY": "National address: city.",
    "MIHAN_PLATFORM_POSTAL_CODE": "National address: 5-digit postal code.",
    "MIHAN_PLATFORM_VAT_RATE_BP": "The platform's standard VAT rate in basis points (default 1500 = 15%); each invoice states the rate frozen on its order.",
    "MIHAN_PLATFORM_EGS_UNIT": "Name of the e-invoicing unit (EGS) whose counter and hash chain number the invoices (default mihan-egs-1).",
}


class SettingsError(ValueError):
    """A setting the platform cannot start with; the message names the variable and the rule."""


@dataclass(frozen=True)
class PlatformIdentity:
    """Who issues Mihan's tax invoices: the seller block of every invoice (ZATCA BR-KSA-08/37/39/40)."""

    name_ar: str = "شركة مهن للخدمات الرقمية"
    name_en: str = "Mihan Digital Services Co."
    vat_number: str = "310122393500003"  # the VAT number of ZATCA's published samples
    commercial_registration: str = "1010101010"
    street: str = "طريق الملك فهد"
    building_number: str = "2322"
    additional_number: str = "8125"
    district: str = "العليا"
    city: str = "الرياض"
    postal_code: str = "12271"
    country: str = "SA"
    vat_rate_bp: int = 1500
    egs_unit: str = "mihan-egs-1"


_PLATFORM_FIELDS = {
    "name_ar": "MIHAN_PLATFORM_NAME_AR",
    "name_en": "MIHAN_PLATFORM_NAME_EN",
    "vat_number": "MIHAN_PLATFORM_VAT_NUMBER",
    "commercial_registration": "MIHAN_PLATFORM_CR",
    "street": "MIHAN_PLATFORM_STREET",
    "building_number": "MIHAN_PLATFORM_BUILDING",
    "additional_number": "MIHAN_PLATFORM_ADDITIONAL",
    "district": "MIHAN_PLATFORM_DISTRICT",
    "city": "MIHAN_PLATFORM_CITY",
    "postal_code": "MIHAN_PLATFORM_POSTAL_CODE",
    "egs_unit": "MIHAN_PLATFORM_EGS_UNIT",
}


def load_platform_identity() -> PlatformIdentity:
    """The platform's invoicing identity from ``MIHAN_PLATFORM_*``, checked with ZATCA's rules.

    Raises:
        SettingsError: naming the variable, when the VAT number, an address field or the rate
            would make every invoice invalid (refused at start, never at the first sale).
    """
    from app.invoices.issuer import platform_party
    from app.invoices.zatca import ZatcaError, is_vat_number

    values = {name: os.environ.get(variable, "").strip() for name, variable in _PLATFORM_FIELDS.items()}
    identity = PlatformIdentity(
        **{name: value for name, value in values.items() if value},
        vat_rate_bp=_env_int("MIHAN_PLATFORM_VAT_RATE_BP", PlatformIdentity.vat_rate_bp),
    )
    if not is_vat_number(identity.vat_number):
        raise SettingsError(
            f"MIHAN_PLATFORM_VAT_NUMBER={identity.vat_number!r} is not a KSA VAT number "
            "(15 digits, the first and the last a 3: ZATCA rule BR-KSA-40)"
        )
    if not 0 < identity.vat_rate_bp <= 10_000:
        raise SettingsError(f"MIHAN_PLATFORM_VAT_RATE_BP={identity.vat_rate_bp} is not a rate between 1 and 10000 basis points")
    try:
        platform_party(identity)
    except ZatcaError as exc:
        raise SettingsError(f"MIHAN_PLATFORM_* is not a valid invoice issuer: {exc}") from None
    return identity


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _names(raw: str) -> tuple[str, ...]:
    """A comma-separated list of names, lower-cased, blanks and repeats dropped, order kept."""
    return tuple(dict.fromkeys(name.strip().lower() for name in raw.split(",") if name.strip()))


@dataclass(frozen=True)
class SmtpSettings:
    """Where outgoing mail goes when an SMTP server is configured."""

    host: str
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    tls: str = "starttls"


MOYASAR_API_URL = "https://api.moyasar.com/v1"


@dataclass(frozen=True)
class MoyasarSettings:
    """Moyasar's keys and address (payments.md §1.1).

    The secret key and the webhook secret never appear in a repr, so a logged or printed
    ``Settings`` cannot leak them; they are read by the gateway on the server and never put in
    Reflex state.
    """

    secret_key: str = field(default="", repr=False)
    publishable_key: str = field(default="", repr=False)
    webhook_secret: str = field(default="", repr=False)
    api_url: str = MOYASAR_API_URL

    def __repr__(self) -> str:
        shown = {name: "<set>" if getattr(self, name) else "<unset>" for name in ("secret_key", "publishable_key", "webhook_secret")}
        return f"MoyasarSettings(api_url={self.api_url!r}, " + ", ".join(f"{k}={v}" for k, v in shown.items()) + ")"


# The API host of each PayTabs region: a profile's server key works only on its own region's host
# (payments.md §2.1; https://docs.paytabs.com/PT2-API-Endpoints/Integration-Types-Manuals/Hosted-Payment-Page/HPP-Step-3-Initiating-Payment/HPP-Initiating-Payment).
PAYTABS_HOSTS: dict[str, str] = {
    "SAU": "https://secure.paytabs.sa",
    "ARE": "https://secure.paytabs.com",
    "EGY": "https://secure-egypt.paytabs.com",
    "OMN": "https://secure-oman.paytabs.com",
    "JOR": "https://secure-jordan.paytabs.com",
    "KWT": "https://secure-kuwait.paytabs.com",
    "IRQ": "https://secure-iraq.paytabs.com",
    "MAR": "https://secure-morocco.paytabs.com",
    "QAT": "https://secure-doha.paytabs.com",
    "GLOBAL": "https://secure-global.paytabs.com",
}


@dataclass(frozen=True)
class PaytabsSettings:
    """PayTabs' profile, keys and region (payments.md §2).

    The server key authenticates our calls and signs PayTabs' callbacks, so it never appears in
    a repr; ``api_url`` is the region's host unless ``MIHAN_PAYTABS_API_URL`` overrides it.
    """

    profile_id: str = ""
    server_key: str = field(default="", repr=False)
    client_key: str = field(default="", repr=False)
    region: str = "SAU"
    api_url_override: str = ""

    @property
    def api_url(self) -> str:
        return self.api_url_override or PAYTABS_HOSTS.get(self.region, "")

    def __repr__(self) -> str:
        shown = {name: "<set>" if getattr(self, name) else "<unset>" for name in ("server_key", "client_key")}
        return (
            f"PaytabsSettings(profile_id={self.profile_id!r}, region={self.region!r}, api_url={self.api_url!r}, "
            + ", ".join(f"{k}={v}" for k, v in shown.items())
            + ")"
        )


STRIPE_API_URL = "https://api.stripe.com"
STRIPE_CURRENCIES = ("AED", "SAR")


@dataclass(frozen=True)
class StripeSettings:
    """Stripe's keys, currency and address (payments.md §3.3; app/payments/stripe.py).

    The secret key and the webhook signing secret never appear in a repr.
    """

    secret_key: str = field(default="", repr=False)
    webhook_secret: str = field(default="", repr=False)
    currency: str = "SAR"
    api_url: str = STRIPE_API_URL

    def __repr__(self) -> str:
        shown = {name: "<set>" if getattr(self, name) else "<unset>" for name in ("secret_key", "webhook_secret")}
        return f"StripeSettings(api_url={self.api_url!r}, currency={self.currency!r}, " + ", ".join(f"{k}={v}" for k, v in shown.items()) + ")"


@dataclass(frozen=True)
class BankSettings:
    """The platform's own bank account for manual transfers (payments.md §6), and how long a
    buyer has to pay into it. Read as typed; ``app.payments.bank`` checks them when the bank
    gateway is switched on, so a wrong IBAN stops ``mihan run`` rather than a buyer's transfer."""

    iban: str = ""
    holder: str = ""
    bank_name: str = ""
    days: int = 3


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one process."""

    data_dir: Path
    database_url: str
    base_url: str
    port: int
    session_days: int
    mail_from: str
    smtp: SmtpSettings | None
    niche_file: Path
    fees_file: Path | None
    levels_file: Path | None = None
    payment_gateways: tuple[str, ...] = ("sandbox",)
    seo_landing_min_gigs: int = 3
    moyasar: MoyasarSettings = field(default_factory=MoyasarSettings)
    paytabs: PaytabsSettings = field(default_factory=PaytabsSettings)
    bank: BankSettings = field(default_factory=BankSettings)
    stripe: StripeSettings = field(default_factory=StripeSettings)
    platform: PlatformIdentity = field(default_factory=PlatformIdentity)

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def media_dir(self) -> Path:
        """Public media (avatars, later gig images), served at ``/media/``."""
        return self.data_dir / "media"

    @property
    def private_dir(self) -> Path:
        """Private files, served only through routes that check who asks."""
        return self.data_dir / "private"

    @property
    def invoicing_dir(self) -> Path:
        """The e-invoicing unit's simulation key and certificate (0600)."""
        return self.data_dir / "zatca"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


def load_settings() -> Settings:
    """Read the environment into a ``Settings`` (no caching: tests call it freely)."""
    data_dir = Path(os.environ.get("MIHAN_DATA_DIR") or PROJECT_ROOT / "data").resolve()
    port = _env_int("MIHAN_PORT", 3000)
    smtp_host = os.environ.get("MIHAN_SMTP_HOST", "").strip()
    smtp = None
    if smtp_host:
        smtp = SmtpSettings(
            host=smtp_host,
            port=_env_int("MIHAN_SMTP_PORT", 587),
            user=os.environ.get("MIHAN_SMTP_USER", ""),
            password=os.environ.get("MIHAN_SMTP_PASSWORD", ""),
            tls=os.environ.get("MIHAN_SMTP_TLS", "starttls").strip().lower(),
        )
    niche = os.environ.get("MIHAN_NICHE_FILE", "").strip()
    fees = os.environ.get("MIHAN_FEES_FILE", "").strip()
    levels = os.environ.get("MIHAN_LEVELS_FILE", "").strip()
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get("REFLEX_DB_URL") or f"sqlite:///{data_dir / 'mihan.db'}",
        base_url=(os.environ.get("MIHAN_BASE_URL") or f"http://localhost:{port}").rstrip("/"),
        port=port,
        session_days=_env_int("MIHAN_SESSION_DAYS", 30),
        mail_from=os.environ.get("MIHAN_MAIL_FROM", "no-reply@mihan.local"),
        smtp=smtp,
        niche_file=Path(niche) if niche else Path(__file__).resolve().parents[1] / "niche" / "voiceover.json",
        fees_file=Path(fees) if fees else None,
        levels_file=Path(levels) if levels else None,
        payment_gateways=_names(os.environ.get("MIHAN_PAYMENT_GATEWAYS", "")) or ("sandbox",),
        seo_landing_min_gigs=max(1, _env_int("MIHAN_SEO_LANDING_MIN_GIGS", 3)),
        moyasar=MoyasarSettings(
            secret_key=os.environ.get("MIHAN_MOYASAR_SECRET_KEY", "").strip(),
            publishable_key=os.environ.get("MIHAN_MOYASAR_PUBLISHABLE_KEY", "").strip(),
            webhook_secret=os.environ.get("MIHAN_MOYASAR_WEBHOOK_SECRET", "").strip(),
            api_url=(os.environ.get("MIHAN_MOYASAR_API_URL", "").strip() or MOYASAR_API_URL).rstrip("/"),
        ),
        paytabs=PaytabsSettings(
            profile_id=os.environ.get("MIHAN_PAYTABS_PROFILE_ID", "").strip(),
            server_key=os.environ.get("MIHAN_PAYTABS_SERVER_KEY", "").strip(),
            client_key=os.environ.get("MIHAN_PAYTABS_CLIENT_KEY", "").strip(),
            region=os.environ.get("MIHAN_PAYTABS_REGION", "").strip().upper() or "SAU",
            api_url_override=os.environ.get("MIHAN_PAYTABS_API_URL", "").strip().rstrip("/"),
        ),
        bank=BankSettings(
            iban="".join(os.environ.get("MIHAN_BANK_IBAN", "").split()).upper(),
            holder=os.environ.get("MIHAN_BANK_HOLDER", "").strip(),
            bank_name=os.environ.get("MIHAN_BANK_NAME", "").strip(),
            days=_env_int("MIHAN_BANK_TRANSFER_DAYS", BankSettings.days),
        ),
        stripe=StripeSettings(
            secret_key=os.environ.get("MIHAN_STRIPE_SECRET_KEY", "").strip(),
            webhook_secret=os.environ.get("MIHAN_STRIPE_WEBHOOK_SECRET", "").strip(),
            currency=os.environ.get("MIHAN_STRIPE_CURRENCY", "").strip().upper() or "SAR",
            api_url=(os.environ.get("MIHAN_STRIPE_API_URL", "").strip() or STRIPE_API_URL).rstrip("/"),
        ),
        platform=load_platform_identity(),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; ``get_settings.cache_clear()`` re-reads the environment."""
    return load_settings()


def secret_key(settings: Settings | None = None) -> bytes:
    """Return the installation's signing secret, generated into the data dir on first use."""
    settings = settings or get_settings()
    path = settings.data_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def load_json(path: Path) -> object:
    """Read a UTF-8 JSON file (settings files are JSON so admins can edit them by hand)."""
    return json.loads(path.read_text(encoding="utf-8"))
