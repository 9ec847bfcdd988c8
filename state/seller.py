"""The seller's own gigs: the list at /seller/gigs and the step-by-step editor.

The list shows display strings only; a row's action comes back as a small form
(``{"gig": "12", "action": "pause"}``) whose values are checked here before the one service
call, which itself only finds gigs of the session's seller. The editor keeps what the seller
typed in public string vars (their own input), and everything is validated again by
``parse_gig`` on save; an error keeps the seller on the step that holds the problem. The
repeatable rows (extras, FAQ, the buyer's questions) are lists of such text dicts, changed only
through ``add_row``/``edit_row``/``remove_row``, which check the group, the row and the field.

Which gig the editor edits comes from the route (``/seller/gigs/<n>``), or, on
``/seller/gigs/new``, from the draft this tab has just created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx
from babel.dates import format_date

from app import catalog
from app.catalog import CatalogError
from app.catalog.gigs import SELLER_MOVES
from app.catalog.inputs import MAX_EXTRAS, MAX_FAQS, MAX_REQUIREMENTS
from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.trust import Standing, founding, seller_standing
from models.catalog import GigStatus, PackageTier, RequirementKind
from state.catalog import both, money_text, term_options
from state.session import SessionState
from state.trust import progress_rows

LIST_PATH = "/seller/gigs"
NEW_PATH = "/seller/gigs/new"
EDIT_PREFIX = "/seller/gigs/"
MAX_GIG_ID = 2**63 - 1
ANY = "any"  # "no city/dialect" in a select (Radix selects cannot hold an empty value)
STEPS = 6  # overview, pricing and extras, description and FAQ, requirements, gallery, review
STATUS_KEYS = {status.value: f"seller.status_{status.value}" for status in GigStatus}
STATUS_COLORS = {
    GigStatus.DRAFT.value: "gray",
    GigStatus.PENDING.value: "amber",
    GigStatus.ACTIVE.value: "green",
    GigStatus.PAUSED.value: "blue",
    GigStatus.REJECTED.value: "red",
    GigStatus.SUSPENDED.value: "crimson",
}
# Which step of the editor holds each field a CatalogError can name.
STEP_OF = {
    "title": 0, "category": 0, "tags": 0, "city": 0, "dialect": 0,
    "packages": 1, "tier": 1, "name": 1, "price": 1, "delivery_days": 1, "revisions": 1, "words": 1, "minutes": 1,
    "extras": 1, "extra_title": 1, "extra_description": 1, "extra_price": 1, "extra_added_days": 1,
    "description": 2, "faqs": 2, "faq_question": 2, "faq_answer": 2,
    "requirements": 3, "requirement_question": 3, "requirement_kind": 3, "requirement_choices": 3, "requirement_required": 3,
}
TIERS = tuple(tier.value for tier in PackageTier)
PACKAGE_FIELDS = ("name", "summary", "price", "days", "revisions", "included")
# Every text field of the editor and its length cap (generous: parse_gig enforces the real limits).
TEXT_FIELDS = {
    "title": 240, "category": 60, "city": 60, "dialect": 60, "tags": 400, "description": 6000, "unit": 10,
    **{f"{tier}_{name}": (600 if name == "summary" else 100) for tier in TIERS for name in PACKAGE_FIELDS},
}
FLAG_FIELDS = ("standard_on", "premium_on")
KINDS = tuple(kind.value for kind in RequirementKind)


@dataclass(frozen=True)
class RowGroup:
    """One list of repeatable rows: its text fields with their length caps, how many rows it may hold,
    and what a new row starts with."""

    limit: int
    fields: dict[str, int]
    start: dict[str, str]

    def blank(self) -> dict[str, str]:
        return {name: self.start.get(name, "") for name in self.fields}


# ``kind`` holds one of KINDS and ``required`` a flag ("1" or ""); the other fields are capped text.
ROWS = {
    "extras": RowGroup(MAX_EXTRAS, {"title": 160, "price": 20, "days": 10, "description": 600}, {}),
    "faqs": RowGroup(MAX_FAQS, {"question": 400, "answer": 2000}, {}),
    "requirements": RowGroup(
        MAX_REQUIREMENTS, {"question": 600, "kind": 10, "choices": 1200, "required": 1}, {"kind": KINDS[0], "required": "1"}
    ),
}
# Valid stand-ins for the later steps, so checking an early step reports only its own problems.
FILLER_DESCRIPTION = "وصف مؤقت " * 8
FILLER_PACKAGES = [{"tier": "basic", "name": "filler", "price": "20", "delivery_days": 1}]


def positive_int(value: object, high: int = MAX_GIG_ID) -> int | None:
    """A positive whole number sent as an int or as ASCII digits; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 0 < number <= high else None


