"""Gallery files are judged by their bytes: real pictures and sounds in, everything else out."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from app.catalog import CatalogError
from app.catalog.media import MAX_AUDIO_BYTES, MAX_IMAGE_BYTES, MAX_SIDE, check_file
from tests.samples import ELF_HEADER as ELF, bomb_png, image_bytes, mp3_bytes, wav_bytes

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00"


def refusal(data: object, name: str = "file") -> str:
    with pytest.raises(CatalogError) as caught:
        check_file(data, name=name)  # type: ignore[arg-type]
    return caught.value.key


def test_a_wav_sample_is_kept_as_it_came_with_its_duration():
    """Audio is not re-encoded (no ffmpeg): the stored bytes are the uploaded ones."""
    # given a 3-second WAV made by the standard library
    data = wav_bytes(3.0)
    # when it is checked
    checked = check_file(data)
    # then it is audio, stored verbatim as .wav with its measured length
    assert (checked.kind, checked.extension, checked.mime) == ("audio", "wav", "audio/wav")
    assert checked.data == data
    assert checked.duration_ms == 3000


def test_an_mp3_stream_is_recognised_without_a_name():
    """The format comes from the frames, so it is named .mp3 / audio/mpeg whatever it was called."""
    # given MPEG Layer III frames (about 5 seconds)
    # when they are checked
    checked = check_file(mp3_bytes(200), name="my-voice.wav")
    # then the detected format wins over the uploader's name
    assert (checked.kind, checked.extension, checked.mime) == ("audio", "mp3", "audio/mpeg")
    assert 5000 <= (checked.duration_ms or 0) <= 5400


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_pictures_become_webp_within_the_size_cap(fmt):
    """A 4000×1000 banner is shrunk to 1600 px on its longer side, in proportion."""
    # given a wide picture
    data = image_bytes(fmt, size=(4000, 1000))
    # when it is checked
    checked = check_file(data)
    # then a WebP of at most 1600 px comes out, with its real size recorded
    stored = Image.open(io.BytesIO(checked.data))
    assert (checked.kind, checked.extension, checked.mime, stored.format) == ("image", "webp", "image/webp", "WEBP")
    assert stored.size == (checked.width, checked.height) == (MAX_SIDE, 400)


def test_small_pictures_are_not_enlarged_and_keep_transparency():
    """A logo stays its size, and its transparent background stays transparent."""
    # given a small half-transparent PNG
    # when it is checked
    checked = check_file(image_bytes("PNG", size=(200, 120), color=(0, 128, 0, 100)))
    # then size and alpha survive
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.size == (200, 120) and stored.mode == "RGBA"


def test_metadata_and_appended_payloads_are_dropped():
    """Phone photos carry GPS; a polyglot carries a script. Neither reaches the public folder."""
    # given a JPEG with EXIF and a script after its end
    exif = Image.Exif()
    exif[0x0110] = "Secret Phone 9"
    data = image_bytes("JPEG", exif=exif.tobytes()) + b"<script>alert(1)</script>"
    assert b"Secret Phone 9" in data
    # when it is checked
    stored = check_file(data).data
    # then neither is in the stored bytes
    assert b"Secret Phone 9" not in stored and b"Exif" not in stored and b"<script>" not in stored


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (ELF + os.urandom(4000), "sample.mp3"),
        (PE + os.urandom(4000), "sample.mp3"),
        (os.urandom(20_000), "sample.mp3"),
        (b"ID3\x03\x00\x00\x00\x00\x00\x00" + ELF + os.urandom(4000), "sample.mp3"),
        (ELF + mp3_bytes(50), "sample.mp3"),
        (b"this is a text file pretending to be a picture\n" * 20, "photo.png"),
        ("صورة".encode() * 100, "photo.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png"),
        (image_bytes("GIF"), "animation.gif"),
        (image_bytes("BMP"), "photo.bmp"),
        (image_bytes("PNG")[:200], "cut.png"),
    ],
    ids=["elf-as-mp3", "pe-as-mp3", "random-as-mp3", "id3-then-elf", "elf-then-frames", "text-as-png", "arabic-text",
         "svg", "gif", "bmp", "truncated-png"],
)
def test_files_that_are_not_accepted_media_are_refused_whatever_their_name(data, name):
    """The name is never believed: an executable called .mp3 is still an executable."""
    # given bytes that are not a picture or sound of an accepted format
    # when they are checked under a trusted-looking name
    # then they are refused as unsupported, and the message names the file
    with pytest.raises(CatalogError) as caught:
        check_file(data, name=name)
    assert caught.value.key == "gig.media_unsupported"
    assert name in caught.value.message("ar")


@pytest.mark.parametrize("data", [b"", None, "not bytes"], ids=["empty", "none", "str"])
def test_empty_uploads_are_refused(data):
    # given nothing (or not bytes)
    # when it is checked
    # then it is refused as empty
    assert refusal(data) == "gig.media_empty"


def test_oversize_files_are_refused_by_size_with_both_limits_in_the_message():
    """5 MB for pictures, 15 MB for sounds; the size is checked before decoding."""
    # given a PNG and a WAV padded past their limits, and 16 MB of noise
    too_big_image = image_bytes("PNG") + b"\0" * MAX_IMAGE_BYTES
    too_big_audio = wav_bytes(1.0) + b"\0" * MAX_AUDIO_BYTES
    # when they are checked
    # then each is refused as too large
    assert refusal(too_big_image) == refusal(too_big_audio) == refusal(os.urandom(MAX_AUDIO_BYTES + 1)) == "gig.media_too_large"
    with pytest.raises(CatalogError) as caught:
        check_file(too_big_image)
    assert caught.value.params["image_mb"] == 5 and caught.value.params["audio_mb"] == 15
    # and a 6 MB sound is still fine, because only pictures stop at 5 MB
    assert check_file(wav_bytes(360.0)).kind == "audio"


def test_a_decompression_bomb_is_refused_from_its_header():
    """A 200-byte PNG claiming 50 000 × 50 000 pixels would need gigabytes to decode."""
    # given such a file (and one just over the 40-megapixel cap)
    # when they are checked
    # then both are refused for their dimensions, without decoding
    assert refusal(bomb_png(50_000)) == refusal(bomb_png(6500)) == "gig.media_image_dimensions"


def test_a_sample_longer_than_ten_minutes_is_refused():
    # given an 11-minute WAV (small: 2 kHz)
    data = wav_bytes(660.0, rate=2000)
    # when it is checked
    # then it is refused for its length
    assert refusal(data) == "gig.media_audio_too_long"
