"""A gig's gallery end to end below the browser: the service, the editor step's handlers, the
gig page's handlers and the /media route, on SQLite and Postgres."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from starlette.testclient import TestClient

from app.catalog import CatalogError, browse, media, moderate
from app.core import db
from app.core.settings import get_settings
from app.http import build_routes
from app.search.engine import Filters
from models.catalog import Gig, GigMedia, GigStatus
from state.gig import GigState
from state.gig_media import GigMediaState
from state.seller import GigEditorState
from tests.integration.statekit import Browser, add_session, ar, fast_password_hashing, rows, snapshot_files, upload
from tests.integration.test_catalog_state import make_gig, make_seller
from tests.integration.test_seller_state import filled_editor
from tests.samples import ELF_HEADER, image_bytes, mp3_bytes, wav_bytes


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_password_hashing(monkeypatch)


@pytest.fixture
def fahad(migrated_database: str) -> int:
    return make_seller("fahad@example.com", "فهد")


@pytest.fixture
def noura(migrated_database: str) -> int:
    return make_seller("noura@example.com", "نورة")


def draft(seller: int) -> int:
    return make_gig(seller, "تعليق صوتي خليجي لإعلانك", status=GigStatus.DRAFT)


def add(seller: int, gig: int, data: bytes, name: str = "file", **kwargs: Any) -> media.Gallery:
    with db.transaction() as session:
        return media.add_media(session, seller_id=seller, gig_id=gig, filename=name, data=data, **kwargs)


def run(command: Any, seller: int, gig: int, **kwargs: Any) -> media.Gallery:
    with db.transaction() as session:
        return command(session, seller_id=seller, gig_id=gig, **kwargs)


def refusal(command: Any, seller: int, gig: int, **kwargs: Any) -> str:
    with pytest.raises(CatalogError) as caught:
        run(command, seller, gig, **kwargs)
    return caught.value.key


def stored(gig: int) -> list[tuple[str, int, str]]:
    """(kind, position, caption) of the gig's rows, as committed."""
    return sorted((m.kind, m.position, m.caption) for m in rows(GigMedia, GigMedia.gig_id == gig))


def file_of(url: str) -> Path:
    return get_settings().media_dir / url.removeprefix("/media/")


def status_of(gig: int) -> str:
    return rows(Gig, Gig.id == gig)[0].status


# -- the service -----------------------------------------------------------------------------


def test_images_and_samples_are_added_listed_reordered_and_removed(fahad: int) -> None:
    # given a draft with two pictures and a sample
    gig = draft(fahad)
    first = add(fahad, gig, image_bytes("PNG", color=(200, 0, 0)), caption="الاستوديو")
    add(fahad, gig, image_bytes("JPEG", color=(0, 0, 200)))
    gallery = add(fahad, gig, wav_bytes(2.0), name="عينة.wav", caption="إعلان سيارات")
    images = [item for item in gallery.items if item.kind == "image"]
    (sample,) = [item for item in gallery.items if item.kind == "audio"]
    # then each file sits under media/gigs/<gig>/ with an unguessable name and the checked type
    assert all(item.url.startswith(f"/media/gigs/{gig}/") and file_of(item.url).is_file() for item in gallery.items)
    assert [i.url.rsplit(".", 1)[1] for i in images] == ["webp", "webp"] and sample.url.endswith(".wav")
    assert (sample.mime, sample.duration_ms, sample.caption) == ("audio/wav", 2000, "إعلان سيارات")
    assert file_of(sample.url).read_bytes() == wav_bytes(2.0)
    assert images[0].url == first.items[0].url and images[0].caption == "الاستوديو"
    # when the second picture moves before the first (it becomes the cover)
    moved = run(media.move_media, fahad, gig, kind="image", index=1, offset=-1)
    # then the order changed and nothing else
    assert [i.url for i in moved.items if i.kind == "image"] == [images[1].url, images[0].url]
    assert run(media.move_media, fahad, gig, kind="image", index=0, offset=-1).items == moved.items  # past the start: no-op
    # when the cover is removed
    after = run(media.remove_media, fahad, gig, kind="image", index=0)
    # then its row and file are gone and the other picture is first again
    assert not file_of(images[1].url).exists()
    assert [(i.kind, i.index, i.url) for i in after.items] == [("audio", 0, sample.url), ("image", 0, images[0].url)]
    with db.reading() as session:
        assert media.list_media(session, gig) == after.items


