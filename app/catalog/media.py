"""A gig's gallery: images and audio samples, checked by content and published as public media.

In Gulf voice-over the sample *is* the product, so a gig carries up to four audio samples next
to up to six images. A file's type is decided by what its bytes are, never by its name or
extension (both are whatever the uploader typed):

* images are decoded by Pillow (verified, pixel-capped before decoding, so a decompression
  bomb is refused from its header), then re-encoded to WebP at most 1600 px on the longer
  side: EXIF (GPS!) and anything appended after the image data are dropped;
* audio must be a stream mutagen parses as MP3, M4A (AAC), Ogg Vorbis/Opus, WAV or FLAC, with
  a positive duration of at most ten minutes. Audio is stored as uploaded, under the extension
  and MIME type of the detected format: re-encoding it would need ffmpeg, which Mihan does not
  ship. mutagen is handed a nameless file object, because its MP3 detector otherwise scores a
  ``.mp3`` name and then hunts for a frame sync anywhere in the file, junk included.

Files live at ``media/gigs/<gig>/<random>.<ext>`` (public by design, unguessable names) and are
written atomically; a removed file is deleted only after the removal commits. Every command
finds the gig through the seller in its query, so another seller's gig is "not found", and a
suspended gig refuses changes. Adding or removing media, or changing a caption, changes what
buyers see, so a published gig goes back to review exactly as a title edit does; reordering
does not.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.accounts.inputs import clean_text
from app.catalog.errors import CatalogError
from app.catalog.gigs import editable_gig, send_back_to_review
from app.core import audio, clock, images
from app.core.db import on_commit
from app.core.settings import get_settings
from models.catalog import Gig, GigMedia, MediaKind

MB = 1024 * 1024
MAX_IMAGE_BYTES = 5 * MB
MAX_AUDIO_BYTES = 15 * MB
MAX_UPLOAD_BYTES = max(MAX_IMAGE_BYTES, MAX_AUDIO_BYTES)  # what a caller needs to read of a file, plus one byte
MAX_IMAGES = 6
MAX_AUDIO = 4
LIMITS = {MediaKind.IMAGE: MAX_IMAGES, MediaKind.AUDIO: MAX_AUDIO}
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
MAX_AUDIO_MS = 10 * 60 * 1000
MAX_CAPTION = 120
MAX_SHOWN_NAME = 60
AUDIO_FORMATS = audio.AUDIO_FORMATS


@dataclass(frozen=True)
class MediaItem:
    """One file of a gallery as pages show it; ``index`` is its place among media of its kind."""

    kind: str
    index: int
    url: str
    mime: str
    caption: str
    width: int | None
    height: int | None
    duration_ms: int | None


@dataclass(frozen=True)
class Gallery:
    """A gig's media after a change, and whether the change sent the gig back to review."""

    items: tuple[MediaItem, ...]
    status: str
    sent_to_review: bool = False


@dataclass(frozen=True)
class CheckedFile:
    """What the content check found, and the bytes to store (re-encoded for pictures)."""

    kind: MediaKind
    data: bytes
    extension: str
    mime: str
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None


# -- content checks ---------------------------------------------------------------------------


def _shown_name(filename: object) -> str:
    """The uploader's file name, safe to repeat in a message (it never decides anything)."""
    text = clean_text(filename) if isinstance(filename, str) else ""
    return text[:MAX_SHOWN_NAME] or "—"


