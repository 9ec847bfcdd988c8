"""The gig's gallery: step «المعرض» of the editor, and how the gig page shows it.

In the editor, files upload as soon as they are dropped or picked (the dropzone already limits
type, size and count; the server checks every file by content again); images show as
thumbnails, audio samples as players, each with a caption and buttons to reorder or remove.
On the gig page the images are a main picture with thumbnails (the first is the cover) and the
samples a list of native players that fetch nothing until played (``preload="none"``).
"""

from __future__ import annotations

import reflex as rx

from app.catalog.media import MAX_AUDIO_BYTES, MAX_CAPTION
from pages.components.forms import error_callout
from pages.components.i18n import t
from state.gig import GigState
from state.gig_media import GigMediaState as S
from state.seller import GigEditorState

UPLOAD_ID = "gig-media-upload"
# What the file picker offers; the server decides by content, this only guides the picker.
ACCEPT = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/webp": [".webp"],
    "audio/mpeg": [".mp3"],
    "audio/mp4": [".m4a"],
    "audio/ogg": [".ogg", ".opus"],
    "audio/wav": [".wav"],
    "audio/flac": [".flac"],
}


def audio_player(item: rx.Var) -> rx.Component:
    """A native player: keyboard-accessible, seekable (the media route answers Range requests)."""
    return rx.el.audio(src=item["url"], controls=True, preload="none", style={"inline_size": "100%"})


# -- the editor step ---------------------------------------------------------------------------


def _order_buttons(kind: str, index: rx.Var, count: rx.Var, earlier: str, later: str) -> rx.Component:
    """«تقديم» / «تأخير» / «حذف» for one item; arrows follow the reading direction."""

    def button(icon: str, key: str, on_click: rx.EventSpec, disabled: rx.Var | bool, **props) -> rx.Component:
        return rx.icon_button(
            rx.icon(icon, size=16, aria_hidden="true", class_name="mirror-in-rtl" if icon.startswith("arrow_") else ""),
            on_click=on_click,
            disabled=GigEditorState.locked | disabled,
            variant="soft",
            size="1",
            type="button",
            aria_label=t(key),
            title=t(key),
            **props,
        )

    return rx.hstack(
        button(earlier, "gallery.move_up", S.move(kind, index, -1), index == 0),
        button(later, "gallery.move_down", S.move(kind, index, 1), index == count - 1),
        rx.spacer(),
        button("trash_2", "gallery.remove", S.remove(kind, index), False, color_scheme="red"),
        spacing="2",
        width="100%",
        align="center",
    )


def _caption_input(kind: str, item: rx.Var, index: rx.Var) -> rx.Component:
    return rx.input(
        default_value=item["caption"],
        placeholder=t("gallery.caption"),
        aria_label=t("gallery.caption"),
        max_length=MAX_CAPTION,
        on_blur=lambda value: S.save_caption(kind, index, value),
        disabled=GigEditorState.locked,
        size="2",
        width="100%",
        dir="auto",
    )


def _editable(kind: str, item: rx.Var, index: rx.Var, shown: rx.Component, count: rx.Var, arrows: tuple[str, str]) -> rx.Component:
    """One gallery item in the editor: the picture or player, its caption, its buttons."""
    return rx.card(
        rx.vstack(shown, _caption_input(kind, item, index), _order_buttons(kind, index, count, *arrows), spacing="2", width="100%"),
        key=item["url"],  # so a moved item's caption field moves with it
        size="1",
        width="100%",
        class_name=f"gallery-{kind}",
    )


def _editable_image(item: rx.Var, index: rx.Var) -> rx.Component:
    picture = rx.box(
        rx.image(
            src=item["url"],
            alt=rx.cond(item["caption"] != "", item["caption"], t("gallery.image_of")),
            loading="lazy",
            style={"inline_size": "100%", "aspect_ratio": "4 / 3", "object_fit": "cover", "border_radius": "var(--radius-2)"},
        ),
        rx.cond(
            index == 0,
            rx.badge(t("gallery.cover"), color_scheme="teal", variant="solid", position="absolute", inset_block_start="0.5rem", inset_inline_start="0.5rem"),
        ),
        position="relative",
        width="100%",
    )
    # a grid in reading order: earlier is towards the start (right in Arabic)
    return _editable("image", item, index, picture, S.images.length(), ("arrow_left", "arrow_right"))


def _editable_sample(item: rx.Var, index: rx.Var) -> rx.Component:
    player = rx.hstack(
        rx.icon("audio_lines", size=18, color=rx.color("teal", 10), aria_hidden="true"),
        audio_player(item),
        rx.text(item["duration"], size="1", color_scheme="gray", dir="ltr", style={"white_space": "nowrap"}),
        spacing="2",
        align="center",
        width="100%",
    )
    return _editable("audio", item, index, player, S.samples.length(), ("arrow_up", "arrow_down"))


