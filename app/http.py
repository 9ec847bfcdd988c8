"""Plain HTTP routes served next to the Reflex app on the same port (health, public media,
payment webhooks, buyers' signed returns from a gateway's page, private order and message files,
voice notes, tax invoices, and the server-rendered public pages with their sitemaps and robots.txt
from :mod:`app.seo.routes`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from app import messages
from app.accounts.sessions import resolve
from app.core.db import reading, transaction
from app.core.private_files import StoredFile
from app.core.i18n import normalise_language
from app.core.settings import get_settings
from app.notifications import NotificationError, read_unsubscribe_token, unsubscribe
from app.notifications.page import unsubscribe_page
from app.invoices import ExportedDocument, export_document, open_for as open_invoice
from app.orders import files as order_files
from app.orders import transfers
from app.payments import PaymentError, PaymentGateway, get_gateway, receive_webhook, webhook_log
from app.seo.routes import public_routes
from app.trust import identity
from app.payments.gateway import ReturnsByPost
from app.payments.webhooks import receive_return

T = TypeVar("T")
SESSION_COOKIE = "mihan_session"  # set by state/session.py (the browser's sign-in)

# Public media by extension: the services chose the extension from the checked content.
MEDIA_TYPES = {
    ".webp": "image/webp",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
}


async def health(_request: Request) -> JSONResponse:
    from sqlalchemy import text

    with reading() as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return JSONResponse({"status": "ok"})


async def media(request: Request) -> FileResponse:
    """Serve public media by a relative path that cannot leave the media folder.

    Starlette's ``FileResponse`` answers ``Range`` requests (206 with ``Content-Range``, 416
    past the end) and advertises ``Accept-Ranges: bytes``, which is what lets an ``<audio>``
    player seek in a sample without downloading all of it first.
    """
    root = get_settings().media_dir.resolve()
    path = (root / request.path_params["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file() or path.suffix not in MEDIA_TYPES:
        raise HTTPException(status_code=404)
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix],
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=86400"},
    )


MAX_WEBHOOK_BYTES = 64 * 1024
log = logging.getLogger(__name__)


def _log_delivery(request: Request, channel: str, body: bytes, outcome: str, reference: str = "") -> None:
    """Write the delivery to the webhook log in its own transaction (after the delivery's, which
    may have rolled back); a log that cannot be written never changes the gateway's answer."""
    try:
        with transaction() as session:
            webhook_log.record(
                session,
                gateway=str(request.path_params["gateway"]),
                channel=channel,
                body=body,
                outcome=outcome,
                reference=reference,
                source_ip=request.client.host if request.client else "",
            )
    except Exception:
        log.exception("webhook log not written for a %s delivery (%s)", channel, outcome)


