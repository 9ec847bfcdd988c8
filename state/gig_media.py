"""The gallery step of the gig editor: the seller's images and audio samples.

Which gig: the route (``/seller/gigs/<n>``) or, on ``/seller/gigs/new``, the draft this tab
has already saved, read from ``GigEditorState``'s backend var through ``get_state`` so the two
substates can never disagree. A gig that was never saved has no id to hang files on, and
keeping uploads in limbo until it is would mean a second store to clean up; so the step asks
for «حفظ كمسودة» first, and its button runs the editor's own save before this state reloads.

Every handler is callable by anyone with anything: it resolves the session, takes a media
item's kind and place (never an id), and the service finds the gig through the seller. Public
vars hold display strings only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import reflex as rx

from app.catalog import media
from app.catalog.errors import CatalogError
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from models.catalog import GigStatus, MediaKind
from state.seller import NEW_PATH, GigEditorState, edited_gig_of, whole_number
from state.session import SessionState

MAX_FILES_PER_UPLOAD = media.MAX_IMAGES + media.MAX_AUDIO


def duration_text(milliseconds: int | None) -> str:
    """``m:ss`` (Latin digits, as players show them); empty when unknown."""
    if not milliseconds:
        return ""
    seconds = round(milliseconds / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def gallery_views(items: tuple[media.MediaItem, ...]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A gallery as display rows: (images, audio samples), each in the seller's order."""

    def view(item: media.MediaItem) -> dict[str, str]:
        return {"url": item.url, "caption": item.caption, "duration": duration_text(item.duration_ms), "mime": item.mime}

    return (
        [view(item) for item in items if item.kind == MediaKind.IMAGE.value],
        [view(item) for item in items if item.kind == MediaKind.AUDIO.value],
    )


class GigMediaState(SessionState):
    """The edited gig's gallery as display rows, and the last refusal."""

    loaded: bool = False
    needs_draft: bool = False
    images: list[dict[str, str]] = []
    samples: list[dict[str, str]] = []
    error: str = ""

    @rx.var
    def free_slots(self) -> int:
        """How many more files the gallery takes (the dropzone's own limit)."""
        return max(0, media.MAX_IMAGES - len(self.images)) + max(0, media.MAX_AUDIO - len(self.samples))

    # -- helpers (not callable from the browser) ------------------------------------------

    async def _gig(self) -> int | None:
        path = self.router.url.path
        found = edited_gig_of(path)
        if found is not None:
            return found
        if isinstance(path, str) and path.rstrip("/") == NEW_PATH:
            return (await self.get_state(GigEditorState))._created or None
        return None

    async def _target(self) -> tuple[int, int]:
        """The viewer and the gig this tab edits; raises when either is missing."""
        viewer = self._require()
        gig = await self._gig()
        if gig is None:
            self.needs_draft = True
            raise CatalogError("gig.media_save_first")
        return viewer.id, gig

    def _show_items(self, items: tuple[media.MediaItem, ...]) -> None:
        self.images, self.samples = gallery_views(items)

    async def _after(self, gallery: media.Gallery) -> list[Any]:
        """Show the gallery; when the change sent a published gig back to review, say so."""
        self._show_items(gallery.items)
        if not gallery.sent_to_review:
            return []
        # the editor shows the gig's status too; keep it truthful
        (await self.get_state(GigEditorState))._status(GigStatus.PENDING.value)
        return [rx.toast.info(translate("gallery.back_to_review", self._lang))]

    # -- events ---------------------------------------------------------------------------

    @rx.event
    async def open_gallery(self):  # type: ignore[no-untyped-def]
        """When the step is shown: the edited gig's media, or the «save a draft first» notice."""
        self.reset()
        try:
            seller, gig = await self._target()
            with reading() as session:
                self._show_items(media.list_media(session, gig, seller_id=seller))
        except MihanError:
            pass  # signed out or unsaved: the editor itself shows why
        self.loaded = True

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        """Files dropped or picked: each is checked and added on its own, so one refusal keeps the rest."""
        self.error = ""
        try:
            seller, gig = await self._target()
        except MihanError as exc:
            self.error = self._message(exc)
            return None
        uploads = [f for f in files if isinstance(f, rx.UploadFile)] if isinstance(files, list) else []
        refusals = [] if uploads else [translate("gallery.rejected_files", self._lang)]
        last, sent_to_review = None, False
        for upload in uploads[:MAX_FILES_PER_UPLOAD]:
            try:
                data = upload.file.read(media.MAX_UPLOAD_BYTES + 1)
                with transaction() as session:
                    last = media.add_media(session, seller_id=seller, gig_id=gig, filename=upload.filename or "", data=data)
                sent_to_review = sent_to_review or last.sent_to_review
            except MihanError as exc:
                refusals.append(self._message(exc))
        self.error = "\n".join(dict.fromkeys(refusals))
        if last is None:
            return None
        notice = await self._after(replace(last, sent_to_review=sent_to_review))
        return [rx.toast.success(translate("gallery.added", self._lang)), *notice]

    @rx.event
    def files_refused(self, rejections: Any):  # type: ignore[no-untyped-def]
        """The dropzone refused files by type, size or count before sending them."""
        self.error = translate("gallery.rejected_files", self._lang)

    async def _change(self, command: Callable[..., media.Gallery], **arguments: Any) -> list[Any] | None:
        """Run one gallery command on this tab's gig; a refusal becomes the step's message.

        Returns the events to send (possibly none), or None when the command was refused.
        """
        self.error = ""
        try:
            seller, gig = await self._target()
            with transaction() as session:
                gallery = command(session, seller_id=seller, gig_id=gig, **arguments)
        except MihanError as exc:
            self.error = self._message(exc)
            return None
        return await self._after(gallery)

    @rx.event
    async def remove(self, kind: Any, index: Any):  # type: ignore[no-untyped-def]
        """«حذف»: the ``index``-th image or audio sample."""
        events = await self._change(media.remove_media, kind=kind, index=whole_number(index, MAX_FILES_PER_UPLOAD))
        return None if events is None else [rx.toast.success(translate("gallery.removed", self._lang)), *events]

    @rx.event
    async def move(self, kind: Any, index: Any, offset: Any):  # type: ignore[no-untyped-def]
        """«تقديم» (offset -1) or «تأخير» (+1)."""
        return await self._change(media.move_media, kind=kind, index=whole_number(index, MAX_FILES_PER_UPLOAD), offset=offset)

    @rx.event
    async def save_caption(self, kind: Any, index: Any, caption: Any):  # type: ignore[no-untyped-def]
        """A caption typed under an image or sample, saved when the field loses focus."""
        return await self._change(media.set_caption, kind=kind, index=whole_number(index, MAX_FILES_PER_UPLOAD), caption=caption)