def check_file(data: bytes, *, name: str = "—") -> CheckedFile:
    """Decide by content what ``data`` is and prepare what will be stored.

    Raises:
        CatalogError: ``gig.media_empty``, ``gig.media_too_large``, ``gig.media_unsupported``,
            ``gig.media_image_dimensions``, ``gig.media_audio_too_long``.
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise CatalogError("gig.media_empty", name=name)
    data = bytes(data)
    looks_like_image = images.is_image(data)
    if len(data) > (MAX_IMAGE_BYTES if looks_like_image else MAX_AUDIO_BYTES):
        raise CatalogError("gig.media_too_large", name=name, image_mb=MAX_IMAGE_BYTES // MB, audio_mb=MAX_AUDIO_BYTES // MB)
    return _image(data, name) if looks_like_image else _audio(data, name)


def _image(data: bytes, name: str) -> CheckedFile:
    try:
        image = images.decode(data, max_pixels=MAX_PIXELS, formats=images.RASTER_FORMATS - {"GIF"})
    except images.ImageRefused as refused:
        raise CatalogError("gig.media_image_dimensions" if refused.too_large else "gig.media_unsupported", name=name) from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    try:
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        image.save(out, format="WEBP", quality=85)
    except (OSError, ValueError):  # an exotic pixel mode Pillow decodes but cannot convert
        raise CatalogError("gig.media_unsupported", name=name) from None
    return CheckedFile(MediaKind.IMAGE, out.getvalue(), "webp", "image/webp", width=image.width, height=image.height)


def _audio(data: bytes, name: str) -> CheckedFile:
    found = audio.probe(data)
    if found is None:
        raise CatalogError("gig.media_unsupported", name=name)
    if found.duration_ms > MAX_AUDIO_MS:
        raise CatalogError("gig.media_audio_too_long", name=name, minutes=MAX_AUDIO_MS // 60_000)
    return CheckedFile(MediaKind.AUDIO, data, found.extension, found.mime, duration_ms=found.duration_ms)


# -- reading -------------------------------------------------------------------------------


def media_url(path: str) -> str:
    return f"/media/{path}"


def _rows(session: Session, gig_id: int) -> list[GigMedia]:
    query = select(GigMedia).where(GigMedia.gig_id == gig_id).order_by(col(GigMedia.kind), col(GigMedia.position), col(GigMedia.id))
    return list(session.exec(query))


def _items(rows: list[GigMedia]) -> tuple[MediaItem, ...]:
    return tuple(
        MediaItem(
            kind=row.kind, index=row.position, url=media_url(row.path), mime=row.mime, caption=row.caption,
            width=row.width, height=row.height, duration_ms=row.duration_ms,
        )
        for row in rows
    )


def list_media(session: Session, gig_id: int, *, seller_id: int | None = None) -> tuple[MediaItem, ...]:
    """A gig's media grouped by kind, each kind in the seller's order.

    Without ``seller_id`` the caller has already decided the viewer may see the gig (the gig
    page does, through ``get_gig``); with it, only that seller's own gig is listed.

    Raises:
        CatalogError: ``gig.not_found`` (with ``seller_id``, for a gig that is not theirs).
    """
    if seller_id is not None:
        owned = session.exec(select(Gig.id).where(Gig.id == gig_id, Gig.seller_id == seller_id)).first()
        if owned is None:
            raise CatalogError("gig.not_found")
    return _items(_rows(session, gig_id))


def _gallery(session: Session, gig: Gig, sent_to_review: bool = False) -> Gallery:
    assert gig.id is not None
    return Gallery(items=_items(_rows(session, gig.id)), status=gig.status, sent_to_review=sent_to_review)


def _of_kind(session: Session, gig_id: int, kind: MediaKind) -> list[GigMedia]:
    query = select(GigMedia).where(GigMedia.gig_id == gig_id, GigMedia.kind == kind.value)
    return list(session.exec(query.order_by(col(GigMedia.position), col(GigMedia.id))))


def _kind(kind: object) -> MediaKind:
    if isinstance(kind, str) and kind in (MediaKind.IMAGE.value, MediaKind.AUDIO.value):
        return MediaKind(kind)
    raise CatalogError("gig.media_not_found")


def _at(rows: list[GigMedia], index: object) -> GigMedia:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(rows):
        raise CatalogError("gig.media_not_found")
    return rows[index]


def _renumber(session: Session, rows: list[GigMedia]) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            session.add(row)
    session.flush()


# -- commands --------------------------------------------------------------------------------


def add_media(session: Session, *, seller_id: int, gig_id: int, filename: str, data: bytes, caption: str = "") -> Gallery:
    """Check ``data`` by content and add it at the end of the gig's images or audio samples.

    ``filename`` only names the file in error messages. The file is written (atomically) only
    after every check has passed, so a refusal leaves nothing behind.

    Raises:
        CatalogError: ``gig.not_found``, ``gig.suspended``, the content errors of
            ``check_file``, ``gig.media_too_many_images``, ``gig.media_too_many_audio``,
            ``gig.media_invalid_caption``.
    """
    gig = editable_gig(session, seller_id=seller_id, gig_id=gig_id)
    text = _clean_caption(caption)
    checked = check_file(data, name=_shown_name(filename))
    count = session.exec(
        select(func.count()).select_from(GigMedia).where(GigMedia.gig_id == gig_id, GigMedia.kind == checked.kind.value)
    ).one()
    limit = LIMITS[checked.kind]
    if count >= limit:
        raise CatalogError(f"gig.media_too_many_{'images' if checked.kind == MediaKind.IMAGE else 'audio'}", limit=limit)
    media = get_settings().media_dir
    path = images.write_atomically(media / "gigs" / str(gig_id), f".{checked.extension}", checked.data)
    session.add(
        GigMedia(
            gig_id=gig_id, position=count, kind=checked.kind.value, path=path.relative_to(media).as_posix(),
            mime=checked.mime, size_bytes=len(checked.data), width=checked.width, height=checked.height,
            duration_ms=checked.duration_ms, caption=text, created_at=clock.now(),
        )
    )
    session.flush()
    return _gallery(session, gig, send_back_to_review(session, gig))


def remove_media(session: Session, *, seller_id: int, gig_id: int, kind: str, index: int) -> Gallery:
    """Remove the ``index``-th image or audio sample; its file goes once the removal commits.

    Raises:
        CatalogError: ``gig.not_found``, ``gig.suspended``, ``gig.media_not_found``.
    """
    gig = editable_gig(session, seller_id=seller_id, gig_id=gig_id)
    rows = _of_kind(session, gig_id, _kind(kind))
    row = _at(rows, index)
    file = get_settings().media_dir / row.path
    session.delete(row)
    session.flush()
    _renumber(session, [other for other in rows if other is not row])
    on_commit(session, lambda: _delete_file(file))
    return _gallery(session, gig, send_back_to_review(session, gig))


def _delete_file(path: Path) -> None:
    path.unlink(missing_ok=True)


def move_media(session: Session, *, seller_id: int, gig_id: int, kind: str, index: int, offset: int) -> Gallery:
    """Swap the ``index``-th image or audio sample with its neighbour (``offset`` -1 or +1).

    The first image is the gig's cover. Moving past either end changes nothing.

    Raises:
        CatalogError: ``gig.not_found``, ``gig.suspended``, ``gig.media_not_found``.
    """
    gig = editable_gig(session, seller_id=seller_id, gig_id=gig_id)
    rows = _of_kind(session, gig_id, _kind(kind))
    _at(rows, index)
    target = index + offset if type(offset) is int and offset in (-1, 1) else index
    if 0 <= target < len(rows) and target != index:
        rows[index], rows[target] = rows[target], rows[index]
        _renumber(session, rows)
    return _gallery(session, gig)


def set_caption(session: Session, *, seller_id: int, gig_id: int, kind: str, index: int, caption: str) -> Gallery:
    """Set the short text shown under an image or audio sample.

    Raises:
        CatalogError: ``gig.not_found``, ``gig.suspended``, ``gig.media_not_found``,
            ``gig.media_invalid_caption``.
    """
    gig = editable_gig(session, seller_id=seller_id, gig_id=gig_id)
    row = _at(_of_kind(session, gig_id, _kind(kind)), index)
    text = _clean_caption(caption)
    if text == row.caption:
        return _gallery(session, gig)
    row.caption = text
    session.add(row)
    session.flush()
    return _gallery(session, gig, send_back_to_review(session, gig))


def _clean_caption(caption: object) -> str:
    """One line of plain text: control and direction characters go, blanks collapse."""
    if not isinstance(caption, str):
        raise CatalogError("gig.media_invalid_caption")
    text = " ".join(clean_text(caption).split())
    if len(text) > MAX_CAPTION:
        raise CatalogError("gig.media_invalid_caption")
    return text
