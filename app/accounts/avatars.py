"""Avatar images: checked by content, size-limited, re-encoded.

Re-encoding through Pillow drops EXIF (GPS!) and any payload hidden after the image data, and
a fixed square WebP keeps pages light.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from app.accounts.errors import AccountError

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIZE = 256
# MPO is how Pillow names the JPEGs many phone cameras write (a JPEG with extra frames).
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}


def reencode(data: bytes) -> bytes:
    """Return a 256×256 WebP of ``data``; raise ``profile.avatar_*`` for anything else."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise AccountError("profile.avatar_not_image")
    if len(data) > MAX_BYTES:
        raise AccountError("profile.avatar_too_large", mb=MAX_BYTES // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise AccountError("profile.avatar_not_image")
            if image.width * image.height > MAX_PIXELS:
                raise AccountError("profile.avatar_too_large", mb=MAX_BYTES // (1024 * 1024))
            image.load()
            # Apply the EXIF orientation before EXIF is dropped, or phone photos end up sideways.
            square = _crop_square(ImageOps.exif_transpose(image).convert("RGB"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise AccountError("profile.avatar_not_image") from None
    out = io.BytesIO()
    square.resize((SIZE, SIZE), Image.Resampling.LANCZOS).save(out, format="WEBP", quality=85)
    return out.getvalue()


def _crop_square(image: Image.Image) -> Image.Image:
    side = min(image.size)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    return image.crop((left, top, left + side, top + side))


def store(media_dir: Path, webp: bytes) -> str:
    """Write the image under ``media_dir/avatars`` with a random name; return the relative name."""
    name = f"avatars/{uuid.uuid4().hex}.webp"
    path = media_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(webp)
    return name