def test_a_seventh_image_and_a_fifth_sample_are_refused(fahad: int) -> None:
    # given a gig with six pictures and four samples
    gig = draft(fahad)
    for _ in range(media.MAX_IMAGES):
        add(fahad, gig, image_bytes())
    for _ in range(media.MAX_AUDIO):
        add(fahad, gig, wav_bytes(1.0))
    files = snapshot_files()
    # when one more of each is added
    # then both are refused with the limit, and no file is written
    with pytest.raises(CatalogError) as caught:
        add(fahad, gig, image_bytes())
    assert (caught.value.key, caught.value.params) == ("gig.media_too_many_images", {"limit": 6})
    with pytest.raises(CatalogError) as caught:
        add(fahad, gig, mp3_bytes())
    assert (caught.value.key, caught.value.params) == ("gig.media_too_many_audio", {"limit": 4})
    assert snapshot_files() == files
    assert len(stored(gig)) == 10


def test_refused_files_leave_neither_row_nor_file(fahad: int) -> None:
    # given a draft
    gig = draft(fahad)
    files = snapshot_files()
    # when junk, an empty file and an overlong caption are added
    for data, name, caption in [(ELF_HEADER * 100, "voice.mp3", ""), (b"", "empty.wav", ""), (image_bytes(), "ok.png", "ن" * 121)]:
        with pytest.raises(CatalogError):
            add(fahad, gig, data, name=name, caption=caption)
    # then nothing was stored
    assert stored(gig) == [] and snapshot_files() == files


def test_another_sellers_gig_is_not_found_for_every_command(fahad: int, noura: int) -> None:
    # given noura's gig with a picture
    gig = draft(noura)
    add(noura, gig, image_bytes())
    before, files = stored(gig), snapshot_files()
    # when fahad aims every command at it
    # then each finds no such gig, and nothing changed
    assert refusal(media.add_media, fahad, gig, filename="x.png", data=image_bytes()) == "gig.not_found"
    assert refusal(media.remove_media, fahad, gig, kind="image", index=0) == "gig.not_found"
    assert refusal(media.move_media, fahad, gig, kind="image", index=0, offset=1) == "gig.not_found"
    assert refusal(media.set_caption, fahad, gig, kind="image", index=0, caption="pwned") == "gig.not_found"
    with pytest.raises(CatalogError), db.reading() as session:
        media.list_media(session, gig, seller_id=fahad)
    assert stored(gig) == before and snapshot_files() == files


def test_a_suspended_gig_refuses_gallery_changes(fahad: int) -> None:
    # given a suspended gig with a picture
    gig = make_gig(fahad, "تعليق صوتي خليجي لإعلانك", status=GigStatus.SUSPENDED)
    # when the seller adds or removes media
    # then moderation's freeze holds
    assert refusal(media.add_media, fahad, gig, filename="x.png", data=image_bytes()) == "gig.suspended"
    assert refusal(media.remove_media, fahad, gig, kind="image", index=0) == "gig.suspended"


