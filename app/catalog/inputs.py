"""Validated inputs for gigs: what a seller (or an import line) may submit.

Prices arrive as decimal SAR text or numbers and become integer halalas here, once; titles may
not carry bidi controls or emoji (they break right-to-left layout and search), descriptions are
Markdown source whose HTML is sanitised when rendered. A gig also carries its rows: extras
(التطويرات) the buyer may add to any package, FAQ entries, and the questions the buyer answers
after ordering; a refusal inside a row names the row's kind too (``gig.invalid_extra_price``),
since an extra's price and title follow other rules than the gig's.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.accounts.inputs import clean_text
from app.catalog.errors import CatalogError
from models.catalog import PackageTier, RequirementKind

MIN_PRICE_MINOR = 2000  # 20 SAR, the minimum gig price (domain.md)
MAX_PRICE_MINOR = 10_000_000  # 100 000 SAR: anything above is a typo
MIN_EXTRA_PRICE_MINOR = 500  # 5 SAR: an extra is a small add-on, but never free (free work is a package's)
MAX_EXTRAS = 6
MAX_FAQS = 10
MAX_REQUIREMENTS = 10
MAX_CHOICES = 10
MAX_DESCRIPTION = 5000
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Pictographs, dingbats, flags, the other default-emoji symbols (⌚ ⏳ ◾ ⬛ ⭐ ⭕) and the emoji
# variation selector (arrows and © stay allowed).
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u231A\u231B\u23E9-\u23F3\u23F8-\u23FA\u25FD\u25FE\u2B1B\u2B1C\u2B50\u2B55\uFE0F\u200D]")


def _no_bidi_or_emoji(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if _BIDI_CONTROLS.search(value):
        raise ValueError("bidi controls")
    if _EMOJI.search(value):
        raise ValueError("emoji")
    return value


def to_minor(value: Any) -> int:
    """Parse SAR given as text or number (Latin or Arabic-Indic digits) into halalas."""
    if isinstance(value, bool) or value is None:
        raise ValueError("price")
    text = str(value).strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789."))
    try:
        amount = Decimal(text)
        # quantize itself raises InvalidOperation past 28 digits (1e30): a refusal, not a crash
        exact = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError("price") from exc
    if not exact:
        raise ValueError("price")
    return int(amount * 100)


Title = Annotated[str, BeforeValidator(_no_bidi_or_emoji), AfterValidator(clean_text), StringConstraints(min_length=10, max_length=120)]
Price = Annotated[int, BeforeValidator(to_minor), Field(ge=MIN_PRICE_MINOR, le=MAX_PRICE_MINOR)]
ExtraPrice = Annotated[int, BeforeValidator(to_minor), Field(ge=MIN_EXTRA_PRICE_MINOR, le=MAX_PRICE_MINOR)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[a-z0-9-]+$")]
Tag = Annotated[str, BeforeValidator(_no_bidi_or_emoji), AfterValidator(clean_text), StringConstraints(min_length=1, max_length=30)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PackageInput(_Input):
    tier: PackageTier
    name: Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=2, max_length=80)]
    description: Annotated[str, AfterValidator(clean_text), StringConstraints(max_length=500)] = ""
    price: Price
    delivery_days: int = Field(ge=1, le=90, strict=True)
    revisions: int = Field(default=0, ge=0, le=20, strict=True)
    words: int | None = Field(default=None, ge=1, le=1_000_000, strict=True)
    minutes: int | None = Field(default=None, ge=1, le=10_000, strict=True)


class ExtraInput(_Input):
    """An extra (تطوير): shown beside the packages, so its title follows the gig title's rules."""

    title: Annotated[str, BeforeValidator(_no_bidi_or_emoji), AfterValidator(clean_text), StringConstraints(min_length=3, max_length=80)]
    description: Annotated[str, AfterValidator(clean_text), StringConstraints(max_length=300)] = ""
    price: ExtraPrice
    added_days: int = Field(default=0, ge=0, le=30, strict=True)


class FaqInput(_Input):
    question: Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=5, max_length=200)]
    answer: Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=2, max_length=1000)]


# One option of a choice question: stored one per line, so an option is a single line.
Option = Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=1, max_length=80, pattern=r"^[^\n]*$")]


class RequirementInput(_Input):
    """A question the buyer answers after ordering; only a ``choice`` question has options."""

    question: Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=5, max_length=300)]
    kind: RequirementKind = RequirementKind.TEXT
    choices: list[Option] = Field(default_factory=list, max_length=MAX_CHOICES, validate_default=True)
    required: bool = Field(default=True, strict=True)

    @field_validator("choices")
    @classmethod
    def _choices_match_kind(cls, choices: list[str], info: ValidationInfo) -> list[str]:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself was refused, and that error comes first
            return choices
        if kind == RequirementKind.CHOICE:
            if len(choices) < 2 or len(set(choices)) != len(choices):
                raise ValueError("choices")
        elif choices:
            raise ValueError("choices")
        return choices


class GigInput(_Input):
    title: Title
    category: Slug
    description: Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=50, max_length=MAX_DESCRIPTION)]
    tags: list[Tag] = Field(default_factory=list, max_length=5)
    city: Slug | None = None
    dialect: Slug | None = None
    packages: list[PackageInput] = Field(min_length=1, max_length=3)
    extras: list[ExtraInput] = Field(default_factory=list, max_length=MAX_EXTRAS)
    faqs: list[FaqInput] = Field(default_factory=list, max_length=MAX_FAQS)
    requirements: list[RequirementInput] = Field(default_factory=list, max_length=MAX_REQUIREMENTS)

    @model_validator(mode="after")
    def _tiers_distinct_and_rising(self) -> GigInput:
        tiers = [p.tier for p in self.packages]
        if len(set(tiers)) != len(tiers):
            raise ValueError("packages")
        order = list(PackageTier)
        ranked = sorted(self.packages, key=lambda p: order.index(p.tier))
        if any(b.price < a.price for a, b in zip(ranked, ranked[1:])):
            raise ValueError("packages")
        return self


T = TypeVar("T", bound=_Input)


def parse_gig(data: Any) -> GigInput:
    """Validate a gig form or import line; raise ``CatalogError('gig.invalid_<field>')``."""
    return _parse(GigInput, data)


def _parse(model: type[T], data: Any) -> T:
    if not isinstance(data, dict):
        raise CatalogError("gig.invalid")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = [str(part) for part in first.get("loc", ()) if not isinstance(part, int)]
        field = location[-1] if location else "packages"
        if len(location) > 1 and location[0] in _ROWS:
            field = f"{_ROWS[location[0]][0]}_{field}"
        if field not in _FIELD_KEYS:
            field = location[0] if location and location[0] in _FIELD_KEYS else "invalid"
        raise CatalogError(f"gig.invalid_{field}") from None


# A gig's rows, with the prefix their fields' error keys take.
_ROWS: dict[str, tuple[str, type[_Input]]] = {
    "extras": ("extra", ExtraInput), "faqs": ("faq", FaqInput), "requirements": ("requirement", RequirementInput),
}
_FIELD_KEYS = (
    set(GigInput.model_fields)
    | set(PackageInput.model_fields)
    | {f"{prefix}_{name}" for prefix, model in _ROWS.values() for name in model.model_fields}
)
