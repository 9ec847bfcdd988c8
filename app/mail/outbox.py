"""Compose and deliver platform mail.

Mail is handed over only after the transaction that caused it commits (``send_after_commit``),
so a rolled-back sign-up never mails a link to a user who does not exist.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from sqlmodel import Session

from app.core import clock
from app.core.db import on_commit
from app.core.i18n import direction, translate
from app.core.settings import Settings, get_settings


def compose(*, to: str, subject_key: str, body_key: str, lang: str, **params: object) -> EmailMessage:
    """Build a bilingual-capable message from catalogue keys (plain text and simple HTML)."""
    settings = get_settings()
    subject = translate(subject_key, lang, **params)
    body = translate(body_key, lang, **params)
    message = EmailMessage()
    message["From"] = formataddr((translate("brand.name", lang), settings.mail_from))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="mihan.local")
    message.set_content(body)
    paragraphs = "".join(f"<p>{_escape(line)}</p>" for line in body.split("\n") if line.strip())
    message.add_alternative(
        f'<!doctype html><html lang="{lang}" dir="{direction(lang)}"><body '
        f'style="font-family:Tahoma,Arial,sans-serif">{paragraphs}</body></html>',
        subtype="html",
    )
    # After the body: set_content() drops Content-* headers that were set before it.
    message["Content-Language"] = lang
    return message


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def deliver(message: EmailMessage, settings: Settings | None = None) -> None:
    """Send now: through SMTP when configured, else write ``outbox/<time>-<id>.eml``."""
    settings = settings or get_settings()
    if settings.smtp is None:
        settings.outbox_dir.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S")
        path = settings.outbox_dir / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        path.write_bytes(message.as_bytes())
        return
    smtp = settings.smtp
    if smtp.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, context=ssl.create_default_context(), timeout=20)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=20)
    with client:
        if smtp.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.user:
            client.login(smtp.user, smtp.password)
        client.send_message(message)


def send_after_commit(session: Session, message: EmailMessage) -> None:
    """Deliver ``message`` once ``session``'s transaction has committed."""
    on_commit(session, lambda: deliver(message))