def whole_number(value: object, high: int) -> int | None:
    """0 to ``high`` sent as an int or ASCII digits (a step, a row's position); anything else is None."""
    if (type(value) is int and value == 0) or value == "0":
        return 0 if high >= 0 else None
    return positive_int(value, high)


def is_on(value: object) -> bool:
    """A checkbox or switch's value: True, or the strings HTML forms send for "checked"."""
    return value is True or value in ("on", "true")


def edited_gig_of(path: object) -> int | None:
    """The gig of an editor path ``/seller/gigs/<n>``; None for /seller/gigs/new or any other page."""
    if not isinstance(path, str) or not path.startswith(EDIT_PREFIX):
        return None
    return positive_int(path[len(EDIT_PREFIX) :].rstrip("/"))


def status_text(status: str) -> dict[str, str]:
    key = STATUS_KEYS.get(status, STATUS_KEYS[GigStatus.DRAFT.value])
    return both(lambda lang: translate(key, lang))


def catalog_message(error: MihanError, lang: str) -> str:
    """The error's message; a refused status change names the status in words, not its code."""
    if error.key == "gig.invalid_transition" and str(error.params.get("status", "")) in STATUS_KEYS:
        return translate(error.key, lang, status=status_text(str(error.params["status"]))[lang])
    return error.message(lang)


def _number_or_text(value: str) -> int | str | None:
    """A count typed in the form: digits (Latin or Arabic-Indic) become an int, blank is None,
    anything else stays text so that validation names the field."""
    text = value.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else text


def split_tags(text: str) -> list[str]:
    return [part.strip() for part in text.replace("،", ",").split(",") if part.strip()]


def _count(value: str) -> int | str:
    """An optional count typed in the form: blank is 0."""
    number = _number_or_text(value)
    return 0 if number is None else number