async def _delivery(request: Request, channel: str) -> tuple[bytes, PaymentGateway]:
    """The body and the enabled gateway of a webhook or return; a body over the cap (413) or a
    gateway that is not switched on (404) is logged and refused."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            await run_in_threadpool(_log_delivery, request, channel, body[:MAX_WEBHOOK_BYTES], "too_large")
            raise HTTPException(status_code=413)
    try:  # the settings are read from the database: off the event loop
        return body, await run_in_threadpool(get_gateway, request.path_params["gateway"])
    except PaymentError as exc:
        await run_in_threadpool(_log_delivery, request, channel, body, webhook_log.outcome_of(exc.key))
        raise HTTPException(status_code=404) from None
    except ValueError as exc:  # switched on without its keys (an unreadable key file): an admin must act
        log.error("a %s delivery for a gateway that cannot be built: %s", channel, exc)
        await run_in_threadpool(_log_delivery, request, channel, body, "gateway_off")
        raise HTTPException(status_code=404) from None


async def _checked(request: Request, channel: str, body: bytes, apply: Callable[[], T], reference: Callable[[T], str]) -> T | JSONResponse:
    """Run ``apply`` (the gateway's check and its effects) off the event loop and log how it
    ended: a refusal is a 400 with its key, a failure after the check a 500 (the gateway retries)."""
    try:
        done = await run_in_threadpool(apply)
    except PaymentError as exc:
        await run_in_threadpool(_log_delivery, request, channel, body, webhook_log.outcome_of(exc.key))
        return JSONResponse({"error": exc.key}, status_code=400)
    except Exception:
        await run_in_threadpool(_log_delivery, request, channel, body, "handler_error")
        raise
    await run_in_threadpool(_log_delivery, request, channel, body, "ok", reference(done))
    return done


async def payment_webhook(request: Request) -> JSONResponse:
    """A gateway's signed webhook: verify it and hand the result to checkout's handler.

    A forged or unknown one is a 400 and reaches no handler; a gateway that is not switched on
    is a 404; a handler that fails is a 500, so the gateway retries later. The database work
    runs in a worker thread, off the event loop the Reflex app shares. Every delivery, accepted
    or refused, is written to the webhook log.
    """
    body, gateway = await _delivery(request, "webhook")
    done = await _checked(
        request, "webhook", body, lambda: receive_webhook(gateway, headers=request.headers, body=body), lambda result: result.reference
    )
    return done if isinstance(done, JSONResponse) else JSONResponse({"status": "ok"})


async def payment_return(request: Request) -> RedirectResponse | JSONResponse:
    """The buyer back from a gateway's page by a signed form POST (PayTabs): check it, apply
    the verified result, and send the browser on (303, a GET) to the return page of the order.

    A forged or foreign return is a 400 and applies nothing; a gateway that is not switched on,
    or that sends buyers back by a link instead, is a 404. Each is written to the webhook log.
    """
    body, gateway = await _delivery(request, "return")
    if not isinstance(gateway, ReturnsByPost):
        await run_in_threadpool(_log_delivery, request, "return", body, "gateway_off")
        raise HTTPException(status_code=404)
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    target = await _checked(
        request, "return", body, lambda: receive_return(gateway, form=form), lambda path: dict(parse_qsl(urlsplit(path).query)).get("reference", "")
    )
    return target if isinstance(target, JSONResponse) else RedirectResponse(get_settings().base_url + target, status_code=303)


def _private_file(token: str, cookie: str | None) -> StoredFile | None:
    with reading() as session:
        viewer = resolve(session, cookie)
        if viewer is None:
            return None
        found = order_files.open_for(session, token=token, user_id=viewer.id)
        found = found or messages.open_file(session, token=token, user_id=viewer.id)
        found = found or transfers.open_receipt(session, token=token, user_id=viewer.id)
        return found or identity.open_document(session, token=token, user_id=viewer.id)


async def private_file(request: Request) -> FileResponse:
    """A private file (an order's, a conversation's, or a seller's identity document) for the
    people its owner allows (an identity document: the seller and admins).

    Anyone else, signed out, or asking for a token that does not exist gets the same 404.
    The type is the one found from the content when the file was stored, and ``nosniff``
    keeps the browser from guessing another, so the file never runs as a page of ours. Audio
    is served inline so a page's player can play it (and seek: Range is answered); everything
    else is always downloaded.
    """
    stored = await run_in_threadpool(_private_file, request.path_params["token"], request.cookies.get(SESSION_COOKIE))
    if stored is None:
        raise HTTPException(status_code=404)
    return FileResponse(
        stored.path,
        media_type=stored.mime,
        filename=stored.name,
        content_disposition_type="inline" if stored.inline else "attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )


INVOICE_VIEWS = {"": "html", "/pdf": "pdf", "/xml": "xml"}
# The printable page loads nothing but the site's own font file and its inline QR image.
INVOICE_PAGE_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src data:; "
    "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _invoice_document(uuid: str, cookie: str | None, fmt: str) -> ExportedDocument | None:
    with reading() as session:
        viewer = resolve(session, cookie)
        invoice = None if viewer is None else open_invoice(session, uuid=uuid, user_id=viewer.id)
        if invoice is None:
            return None
        links = {kind: f"/invoices/{invoice.uuid}/{kind}" for kind in ("pdf", "xml")}
        return export_document(session, invoice, fmt, links=links)


def invoice_route(suffix: str):  # type: ignore[no-untyped-def]
    """A tax invoice as its printable page, PDF or stamped XML, for its recipient and admins.

    Anyone else, signed out, or asking for a UUID that does not exist gets the same 404, so the
    addresses tell nothing about which invoices exist. Downloads are attachments; nothing is
    cached on the way.
    """
    fmt = INVOICE_VIEWS[suffix]

    async def endpoint(request: Request) -> Response:
        document = await run_in_threadpool(_invoice_document, request.path_params["uuid"], request.cookies.get(SESSION_COOKIE), fmt)
        if document is None:
            raise HTTPException(status_code=404)
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
        if fmt == "html":
            headers["Content-Security-Policy"] = INVOICE_PAGE_POLICY
        else:
            headers["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        return Response(document.content, media_type=document.media_type, headers=headers)

    return endpoint


VOICE_HEADER = "x-mihan-voice"


def _send_voice(conversation: str, cookie: str | None, data: bytes) -> str:
    """Store a voice note for the session's user; '' when sent, else the refusal's key."""
    conversation_id = int(conversation) if conversation.isascii() and conversation.isdigit() and len(conversation) < 18 else None
    try:
        with transaction() as session:
            viewer = resolve(session, cookie)
            if viewer is None:
                return "message.not_found"
            messages.send_voice(session, conversation_id=conversation_id, sender_id=viewer.id, data=data)
    except messages.MessageError as exc:
        return exc.key
    return ""


async def voice_note(request: Request) -> JSONResponse:
    """``POST /messages/<n>/voice``: the browser's recording, sent by ``assets/voice.js``.

    Authenticated by the session cookie and checked by the same party rule as every message.
    A cross-site page cannot send it: the session cookie is SameSite=Lax (not sent on a
    cross-site POST), the custom ``X-Mihan-Voice`` header needs a CORS preflight we never
    grant, and an ``Origin`` other than ours is refused. The body is read up to the cap and
    no further.
    """
    origin = request.headers.get("origin")
    if request.headers.get(VOICE_HEADER) != "1" or (origin and origin.split("://", 1)[-1] != request.headers.get("host")):
        return JSONResponse({"error": "message.voice_failed"}, status_code=403)
    limit = messages.POLICY.max_voice_bytes
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return JSONResponse({"error": "message.voice_too_large"}, status_code=413)
    refused = await run_in_threadpool(_send_voice, request.path_params["conversation"], request.cookies.get(SESSION_COOKIE), body)
    if refused:
        return JSONResponse({"error": refused}, status_code=404 if refused == "message.not_found" else 400)
    return JSONResponse({"ok": True})


def _unsubscribe(token: str) -> bool:
    try:
        with transaction() as session:
            unsubscribe(session, token=token)
    except NotificationError:
        return False
    return True


async def unsubscribe_link(request: Request) -> HTMLResponse:
    """A mail's «لإيقافه» link: GET asks, POST (the button, or a one-click client) turns the group off."""
    token = request.path_params["token"]
    lang = normalise_language(request.cookies.get("mihan_lang", "ar"))
    try:
        _, group = read_unsubscribe_token(token)
    except NotificationError:
        return HTMLResponse(unsubscribe_page(lang, group=None, done=False), status_code=404)
    done = request.method == "POST" and await run_in_threadpool(_unsubscribe, token)
    if request.method == "POST" and not done:
        return HTMLResponse(unsubscribe_page(lang, group=None, done=False), status_code=404)
    return HTMLResponse(unsubscribe_page(lang, group=group, done=done), headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def build_routes() -> Starlette:
    return Starlette(
        routes=[
            Route("/healthz", health),
            Route("/media/{path:path}", media),
            Route("/payments/webhook/{gateway}", payment_webhook, methods=["POST"]),
            Route("/payments/return/{gateway}", payment_return, methods=["POST"]),
            Route("/files/{token}", private_file),
            Route("/messages/{conversation}/voice", voice_note, methods=["POST"]),
            Route("/unsubscribe/{token}", unsubscribe_link, methods=["GET", "POST"]),
            *public_routes(),
            *[Route(f"/invoices/{{uuid}}{suffix}", invoice_route(suffix)) for suffix in INVOICE_VIEWS],
        ]
    )


__all__ = ["build_routes"]
