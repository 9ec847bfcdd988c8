"""Plain HTTP routes served next to the Reflex app on the same port (health, public media).

Later issues add server-rendered public pages, sitemaps, payment callbacks and private file
downloads here.
"""

from __future__ import annotations


from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from app.core.db import reading
from app.core.settings import get_settings

MEDIA_TYPES = {".webp": "image/webp", ".png": "image/png", ".jpg": "image/jpeg", ".mp3": "audio/mpeg"}


async def health(_request: Request) -> JSONResponse:
    from sqlalchemy import text

    with reading() as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return JSONResponse({"status": "ok"})


async def media(request: Request) -> FileResponse:
    """Serve public media by a relative path that cannot leave the media folder."""
    root = get_settings().media_dir.resolve()
    path = (root / request.path_params["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file() or path.suffix not in MEDIA_TYPES:
        raise HTTPException(status_code=404)
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix],
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=86400"},
    )


def build_routes() -> Starlette:
    return Starlette(routes=[Route("/healthz", health), Route("/media/{path:path}", media)])


__all__ = ["build_routes"]