def test_changing_what_buyers_see_sends_a_published_gig_back_to_review(fahad: int) -> None:
    """New or removed media and new captions are moderated like a new title; the order is not."""
    # given a published gig
    gig = make_gig(fahad, "تعليق صوتي خليجي لإعلانك")

    def approve() -> None:
        with db.transaction() as session:
            moderate(session, gig_id=gig, action="approve")

    # when a sample is added, then it waits for review
    gallery = add(fahad, gig, wav_bytes(1.0))
    assert gallery.sent_to_review and status_of(gig) == GigStatus.PENDING
    approve()
    add(fahad, gig, wav_bytes(2.0))
    approve()
    # when the samples are only reordered, then it stays published
    assert not run(media.move_media, fahad, gig, kind="audio", index=0, offset=1).sent_to_review
    assert status_of(gig) == GigStatus.ACTIVE
    # when a caption changes or a sample is removed, then it waits for review again
    assert run(media.set_caption, fahad, gig, kind="audio", index=0, caption="وثائقي").sent_to_review
    approve()
    assert not run(media.set_caption, fahad, gig, kind="audio", index=0, caption="وثائقي").sent_to_review  # unchanged
    assert run(media.remove_media, fahad, gig, kind="audio", index=1).sent_to_review
    assert status_of(gig) == GigStatus.PENDING


def test_a_removal_that_rolls_back_keeps_the_file(fahad: int) -> None:
    """The file is deleted after commit only, so a failed transaction never loses a sample."""
    # given a gig with a sample
    gig = draft(fahad)
    (item,) = add(fahad, gig, wav_bytes(1.0)).items
    # when its removal is rolled back
    with pytest.raises(RuntimeError), db.transaction() as session:
        media.remove_media(session, seller_id=fahad, gig_id=gig, kind="audio", index=0)
        raise RuntimeError("later step failed")
    # then row and file are both still there
    assert len(stored(gig)) == 1 and file_of(item.url).is_file()


@pytest.mark.parametrize(
    ("kind", "index"), [("video", 0), ("image", 5), ("image", -1), ("image", True), ("image", "0"), (None, None)]
)
def test_unknown_items_are_not_found(fahad: int, kind: Any, index: Any) -> None:
    # given a gig with one picture
    gig = draft(fahad)
    add(fahad, gig, image_bytes())
    # when a command names an item that does not exist
    # then it is refused
    assert refusal(media.remove_media, fahad, gig, kind=kind, index=index) == "gig.media_not_found"


# -- the editor step ---------------------------------------------------------------------------


def gallery_tab(token: str, gig: int) -> Browser:
    tab = Browser(token=token, path=f"/seller/gigs/{gig}")
    tab.call(GigEditorState, "open_editor")
    tab.call(GigMediaState, "open_gallery")
    return tab


def test_the_step_uploads_shows_reorders_captions_and_removes(fahad: int) -> None:
    # given the gallery step of fahad's draft
    gig = draft(fahad)
    token = add_session(fahad)
    tab = gallery_tab(token, gig)
    state = tab.state(GigMediaState)
    assert state.loaded and not state.needs_draft and state.images == state.samples == []
    assert state.free_slots == 10
    # when a picture, a sample and a disguised executable are dropped together
    tab.call(GigMediaState, "upload", [upload(image_bytes(), "studio.png"), upload(wav_bytes(65.0), "ad.wav"), upload(ELF_HEADER * 50, "virus.mp3")])
    # then the two real files are shown, and the refusal names the third
    assert len(state.images) == 1 and len(state.samples) == 1
    assert state.samples[0]["duration"] == "1:05" and state.samples[0]["url"].endswith(".wav")
    assert state.error == ar("gig.media_unsupported", name="virus.mp3")
    assert state.free_slots == 8
    # when a caption is typed, another picture added and moved first
    tab.call(GigMediaState, "save_caption", "audio", 0, "  إعلان   سيارات ")
    assert state.samples[0]["caption"] == "إعلان سيارات" and state.error == ""
    tab.call(GigMediaState, "upload", [upload(image_bytes(color=(0, 0, 0)), "dark.png")])
    second = state.images[1]["url"]
    tab.call(GigMediaState, "move", "image", 1, -1)
    assert state.images[0]["url"] == second
    # when the sample is removed
    tab.call(GigMediaState, "remove", "audio", 0)
    # then the step and the database agree
    assert state.samples == [] and [row[0] for row in stored(gig)] == ["image", "image"]
    # and the browser got display strings only: no ids, no paths outside /media/
    assert set(state.images[0]) == {"url", "caption", "duration", "mime"}


