"""Plain HTTP routes served next to the Reflex app on the same port (health, public media,
payment webhooks, buyers' signed returns from a gateway's page, private order files).

Later issues add server-rendered public pages, sitemaps, payment callbacks and private file
downloads here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse
from starlette.routing import Route

from app.accounts.sessions import resolve
from app.core.db import reading
from app.core.settings import get_settings
from app.orders import files as order_files
from app.orders.files import StoredFile
from app.payments import PaymentError, get_gateway, receive_webhook
from app.payments.gateway import ReturnsByPost
from app.payments.webhooks import receive_return

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


async def payment_webhook(request: Request) -> JSONResponse:
    """A gateway's signed webhook: verify it and hand the result to checkout's handler.

    A forged or unknown one is a 400 and reaches no handler; a gateway that is not switched on
    is a 404; a handler that fails is a 500, so the gateway retries later. The database work
    runs in a worker thread, off the event loop the Reflex app shares.
    """
    body = await _limited_body(request)
    try:
        gateway = get_gateway(request.path_params["gateway"])
    except PaymentError:
        raise HTTPException(status_code=404) from None
    try:
        await run_in_threadpool(receive_webhook, gateway, headers=request.headers, body=body)
    except PaymentError as exc:
        return JSONResponse({"error": exc.key}, status_code=400)
    return JSONResponse({"status": "ok"})


async def _limited_body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            raise HTTPException(status_code=413)
    return body


async def payment_return(request: Request) -> RedirectResponse | JSONResponse:
    """The buyer back from a gateway's page by a signed form POST (PayTabs): check it, apply
    the verified result, and send the browser on (303, a GET) to the return page of the order.

    A forged or foreign return is a 400 and applies nothing; a gateway that is not switched on,
    or that sends buyers back by a link instead, is a 404.
    """
    body = await _limited_body(request)
    try:
        gateway = get_gateway(request.path_params["gateway"])
    except PaymentError:
        raise HTTPException(status_code=404) from None
    if not isinstance(gateway, ReturnsByPost):
        raise HTTPException(status_code=404)
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        target = await run_in_threadpool(receive_return, gateway, form=form)
    except PaymentError as exc:
        return JSONResponse({"error": exc.key}, status_code=400)
    return RedirectResponse(get_settings().base_url + target, status_code=303)


def _private_file(token: str, cookie: str | None) -> StoredFile | None:
    with reading() as session:
        viewer = resolve(session, cookie)
        return None if viewer is None else order_files.open_for(session, token=token, user_id=viewer.id)


async def order_file(request: Request) -> FileResponse:
    """A private order file, for the order's two parties and admins only, always downloaded.

    Anyone else, signed out, or asking for a token that does not exist gets the same 404.
    The type is the one found from the content when the file was stored, and ``nosniff``
    keeps the browser from guessing another, so the file never runs as a page of ours.
    """
    stored = await run_in_threadpool(_private_file, request.path_params["token"], request.cookies.get(SESSION_COOKIE))
    if stored is None:
        raise HTTPException(status_code=404)
    return FileResponse(
        stored.path,
        media_type=stored.mime,
        filename=stored.name,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )


def build_routes() -> Starlette:
    return Starlette(
        routes=[
            Route("/healthz", health),
            Route("/media/{path:path}", media),
            Route("/payments/webhook/{gateway}", payment_webhook, methods=["POST"]),
            Route("/payments/return/{gateway}", payment_return, methods=["POST"]),
            Route("/files/{token}", order_file),
        ]
    )


__all__ = ["build_routes"]