class SellerGigsState(SessionState):
    """The seller's gigs as display rows."""

    loaded: bool = False
    needs_seller: bool = False
    gigs: list[dict[str, str]] = []
    error: str = ""
    level: str = ""
    level_ar: str = ""
    level_en: str = ""
    next_level_ar: str = ""  # empty at the top of the ladder
    next_level_en: str = ""
    progress: list[dict[str, str]] = []  # the next level's criteria: label, have, need, met
    founding: bool = False  # بائع مؤسس: redeemed an invite code

    def _load(self, seller: int) -> None:
        with reading() as session:
            rows = catalog.list_seller_gigs(session, seller_id=seller)
            standing = seller_standing(session, seller_id=seller, now=clock.now())
            self.founding = founding.is_founding(session, seller_id=seller)
        self.gigs = [self._row(row) for row in rows]
        self._show_standing(standing)
        self.loaded = True

    def _show_standing(self, standing: Standing) -> None:
        self.level = standing.progress.level
        level = both(lambda lang: translate(f"level.{standing.progress.level}", lang))
        self.level_ar, self.level_en = level["ar"], level["en"]
        upcoming = standing.progress.next_level
        following = both(lambda lang: translate(f"level.{upcoming}", lang) if upcoming else "")
        self.next_level_ar, self.next_level_en = following["ar"], following["en"]
        self.progress = progress_rows(standing.metrics, standing.progress, standing.next_threshold)

    @staticmethod
    def _row(row: catalog.SellerGigRow) -> dict[str, str]:
        price = money_text(row.price_minor, row.currency)
        status = status_text(row.status)
        updated = both(lambda lang: format_date(row.updated_at, format="medium", locale="ar" if lang == "ar" else "en"))
        moves = [action for action, move in SELLER_MOVES.items() if GigStatus(row.status) in next(iter(move.values()))]
        return {
            "id": str(row.id),
            "title": row.title,
            "status": row.status,
            "color": STATUS_COLORS.get(row.status, "gray"),
            "status_ar": status["ar"],
            "status_en": status["en"],
            "price_ar": price["ar"],
            "price_en": price["en"],
            "updated_ar": updated["ar"],
            "updated_en": updated["en"],
            "note": row.moderation_note if row.status in (GigStatus.REJECTED.value, GigStatus.SUSPENDED.value) else "",
            "can_submit": "1" if "submit" in moves else "",
            "can_pause": "1" if "pause" in moves else "",
            "can_resume": "1" if "resume" in moves else "",
            "can_edit": "" if row.status == GigStatus.SUSPENDED.value else "1",
            "href": f"/gig/{row.id}",
            "edit_href": f"{EDIT_PREFIX}{row.id}",
        }

    @rx.event
    def open_list(self):  # type: ignore[no-untyped-def]
        """On load of /seller/gigs: signed-out visitors log in first; buyers are told to turn seller."""
        self.reset()
        try:
            viewer = self._require()
        except MihanError:
            return rx.redirect(f"/login?next={LIST_PATH}")
        self._show(viewer)
        if not viewer.is_seller:
            self.needs_seller = self.loaded = True
            return
        self._load(viewer.id)

    @rx.event
    def act(self, form_data: Any):  # type: ignore[no-untyped-def]
        """A row's button: ``{"gig": "<n>", "action": "submit" | "pause" | "resume"}``."""
        self.error = ""
        try:
            viewer = self._require()
            form = form_data if isinstance(form_data, dict) else {}
            gig, action = positive_int(form.get("gig")), form.get("action")
            if gig is None:
                raise CatalogError("gig.not_found")
            if not isinstance(action, str) or action not in SELLER_MOVES:
                raise CatalogError("gig.invalid")
            with transaction() as session:
                catalog.change_status(session, seller_id=viewer.id, gig_id=gig, action=action)
        except MihanError as exc:
            self.error = catalog_message(exc, self._lang)
            return rx.toast.error(self.error)
        self._load(viewer.id)
        return rx.toast.success(translate(f"seller.done_{action}", self._lang))


    @rx.event
    def redeem_invite(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«تفعيل» a founding seller's invite code: ``{"code": "…"}``."""
        self.error = ""
        try:
            viewer = self._require()
            form = form_data if isinstance(form_data, dict) else {}
            with transaction() as session:
                founding.redeem_code(session, user_id=viewer.id, code=form.get("code"), now=clock.now())
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self._load(viewer.id)
        return rx.toast.success(translate("trust.founding_welcome", self._lang))


class GigEditorState(SessionState):
    """The gig editor's steps and the seller's own input, as text."""

    loaded: bool = False
    not_found: bool = False
    needs_seller: bool = False
    locked: bool = False  # suspended by moderation: shown, not editable
    is_new: bool = True
    step: int = 0
    error: str = ""
    status: str = ""
    status_ar: str = ""
    status_en: str = ""
    moderation_note: str = ""
    categories: list[dict[str, str]] = []
    cities: list[dict[str, str]] = []
    dialects: list[dict[str, str]] = []

    title: str = ""
    category: str = ""
    city: str = ANY
    dialect: str = ANY
    tags: str = ""
    description: str = ""
    unit: str = "words"
    standard_on: bool = False
    premium_on: bool = False
    basic_name: str = ""
    basic_summary: str = ""
    basic_price: str = ""
    basic_days: str = ""
    basic_revisions: str = ""
    basic_included: str = ""
    standard_name: str = ""
    standard_summary: str = ""
    standard_price: str = ""
    standard_days: str = ""
    standard_revisions: str = ""
    standard_included: str = ""
    premium_name: str = ""
    premium_summary: str = ""
    premium_price: str = ""
    premium_days: str = ""
    premium_revisions: str = ""
    premium_included: str = ""
    extras: list[dict[str, str]] = []
    faqs: list[dict[str, str]] = []
    requirements: list[dict[str, str]] = []

    _created: int = 0  # the draft this tab created on /seller/gigs/new

    @rx.var
    def category_ar(self) -> str:
        return next((c["name_ar"] for c in self.categories if c["slug"] == self.category), "")

    @rx.var
    def category_en(self) -> str:
        return next((c["name_en"] for c in self.categories if c["slug"] == self.category), "")

    @rx.var
    def can_submit(self) -> bool:
        """«إرسال للمراجعة» applies to a new gig, a draft and a rejected gig."""
        return self.status in ("", GigStatus.DRAFT.value, GigStatus.REJECTED.value)

    # -- helpers (not callable from the browser) ------------------------------------------

    def _gig(self) -> int | None:
        found = edited_gig_of(self.router.url.path)
        if found is not None:
            return found
        return self._created or None

    def _fill(self, form: dict[str, Any]) -> None:
        self.title = form["title"]
        self.category = form["category"]
        self.city = form["city"] or ANY
        self.dialect = form["dialect"] or ANY
        self.tags = "، ".join(form["tags"]) if self._lang == "ar" else ", ".join(form["tags"])
        self.description = form["description"]
        self.unit = "minutes" if any(p["minutes"] for p in form["packages"]) else "words"
        for package in form["packages"]:
            tier = package["tier"]
            if tier not in TIERS:
                continue
            setattr(self, f"{tier}_name", package["name"])
            setattr(self, f"{tier}_summary", package["description"])
            setattr(self, f"{tier}_price", package["price"])
            setattr(self, f"{tier}_days", str(package["delivery_days"]))
            setattr(self, f"{tier}_revisions", str(package["revisions"]))
            included = package["minutes"] if self.unit == "minutes" else package["words"]
            setattr(self, f"{tier}_included", str(included) if included else "")
        tiers = {p["tier"] for p in form["packages"]}
        self.standard_on = "standard" in tiers
        self.premium_on = "premium" in tiers
        self.extras = [
            {"title": e["title"], "price": e["price"], "days": str(e["added_days"]), "description": e["description"]}
            for e in form["extras"]
        ]
        self.faqs = [{"question": f["question"], "answer": f["answer"]} for f in form["faqs"]]
        self.requirements = [
            {"question": r["question"], "kind": r["kind"], "choices": "\n".join(r["choices"]), "required": "1" if r["required"] else ""}
            for r in form["requirements"]
        ]
        self._status(form["status"], form["moderation_note"])

    def _status(self, status: str, note: str = "") -> None:
        self.status = status
        text = status_text(status)
        self.status_ar, self.status_en = text["ar"], text["en"]
        self.moderation_note = note if status in (GigStatus.REJECTED.value, GigStatus.SUSPENDED.value) else ""
        self.locked = status == GigStatus.SUSPENDED.value

    def _packages(self) -> list[dict[str, Any]]:
        enabled = ["basic"] + [tier for tier in ("standard", "premium") if getattr(self, f"{tier}_on")]
        packages = []
        for tier in enabled:
            package: dict[str, Any] = {
                "tier": tier,
                "name": getattr(self, f"{tier}_name"),
                "description": getattr(self, f"{tier}_summary"),
                "price": getattr(self, f"{tier}_price"),
                "delivery_days": _number_or_text(getattr(self, f"{tier}_days")),
                "revisions": _count(getattr(self, f"{tier}_revisions")),
            }
            included = _number_or_text(getattr(self, f"{tier}_included"))
            if included is not None:
                package["minutes" if self.unit == "minutes" else "words"] = included
            packages.append(package)
        return packages

    def _requirements(self) -> list[dict[str, Any]]:
        """The buyer's questions; a choice question's options are the non-blank lines of its box
        (a question switched away from «اختيار» drops the options it no longer shows)."""
        return [
            {
                "question": row["question"],
                "kind": row["kind"],
                "choices": [line.strip() for line in row["choices"].splitlines() if line.strip()]
                if row["kind"] == RequirementKind.CHOICE.value
                else [],
                "required": row["required"] == "1",
            }
            for row in self.requirements
        ]

    def _payload(self, upto: int = STEPS - 1) -> dict[str, Any]:
        """The form as ``parse_gig`` takes it; steps after ``upto`` get valid stand-ins (no rows)."""
        extras = [
            {"title": row["title"], "description": row["description"], "price": row["price"], "added_days": _count(row["days"])}
            for row in self.extras
        ]
        return {
            "title": self.title,
            "category": self.category,
            "city": None if self.city in ("", ANY) else self.city,
            "dialect": None if self.dialect in ("", ANY) else self.dialect,
            "tags": split_tags(self.tags),
            "description": self.description if upto >= 2 else FILLER_DESCRIPTION,
            "packages": self._packages() if upto >= 1 else FILLER_PACKAGES,
            "extras": extras if upto >= 1 else [],
            "faqs": [{"question": row["question"], "answer": row["answer"]} for row in self.faqs] if upto >= 2 else [],
            "requirements": self._requirements() if upto >= 3 else [],
        }

    def _fail(self, error: MihanError) -> None:
        self.error = catalog_message(error, self._lang)
        field = error.key.split(".", 1)[-1].removeprefix("invalid_")
        if error.key.startswith("gig.") and field in STEP_OF:
            self.step = STEP_OF[field]

    def _save(self, viewer_id: int) -> int:
        """Validate and write the gig; return its id. Raises MihanError."""
        if not self.loaded or self.not_found or self.needs_seller:
            raise CatalogError("gig.not_found")
        data = catalog.parse_gig(self._payload())
        gig = self._gig()
        with transaction() as session:
            if gig is None:
                saved = catalog.create_gig(session, seller_id=viewer_id, data=data)
            else:
                saved = catalog.update_gig(session, seller_id=viewer_id, gig_id=gig, data=data)
            assert saved.id is not None
            gig, status, note = saved.id, saved.status, saved.moderation_note
        if edited_gig_of(self.router.url.path) is None:
            self._created = gig
        self.is_new = False
        self._status(status, note)
        return gig

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_editor(self):  # type: ignore[no-untyped-def]
        """On load of /seller/gigs/new and /seller/gigs/<n>: a blank form or the seller's own gig."""
        self.reset()
        self._created = 0
        path = self.router.url.path
        try:
            viewer = self._require()
        except MihanError:
            target = path if path == NEW_PATH or edited_gig_of(path) is not None else LIST_PATH
            return rx.redirect(f"/login?next={target}")
        self._show(viewer)
        if not viewer.is_seller:
            self.needs_seller = self.loaded = True
            return
        gig = edited_gig_of(path)
        if gig is None and path.rstrip("/") != NEW_PATH:
            self.not_found = self.loaded = True
            return
        with reading() as session:
            self.categories = term_options({t.slug: t for t in catalog.list_categories(session)})
            self.cities = term_options({t.slug: t for t in catalog.list_cities(session)})
            self.dialects = term_options({t.slug: t for t in catalog.list_dialects(session)})
            if gig is not None:
                try:
                    form = catalog.get_gig_form(session, seller_id=viewer.id, gig_id=gig)
                except CatalogError:
                    self.categories = self.cities = self.dialects = []
                    self.not_found = self.loaded = True
                    return
                self._fill(form)
                self.is_new = False
        self.loaded = True

    @rx.event
    def edit(self, field: Any, value: Any):  # type: ignore[no-untyped-def]
        """One field typed or picked; only the editor's own fields, as capped text (or a flag)."""
        if not isinstance(field, str) or not self.loaded:
            return
        if field in FLAG_FIELDS:
            setattr(self, field, is_on(value))
        elif field in TEXT_FIELDS and isinstance(value, str):
            setattr(self, field, value[: TEXT_FIELDS[field]])

    def _group(self, group: object) -> RowGroup | None:
        """The row group the browser named, if the editor is open and the name is one of ROWS."""
        return ROWS[group] if self.loaded and isinstance(group, str) and group in ROWS else None

    @rx.event
    def add_row(self, group: Any):  # type: ignore[no-untyped-def]
        """«أضف تطويرًا» and the like: a blank row at the end of ``group``, up to its limit."""
        spec = self._group(group)
        rows = getattr(self, group) if spec else []
        if spec and len(rows) < spec.limit:
            setattr(self, group, [*rows, spec.blank()])

    @rx.event
    def remove_row(self, group: Any, index: Any):  # type: ignore[no-untyped-def]
        """A row's «حذف»; the rows after it move up."""
        spec = self._group(group)
        rows = getattr(self, group) if spec else []
        position = whole_number(index, len(rows) - 1)
        if position is not None:
            setattr(self, group, rows[:position] + rows[position + 1 :])

    @rx.event
    def edit_row(self, group: Any, index: Any, name: Any, value: Any):  # type: ignore[no-untyped-def]
        """One field of one row typed or picked: capped text, a kind of KINDS, or the required flag."""
        spec = self._group(group)
        rows = getattr(self, group) if spec else []
        position = whole_number(index, len(rows) - 1)
        if spec is None or position is None or not isinstance(name, str) or name not in spec.fields:
            return
        if name == "required":
            text = "1" if is_on(value) else ""
        elif name == "kind":
            if not isinstance(value, str) or value not in KINDS:
                return
            text = value
        elif isinstance(value, str):
            text = value[: spec.fields[name]]
        else:
            return
        setattr(self, group, [*rows[:position], {**rows[position], name: text}, *rows[position + 1 :]])

    def _go(self, target: int) -> None:
        if not self.loaded or self.needs_seller or self.not_found:
            return
        self.error = ""
        if target > self.step:
            for done in range(target):  # each step before the target, in order
                try:
                    catalog.parse_gig(self._payload(upto=done))
                except MihanError as exc:
                    self._fail(exc)
                    self.step = min(self.step, done)
                    return
        self.step = target

    @rx.event
    def go(self, step: Any):  # type: ignore[no-untyped-def]
        """Open step ``step`` (0..5); moving forward checks the steps on the way first."""
        target = whole_number(step, STEPS - 1)
        if target is not None:
            self._go(target)

    @rx.event
    def next_step(self):  # type: ignore[no-untyped-def]
        self._go(min(self.step + 1, STEPS - 1))

    @rx.event
    def previous_step(self):  # type: ignore[no-untyped-def]
        if self.loaded:
            self.error = ""
            self.step = max(0, self.step - 1)

    @rx.event
    def save_draft(self):  # type: ignore[no-untyped-def]
        """«حفظ كمسودة» (or «حفظ التعديلات» on a published gig)."""
        self.error = ""
        try:
            viewer = self._require()
            self._save(viewer.id)
        except MihanError as exc:
            self._fail(exc)
            return
        return rx.toast.success(translate("editor.saved", self._lang))

    @rx.event
    def submit_for_review(self):  # type: ignore[no-untyped-def]
        """«إرسال للمراجعة»: save, then send the draft (or rejected gig) to the moderators."""
        self.error = ""
        try:
            viewer = self._require()
            gig = self._save(viewer.id)
            if self.status in (GigStatus.DRAFT.value, GigStatus.REJECTED.value):
                with transaction() as session:
                    moved = catalog.change_status(session, seller_id=viewer.id, gig_id=gig, action="submit")
                    self._status(moved.status, moved.moderation_note)
        except MihanError as exc:
            self._fail(exc)
            return
        return [rx.redirect(LIST_PATH), rx.toast.success(translate("seller.done_submit", self._lang))]