def _dropzone() -> rx.Component:
    return rx.upload.root(
        rx.vstack(
            rx.icon("upload", size=28, color=rx.color("teal", 10), aria_hidden="true"),
            rx.text(t("gallery.pick"), weight="medium"),
            rx.text(t("gallery.limits"), size="1", color_scheme="gray", text_align="center"),
            spacing="2",
            align="center",
        ),
        id=UPLOAD_ID,
        accept=ACCEPT,
        multiple=True,
        max_files=S.free_slots,
        max_size=MAX_AUDIO_BYTES,
        disabled=S.free_slots == 0,
        on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        on_drop_rejected=S.files_refused,
        border=f"2px dashed {rx.color('teal', 7)}",
        border_radius="var(--radius-3)",
        padding="1.5rem",
        width="100%",
        cursor="pointer",
    )


def _save_first() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(t("gallery.save_first")),
            rx.button(
                t("editor.save_draft"),
                on_click=[GigEditorState.save_draft, S.open_gallery],
                variant="soft",
                size="2",
                type="button",
                id="gallery-save-draft",
            ),
            spacing="2",
            align="start",
        ),
        icon="info",
        color_scheme="blue",
        role="status",
        width="100%",
    )


def _listed(items: rx.Var, heading_key: str, body: rx.Component) -> rx.Component:
    """A headed list of the gallery, left out while it is empty."""
    return rx.cond(
        items.length() > 0,
        rx.vstack(rx.heading(t(heading_key), size="3", as_="h3"), body, spacing="2", width="100%"),
    )


def _editor_lists() -> rx.Component:
    return rx.vstack(
        rx.cond(~GigEditorState.locked, _dropzone()),
        error_callout(S.error),
        rx.cond(
            (S.images.length() == 0) & (S.samples.length() == 0),
            rx.text(t("gallery.empty"), color_scheme="gray", size="2"),
        ),
        _listed(
            S.images,
            "gallery.images",
            rx.grid(rx.foreach(S.images, _editable_image), columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3", width="100%"),
        ),
        _listed(S.samples, "gallery.audio", rx.vstack(rx.foreach(S.samples, _editable_sample), spacing="2", width="100%")),
        spacing="4",
        width="100%",
    )


def gallery_step() -> rx.Component:
    """Step «المعرض»: loads the edited gig's media each time the step is shown."""
    return rx.vstack(
        rx.text(t("gallery.hint"), color_scheme="gray", size="2"),
        rx.cond(
            S.loaded,
            rx.cond(S.needs_draft, _save_first(), _editor_lists()),
            rx.center(rx.spinner(size="2"), padding="1.5rem", width="100%"),
        ),
        on_mount=S.open_gallery,
        spacing="4",
        width="100%",
        id="gallery-step",
    )


# -- the gig page ------------------------------------------------------------------------------


def _thumbnail(item: rx.Var, index: rx.Var) -> rx.Component:
    chosen = GigState.shown_image == index
    return rx.el.button(
        rx.image(src=item["url"], alt="", loading="lazy", style={"inline_size": "100%", "block_size": "100%", "object_fit": "cover"}),
        on_click=GigState.show_image(index),
        type="button",
        aria_label=t("gallery.show_image"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        style={
            "inline_size": "5rem",
            "block_size": "3.75rem",
            "padding": "0",
            "overflow": "hidden",
            "cursor": "pointer",
            "border_radius": "var(--radius-2)",
            "border": rx.cond(chosen, f"2px solid {rx.color('teal', 9)}", f"1px solid {rx.color('gray', 6)}"),
            "background": "none",
        },
    )


def gig_images() -> rx.Component:
    """The main picture, and thumbnails under it when there are several."""
    main = GigState.main_image
    return rx.cond(
        GigState.images.length() > 0,
        rx.vstack(
            rx.image(
                src=main["url"],
                alt=rx.cond(main["caption"] != "", main["caption"], t("gallery.image_of")),
                style={"inline_size": "100%", "aspect_ratio": "16 / 10", "object_fit": "cover", "border_radius": "var(--radius-3)"},
                id="gig-main-image",
            ),
            rx.cond(main["caption"] != "", rx.text(main["caption"], size="2", color_scheme="gray", dir="auto")),
            rx.cond(
                GigState.images.length() > 1,
                rx.hstack(rx.foreach(GigState.images, _thumbnail), spacing="2", wrap="wrap"),
            ),
            spacing="2",
            width="100%",
            id="gig-gallery",
        ),
    )


def gig_samples() -> rx.Component:
    """«عينات صوتية»: each sample with its caption and duration, played in place."""

    def sample(item: rx.Var) -> rx.Component:
        return rx.vstack(
            rx.hstack(
                rx.icon("audio_lines", size=16, color=rx.color("teal", 10), aria_hidden="true"),
                rx.text(item["caption"], weight="medium", size="2", dir="auto"),
                rx.spacer(),
                rx.text(item["duration"], size="1", color_scheme="gray", dir="ltr"),
                spacing="2",
                align="center",
                width="100%",
            ),
            audio_player(item),
            spacing="1",
            width="100%",
        )

    return rx.cond(
        GigState.samples.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading(t("gallery.audio"), size="5", as_="h2"),
                rx.foreach(GigState.samples, sample),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
            id="gig-samples",
        ),
    )
