"""Notification mail through a real SMTP server (aiosmtpd on loopback): the mail arrives, its
Arabic subject decodes, it has a text and an HTML part, and its unsubscribe link works."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from app import notifications
from app.core import db
from app.core.settings import get_settings
from app.http import build_routes
from app.notifications import Group
from tests.integration.orderkit import T0, now, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import ar
from tests.integration.test_notifications import queue, run_jobs


class Inbox:
    """An aiosmtpd handler keeping every message it is handed."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on a loopback port, and settings that send mail to it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("MIHAN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MIHAN_SMTP_PORT", str(port))
    monkeypatch.setenv("MIHAN_SMTP_TLS", "none")
    get_settings.cache_clear()
    try:
        yield inbox
    finally:
        controller.stop()
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize("backend", ["sqlite"])  # the SMTP path does not depend on the database
def test_a_notification_arrives_by_smtp_in_arabic_with_a_working_unsubscribe_link(shop: dict[str, int], smtp_server: Inbox) -> None:
    # given a review notification for the buyer
    queue("review_revealed", shop["buyer"])
    # when the jobs run
    run_jobs(T0)
    # then one mail reached the SMTP server, to the buyer, from the platform
    [(sender, recipients, message)] = smtp_server.received
    assert recipients == ["buyer@example.com"] and sender == get_settings().mail_from
    assert message["Subject"] == ar("mail.notify.subject", text=ar("notify.review_revealed", title=""))
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert ar("notify.review_revealed", title="") in text and 'dir="rtl"' in html and 'lang="ar"' in html
    # and its unsubscribe link turns the reviews group off without signing in
    [link] = re.findall(r"https?://\S+/unsubscribe/(\S+)", text)
    assert link == notifications.unsubscribe_token(shop["buyer"], Group.REVIEWS)
    assert TestClient(build_routes()).post(f"/unsubscribe/{link}").status_code == 200
    with db.reading() as session:
        assert notifications.get_preferences(session, user_id=shop["buyer"]).mail[Group.REVIEWS] is False
    # so the next review news is not mailed
    queue("review_replied", shop["buyer"])
    run_jobs(T0)
    assert len(smtp_server.received) == 1