def test_a_new_gig_is_saved_as_a_draft_before_its_gallery_opens(fahad: int) -> None:
    # given the editor of a new gig, filled in but never saved
    token = add_session(fahad)
    tab = filled_editor(token)
    tab.call(GigMediaState, "open_gallery")
    state = tab.state(GigMediaState)
    # then the step asks for a draft first, and an upload changes nothing
    assert state.needs_draft
    files = snapshot_files()
    tab.call(GigMediaState, "upload", [upload(wav_bytes(), "a.wav")])
    assert state.error == ar("gig.media_save_first") and snapshot_files() == files
    # when the draft is saved (the notice's button) and the step reloads
    tab.call(GigEditorState, "save_draft")
    tab.call(GigMediaState, "open_gallery")
    tab.call(GigMediaState, "upload", [upload(wav_bytes(), "a.wav")])
    # then the sample belongs to the new draft
    (gig,) = rows(Gig, Gig.seller_id == fahad)
    assert not state.needs_draft and len(state.samples) == 1 and stored(gig.id) == [("audio", 0, "")]


def test_the_step_cannot_reach_another_sellers_gig(fahad: int, noura: int) -> None:
    # given noura's gig with a picture, and fahad's editor pointed at it
    gig = draft(noura)
    add(noura, gig, image_bytes())
    before, files = stored(gig), snapshot_files()
    tab = gallery_tab(add_session(fahad), gig)
    state = tab.state(GigMediaState)
    assert state.images == []
    # when fahad uploads, removes, moves and captions there
    for name, args in [("upload", ([upload(image_bytes(), "x.png")],)), ("remove", ("image", 0)), ("move", ("image", 0, 1)),
                       ("save_caption", ("image", 0, "pwned"))]:
        tab.call(GigMediaState, name, *args)
        # then every call is refused as not found
        assert state.error == ar("gig.not_found"), name
    assert stored(gig) == before and snapshot_files() == files


def test_a_change_to_a_published_gig_says_it_went_back_to_review(fahad: int) -> None:
    # given the gallery step of a published gig
    gig = make_gig(fahad, "تعليق صوتي خليجي لإعلانك")
    tab = gallery_tab(add_session(fahad), gig)
    # when a sample is added
    events = tab.call(GigMediaState, "upload", [upload(wav_bytes(), "a.wav")])
    # then the seller is told, and the editor shows the new status
    assert status_of(gig) == GigStatus.PENDING
    assert any(ar("gallery.back_to_review") in str(event) for event in events)
    assert tab.state(GigEditorState).status == GigStatus.PENDING


# -- the gig page ------------------------------------------------------------------------------


def test_the_gig_page_shows_the_gallery_and_samples(fahad: int) -> None:
    # given a published gig with two pictures and a captioned sample, approved again
    gig = make_gig(fahad, "تعليق صوتي خليجي لإعلانك")
    add(fahad, gig, image_bytes(color=(255, 0, 0)))
    add(fahad, gig, image_bytes(color=(0, 255, 0)), caption="غرفة التسجيل")
    add(fahad, gig, mp3_bytes(), caption="إعلان قهوة")
    with db.transaction() as session:
        moderate(session, gig_id=gig, action="approve")
    # when a visitor opens it
    tab = Browser(path=f"/gig/{gig}")
    tab.call(GigState, "open_page")
    page = tab.state(GigState)
    # then the cover is shown large, the thumbnails switch it, and the sample plays from /media/
    assert len(page.images) == 2 and page.main_image == page.images[0]
    tab.call(GigState, "show_image", 1)
    assert page.main_image["caption"] == "غرفة التسجيل"
    for junk in (5, -1, "x", None, {"$ne": 1}):
        tab.call(GigState, "show_image", junk)
        assert page.shown_image == 1
    (sample,) = page.samples
    assert sample["caption"] == "إعلان قهوة" and sample["mime"] == "audio/mpeg" and sample["url"].startswith(f"/media/gigs/{gig}/")


