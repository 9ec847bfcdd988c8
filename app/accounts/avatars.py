"""Avatar images: checked by content, size-limited, re-encoded.

Re-encoding through Pillow drops EXIF (GPS!) and any payload hidden after the image data, and
a fixed square WebP keeps pages light.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from app.accounts.errors import AccountError
from app.core import images

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIZE = 256


def reencode(data: bytes) -> bytes:
    """Return a 256×256 WebP of ``data``; raise ``profile.avatar_*`` for anything else."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise AccountError("profile.avatar_not_image")
    if len(data) > MAX_BYTES:
        raise AccountError("profile.avatar_too_large", mb=MAX_BYTES // (1024 * 1024))
    try:
        image = images.decode(bytes(data), max_pixels=MAX_PIXELS)
    except images.ImageRefused as refused:
        if refused.too_large:
            raise AccountError("profile.avatar_too_large", mb=MAX_BYTES // (1024 * 1024)) from None
        raise AccountError("profile.avatar_not_image") from None
    square = _crop_square(image.convert("RGB"))
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
    return images.write_atomically(media_dir / "avatars", ".webp", webp).relative_to(media_dir).as_posix()
