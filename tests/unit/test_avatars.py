"""Avatars are checked by content, size-limited and re-encoded to a small square WebP."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from app.accounts import AccountError
from app.accounts.avatars import MAX_BYTES, SIZE, reencode, store

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _image_bytes(fmt: str, size=(320, 200), color=(200, 30, 30), *, exif: bool = False, mode: str = "RGB", **save) -> bytes:
    image = Image.new(mode, size, color)
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x0110] = "Secret Phone 9"  # Model
        save["exif"] = tags.tobytes()
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _not_image_key(data) -> str:
    with pytest.raises(AccountError) as caught:
        reencode(data)
    return caught.value.key


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_accepted_formats_become_a_square_webp(fmt):
    """Whatever comes in, a 256x256 WebP goes out."""
    # given a non-square image in an accepted format
    data = _image_bytes(fmt)
    # when it is re-encoded
    out = _open(reencode(data))
    # then it is a 256x256 WebP
    assert out.format == "WEBP"
    assert out.size == (SIZE, SIZE) == (256, 256)


def test_png_with_transparency_is_accepted():
    """Logos often come as RGBA PNGs."""
    # given a semi-transparent PNG
    data = _image_bytes("PNG", color=(0, 128, 0, 100), mode="RGBA")
    # when it is re-encoded
    out = _open(reencode(data))
    # then it is a 256x256 WebP
    assert (out.format, out.size) == ("WEBP", (256, 256))


def test_exif_is_stripped():
    """Phone photos carry the camera and often GPS; none of it may be published."""
    # given a JPEG with EXIF metadata
    data = _image_bytes("JPEG", exif=True)
    assert b"Secret Phone 9" in data and _open(data).getexif()
    # when it is re-encoded
    out_bytes = reencode(data)
    out = _open(out_bytes)
    # then no EXIF is left
    assert b"Secret Phone 9" not in out_bytes
    assert b"Exif" not in out_bytes
    assert not out.info.get("exif")
    assert len(out.getexif()) == 0


def test_bytes_hidden_after_the_image_are_dropped():
    """A polyglot (image + appended payload) must not be served back verbatim."""
    # given a PNG with a payload after its end
    data = _image_bytes("PNG") + b"<script>alert(1)</script>"
    # when it is re-encoded
    out = reencode(data)
    # then the payload is gone
    assert b"<script>" not in out


def test_a_wide_image_is_centre_cropped_not_squashed():
    """Faces stay in proportion: the middle square is kept."""
    # given a 300x100 image: red, green, blue thirds
    image = Image.new("RGB", (300, 100), (255, 0, 0))
    image.paste((0, 255, 0), (100, 0, 200, 100))
    image.paste((0, 0, 255), (200, 0, 300, 100))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    # when it is re-encoded
    out = _open(reencode(buffer.getvalue())).convert("RGB")
    # then only the green middle is left, corners included
    for xy in [(5, 5), (128, 128), (250, 250), (5, 250)]:
        red, green, blue = out.getpixel(xy)
        assert green > 200 and red < 60 and blue < 60, (xy, out.getpixel(xy))


def test_exif_orientation_is_applied_before_it_is_stripped():
    """A portrait photo the phone stored sideways must not become a sideways avatar."""
    # given landscape pixels (red left, blue right) tagged "rotate 90° clockwise to display"
    image = Image.new("RGB", (200, 100), (255, 0, 0))
    image.paste((0, 0, 255), (100, 0, 200, 100))
    tags = Image.Exif()
    tags[ORIENTATION] = 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=tags.tobytes(), quality=95)
    # when it is re-encoded
    out = _open(reencode(buffer.getvalue())).convert("RGB")
    # then it is displayed upright: red on top, blue at the bottom
    top, bottom = out.getpixel((128, 10)), out.getpixel((128, 245))
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_camera_jpeg_with_extra_frames_is_accepted():
    """Many phones write MPO (a JPEG with a second frame); it is still a JPEG photo."""
    # given an MPO file
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (10, 120, 200)).save(
        buffer, format="MPO", save_all=True, append_images=[Image.new("RGB", (120, 90), (0, 0, 0))]
    )
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    # when it is re-encoded
    out = _open(reencode(buffer.getvalue()))
    # then it is accepted like any JPEG
    assert (out.format, out.size) == ("WEBP", (256, 256))


@pytest.mark.parametrize(
    "data",
    [
        "صورة".encode(),
        b"hello, this is a text file pretending to be a picture\n" * 10,
        b"",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    ],
    ids=["arabic-text", "text", "empty", "svg", "pdf"],
)
def test_files_that_are_not_raster_images_are_refused(data):
    """Only pixels: text, SVG (scriptable) and PDFs are not avatars."""
    # given a file that is not a raster image
    # when it is re-encoded
    # then it is refused as not an image
    assert _not_image_key(data) == "profile.avatar_not_image"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_is_refused(fmt):
    """An upload cut short must not produce a half-grey avatar or a server error."""
    # given an image whose second half is missing (noise so the data does not compress away)
    image = Image.frombytes("RGB", (200, 200), bytes((i * 7919) % 251 for i in range(200 * 200 * 3)))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    data = buffer.getvalue()
    # when it is re-encoded
    # then it is refused as not an image
    assert _not_image_key(data[: len(data) // 2]) == "profile.avatar_not_image"


def test_other_raster_formats_are_refused():
    """BMP and TIFF are not on the list, even though Pillow reads them."""
    # given a BMP and a TIFF
    for fmt in ("BMP", "TIFF"):
        # when they are re-encoded
        # then they are refused as not an image
        assert _not_image_key(_image_bytes(fmt)) == "profile.avatar_not_image"


def test_non_bytes_are_refused():
    """State handlers may pass whatever the upload gave them."""
    # given a str and None
    # when they are re-encoded
    # then they are refused as not an image
    assert _not_image_key("not bytes") == "profile.avatar_not_image"
    assert _not_image_key(None) == "profile.avatar_not_image"


def test_more_than_two_megabytes_is_refused_before_decoding():
    """Large uploads are refused by size, with the limit in the message."""
    # given a valid PNG padded past 2 MB
    data = _image_bytes("PNG") + b"\0" * (MAX_BYTES + 1)
    # when it is re-encoded
    with pytest.raises(AccountError) as caught:
        reencode(data)
    # then the error is "too large" with the limit in MB
    assert caught.value.key == "profile.avatar_too_large"
    assert caught.value.params == {"mb": 2}
    assert "2" in caught.value.message("en")


def test_exactly_two_megabytes_is_not_refused_for_size():
    """The limit is inclusive."""
    # given a PNG padded to exactly 2 MB
    data = _image_bytes("PNG")
    data += b"\0" * (MAX_BYTES - len(data))
    # when it is re-encoded
    out = _open(reencode(data))
    # then it is accepted
    assert out.size == (256, 256)


def test_a_small_file_declaring_huge_dimensions_is_refused():
    """A decompression bomb is refused from its header, before its pixels are decoded."""
    # given a tiny PNG whose header claims 9000x9000 pixels
    data = bytearray(_image_bytes("PNG", size=(1, 1)))
    ihdr = data.index(b"IHDR")
    fields = struct.pack(">II", 9000, 9000) + bytes(data[ihdr + 12 : ihdr + 17])
    data[ihdr + 4 : ihdr + 17] = fields
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(b"IHDR" + fields))
    assert len(data) < 1000
    # when it is re-encoded
    with pytest.raises(AccountError) as caught:
        reencode(bytes(data))
    # then it is refused as too large
    assert caught.value.key == "profile.avatar_too_large"


def test_store_writes_a_random_webp_name_under_avatars(tmp_path):
    """File names come from us, never from the upload."""
    # given a re-encoded avatar
    webp = reencode(_image_bytes("PNG"))
    # when it is stored twice
    first, second = store(tmp_path, webp), store(tmp_path, webp)
    # then each gets its own random name under avatars/ with the bytes written
    assert first != second
    for name in (first, second):
        assert name.startswith("avatars/") and name.endswith(".webp")
        assert (tmp_path / name).read_bytes() == webp