# -- the /media route ----------------------------------------------------------------------------


@pytest.fixture
def served(fahad: int) -> tuple[TestClient, str, bytes]:
    gig = draft(fahad)
    data = wav_bytes(3.0)
    (item,) = add(fahad, gig, data).items
    return TestClient(build_routes()), item.url, data


def test_audio_is_served_with_its_type_and_answers_range_requests(served: tuple[TestClient, str, bytes]) -> None:
    """Seeking in an <audio> player asks for byte ranges; the whole file must not be needed."""
    client, url, data = served
    # when the whole file, then a middle slice, then an open-ended tail are asked for
    whole = client.get(url)
    middle = client.get(url, headers={"Range": "bytes=100-199"})
    tail = client.get(url, headers={"Range": f"bytes={len(data) - 10}-"})
    # then the type is audio/wav (never sniffed) and each range is exactly the bytes asked for
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "audio/wav" and whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["x-content-type-options"] == "nosniff"
    assert middle.status_code == 206 and middle.content == data[100:200]
    assert middle.headers["content-range"] == f"bytes 100-199/{len(data)}"
    assert tail.status_code == 206 and tail.content == data[-10:]


def test_a_range_past_the_end_is_refused(served: tuple[TestClient, str, bytes]) -> None:
    client, url, data = served
    response = client.get(url, headers={"Range": f"bytes={len(data) + 10}-"})
    assert response.status_code == 416 and response.headers["content-range"] == f"bytes */{len(data)}"


def test_only_finished_media_files_inside_the_folder_are_served(served: tuple[TestClient, str, bytes]) -> None:
    client, url, _ = served
    folder = file_of(url).parent
    (folder / ".abc.wav.part").write_bytes(b"half")
    for path in ("/media/../mihan.db", "/media/gigs/%2e%2e/%2e%2e/secret.key", f"{url}.part", url.replace(".wav", ".exe")):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/media/{(folder / '.abc.wav.part').relative_to(get_settings().media_dir)}").status_code == 404


def test_every_audio_extension_the_service_stores_is_served_as_audio() -> None:
    from app.http import MEDIA_TYPES

    assert {f".{ext}": mime for ext, mime in media.AUDIO_FORMATS.values()}.items() <= MEDIA_TYPES.items()


# -- catalogue cards ---------------------------------------------------------------------------


def test_cards_carry_the_cover_and_a_sample_flag_in_one_query(fahad: int) -> None:
    """The listing shows a thumbnail and «عينة صوتية» without one query per card."""
    # given three published gigs: with a picture and a sample, with two pictures, with nothing
    both_kinds, pictures, plain = (make_gig(fahad, f"تعليق صوتي خليجي لإعلانك رقم {n}") for n in range(3))
    add(fahad, both_kinds, wav_bytes())
    cover = add(fahad, both_kinds, image_bytes()).items[-1].url
    add(fahad, pictures, image_bytes(color=(1, 1, 1)))
    second = add(fahad, pictures, image_bytes(color=(2, 2, 2))).items[-1].url
    run(media.move_media, fahad, pictures, kind="image", index=1, offset=-1)
    with db.transaction() as session:
        for gig in (both_kinds, pictures):
            moderate(session, gig_id=gig, action="approve")
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    # when a page of the catalogue is read
    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        with db.reading() as session:
            page = browse(session, Filters())
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # then each card knows its cover and whether it has a sample, from a single card query
    found = {card.id: (card.cover_url, card.has_audio) for card in page.cards}
    assert found == {both_kinds: (cover, True), pictures: (second, False), plain: ("", False)}
    assert len([s for s in statements if "gig_media" in s]) == 1
