"""Uploaded pictures and public files: decode by content, then write without half-files.

Avatars and gig galleries both accept only what Pillow decodes as one of a few raster formats
(never by name or extension) and re-encode it, so EXIF (GPS!) and any payload appended after
the image data never reach the public media folder. The pixel cap is checked from the header,
before any pixel is decoded, which is what stops decompression bombs.
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# MPO is how Pillow names the JPEGs many phone cameras write (a JPEG with extra frames).
RASTER_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
# What Pillow raises on a file it cannot read.
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


class ImageRefused(Exception):
    """Not a picture we accept (``too_large`` False) or one with too many pixels (True)."""

    def __init__(self, *, too_large: bool = False) -> None:
        super().__init__("too many pixels" if too_large else "not an accepted image")
        self.too_large = too_large


def is_image(data: bytes) -> bool:
    """Whether Pillow recognises ``data`` as a picture at all (reads the header only)."""
    try:
        with Image.open(io.BytesIO(data)):
            return True
    except Image.DecompressionBombError:  # Pillow's own, far larger, cap: a picture all the same
        return True
    except _UNREADABLE:
        return False


def decode(data: bytes, *, max_pixels: int, formats: frozenset[str] = RASTER_FORMATS) -> Image.Image:
    """Decode ``data`` fully, upright (EXIF orientation applied), or raise ``ImageRefused``.

    The file is verified first (Pillow's ``verify`` checks chunk CRCs and structure), then
    opened again to decode, as ``verify`` leaves the image unusable.
    """
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in formats:
                raise ImageRefused()
            if probe.width * probe.height > max_pixels:
                raise ImageRefused(too_large=True)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Apply the orientation before EXIF is dropped, or phone photos end up sideways.
            return ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise ImageRefused(too_large=True) from None
    except _UNREADABLE:
        raise ImageRefused() from None


def write_atomically(folder: Path, suffix: str, data: bytes) -> Path:
    """Write ``data`` under ``folder`` with a random unguessable name; return the path.

    The bytes go to a temporary name first and are renamed into place, so a reader (or a
    crash) never sees a half-written file under the public name.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}{suffix}"
    partial = folder / f".{path.name}.part"
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path
