"""Gig input validation: what a seller's form or an import line may hold, and the key each refusal carries.

No database here: ``parse_gig`` is the single gate every gig passes through (the UI form, the
importer, the demo seed), so each rule is checked once, with the exact message key the seller sees.
The integration tests (tests/integration/test_catalog.py) check that the same refusals change
nothing in the database.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.catalog import CatalogError, GigInput, parse_gig
from app.catalog.inputs import MAX_DESCRIPTION, MIN_EXTRA_PRICE_MINOR, _FIELD_KEYS, to_minor
from app.core.settings import PROJECT_ROOT
from models.catalog import PackageTier, RequirementKind

DESCRIPTION = "أسجل إعلانك بصوت رجالي نجدي دافئ في استوديو معزول، وأسلم ملف WAV عالي الجودة مع نسخة MP3 جاهزة للنشر."


def gig(**changes: Any) -> dict[str, Any]:
    """A valid voice-over gig form, with ``changes`` applied on top."""
    data: dict[str, Any] = {
        "title": "سأسجل تعليقًا صوتيًا لإعلانك باللهجة النجدية",
        "category": "ads",
        "description": DESCRIPTION,
        "tags": ["تعليق صوتي", "إعلان"],
        "city": "riyadh",
        "dialect": "najdi",
        "packages": [{"tier": "basic", "name": "الباقة الأساسية", "price": "150", "delivery_days": 2}],
    }
    data.update(changes)
    return data


def package(tier: str = "basic", price: Any = "150", **changes: Any) -> dict[str, Any]:
    return {"tier": tier, "name": f"باقة {tier}", "price": price, "delivery_days": 3, **changes}


def refused(data: Any) -> str:
    """The message key ``parse_gig`` refuses ``data`` with (fails the test when it is accepted)."""
    with pytest.raises(CatalogError) as caught:
        parse_gig(data)
    return caught.value.key


# --- the happy path ------------------------------------------------------------------------


def test_a_valid_form_parses_into_halalas_and_cleaned_text():
    """The form a seller fills is accepted as is; the price becomes integer halalas once, here."""
    # given a complete voice-over gig form
    data = gig(packages=[package("basic", "150.5"), package("standard", 300), package("premium", "٤٥٠")])
    # when it is parsed
    parsed = parse_gig(data)
    # then every field is kept and each price is in minor units
    assert isinstance(parsed, GigInput)
    assert parsed.title == data["title"]
    assert (parsed.category, parsed.city, parsed.dialect) == ("ads", "riyadh", "najdi")
    assert [p.tier for p in parsed.packages] == [PackageTier.BASIC, PackageTier.STANDARD, PackageTier.PREMIUM]
    assert [p.price for p in parsed.packages] == [15050, 30000, 45000]


@pytest.mark.parametrize(
    ("raw", "halalas"),
    [
        ("20", 2000),  # the minimum price is allowed
        ("20.00", 2000),
        (20, 2000),
        (20.5, 2050),
        ("  99.99 ", 9999),
        ("٢٠٠", 20000),  # Arabic-Indic digits
        ("٢٠٫٥", 2050),  # and the Arabic decimal separator
        ("100000", 10_000_000),  # the maximum
    ],
)
def test_prices_in_any_common_spelling_become_halalas(raw, halalas):
    """Sellers type prices as they like (Latin or Arabic digits, number or text); only the value counts."""
    # given a price spelled one of the ways sellers type it
    # when the form is parsed
    parsed = parse_gig(gig(packages=[package(price=raw)]))
    # then it is stored as the exact number of halalas
    assert parsed.packages[0].price == halalas


@pytest.mark.parametrize(
    "raw",
    [
        "0", 0, "0.00",  # zero
        "-50", -50, "-0",  # negative
        "19.99", 19, "١٩",  # below the 20 SAR minimum
        "100000.01",  # above the maximum (a typo, not a price)
        "abc", "", "  ", "20 ريال", "1,000", "0x20", "NaN", "Infinity", "-Infinity", "sNaN",  # not a number
        "20.001", 20.005, "150.999",  # more than two decimals
        "1e30", 10**40,  # too large even to round to halalas
        True, None, [], {},  # wrong types
    ],
)
def test_bad_prices_are_refused_with_the_price_key(raw):
    """Zero, negative, below-minimum, non-numeric or over-precise prices never reach the catalogue."""
    # given a package with a bad price
    data = gig(packages=[package(price=raw)])
    # when the form is parsed
    # then it is refused, naming the price
    assert refused(data) == "gig.invalid_price"


def test_to_minor_never_raises_anything_but_value_error():
    """Pydantic turns only ValueError into a validation error; anything else would crash a form or an import."""
    # given values that once escaped as decimal.InvalidOperation
    for raw in ("1e30", "9" * 40, 10**40, "1E+999999"):
        # when converted
        # then the refusal is a ValueError
        with pytest.raises(ValueError):
            to_minor(raw)


# --- descriptions --------------------------------------------------------------------------


def test_a_100_000_character_description_is_refused():
    """A pasted book (or an attack on the page size) is refused, not truncated silently."""
    # given a description of 100 000 characters
    data = gig(description="ص" * 100_000)
    # when parsed
    # then it is refused with the description key
    assert refused(data) == "gig.invalid_description"


@pytest.mark.parametrize(
    ("length", "accepted"),
    [(49, False), (50, True), (MAX_DESCRIPTION, True), (MAX_DESCRIPTION + 1, False)],
)
def test_description_length_bounds(length, accepted):
    """The bounds in the message (50 to 5000 characters) are the bounds enforced."""
    # given a description of exactly ``length`` characters
    data = gig(description="ع" * length)
    # when parsed
    # then it is accepted or refused at exactly the documented bounds
    if accepted:
        assert len(parse_gig(data).description) == length
    else:
        assert refused(data) == "gig.invalid_description"


def test_html_in_a_description_is_kept_verbatim_as_text():
    """Descriptions are Markdown source; HTML is sanitised when rendered, so the stored text is the seller's own."""
    # given a description that carries a script tag and other markup
    description = DESCRIPTION + ' <script>alert("x")</script> <b onclick="steal()">عرض</b> & **غامق**'
    # when parsed
    parsed = parse_gig(gig(description=description))
    # then it is accepted and kept character for character
    assert parsed.description == description


def test_description_keeps_line_breaks_but_drops_control_characters():
    """Markdown needs its newlines; NUL and similar characters break Postgres and layouts."""
    # given a multi-line description with a NUL and a bell in it
    description = "السطر الأول من الوصف\n\n- نقطة أولى في القائمة\x00\n- نقطة ثانية\x07 في القائمة للتجربة الطويلة"
    # when parsed
    parsed = parse_gig(gig(description=description))
    # then the newlines stay and the control characters are gone
    assert parsed.description.count("\n") == 3
    assert "\x00" not in parsed.description and "\x07" not in parsed.description


# --- titles and tags: bidi controls and emoji ----------------------------------------------

TITLE = "تعليق صوتي احترافي لإعلانك"


@pytest.mark.parametrize(
    "title",
    [
        "\u202e" + TITLE,  # RIGHT-TO-LEFT OVERRIDE: flips how the text around it reads
        TITLE + "\u202c",  # POP DIRECTIONAL FORMATTING
        "\u2066" + TITLE + "\u2069",  # LEFT-TO-RIGHT ISOLATE ... POP
        TITLE + "\u200f",  # RIGHT-TO-LEFT MARK
        TITLE + "\u061c",  # ARABIC LETTER MARK
        TITLE + " 🎙️",  # an emoji with its variation selector
        TITLE + " 🎙",  # the bare pictograph
        TITLE + " ⭐",  # a symbol from the emoji-heavy block
        TITLE + " 👨\u200d🎤",  # a ZWJ sequence
    ],
)
def test_titles_with_bidi_controls_or_emoji_are_refused(title):
    """Hidden direction controls break right-to-left layout (and can disguise text); emoji break search and taste."""
    # given a title carrying a bidi control or an emoji
    # when parsed
    # then it is refused with the title key, not silently cleaned
    assert refused(gig(title=title)) == "gig.invalid_title"


@pytest.mark.parametrize("tag", ["\u202eإعلان", "\u2066إعلان\u2069", "إعلان🎙️", "🔥"])
def test_tags_with_bidi_controls_or_emoji_are_refused(tag):
    """Tags are shown as chips and indexed, so they follow the title's rules."""
    # given a tag with a bidi control or an emoji
    # when parsed
    # then it is refused with the tags key
    assert refused(gig(tags=["تعليق صوتي", tag])) == "gig.invalid_tags"


def test_arrows_are_allowed_in_titles_and_tags():
    """Arrows are ordinary symbols sellers use for language pairs (English ⇄ Arabic); they are not emoji."""
    # given a translation gig whose title and tag hold arrows
    title = "ترجمة سكربتات الفيديو (English ⇄ Arabic)"
    # when parsed
    parsed = parse_gig(gig(title=title, tags=["إنجليزي ⇄ عربي", "عربي → إنجليزي"]))
    # then they are kept as written
    assert parsed.title == title
    assert parsed.tags == ["إنجليزي ⇄ عربي", "عربي → إنجليزي"]


@pytest.mark.parametrize(
    ("tags", "accepted"),
    [([], True), (["أ"] * 5, True), (["أ"] * 6, False), (["ت" * 30], True), (["ت" * 31], False), ([""], False)],
)
def test_tag_count_and_length(tags, accepted):
    """At most five tags of 1 to 30 characters, as the message says."""
    # given a list of tags
    data = gig(tags=tags)
    # when parsed
    # then it passes or fails at the documented limits
    if accepted:
        assert parse_gig(data).tags == tags
    else:
        assert refused(data) == "gig.invalid_tags"


@pytest.mark.parametrize(("title", "accepted"), [("ت" * 9, False), ("ت" * 10, True), ("ت" * 120, True), ("ت" * 121, False), ("   تعليق   ", False)])
def test_title_length_bounds(title, accepted):
    """Titles are 10 to 120 characters after trimming."""
    # given a title of a given length
    data = gig(title=title)
    # when parsed
    # then the documented bounds hold
    if accepted:
        assert parse_gig(data).title == title
    else:
        assert refused(data) == "gig.invalid_title"


# --- packages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "packages",
    [
        [package("basic", "100"), package("basic", "200")],  # the same tier twice
        [package("basic", "100"), package("standard", "200"), package("standard", "300")],
        [package("basic", "300"), package("premium", "200")],  # premium cheaper than basic
        [package("basic", "100"), package("standard", "300"), package("premium", "250")],  # premium cheaper than standard
        [package("premium", "100"), package("basic", "150")],  # order given does not matter: basic dearer than premium
        [],  # no package
        [package("basic"), package("standard", "200"), package("premium", "300"), package("premium", "400")],  # four
    ],
)
def test_inconsistent_packages_are_refused(packages):
    """Buyers compare tiers: a tier may appear once and a higher tier never costs less."""
    # given a set of packages that contradict each other
    # when parsed
    # then the form is refused with the packages key
    assert refused(gig(packages=packages)) == "gig.invalid_packages"


def test_equal_prices_across_tiers_are_allowed():
    """'Not cheaper' means a higher tier may cost the same (it may add revisions instead)."""
    # given basic and premium at the same price
    packages = [package("premium", "200", revisions=5), package("basic", "200")]
    # when parsed
    parsed = parse_gig(gig(packages=packages))
    # then both are kept
    assert {p.tier for p in parsed.packages} == {PackageTier.BASIC, PackageTier.PREMIUM}


# --- extras, FAQ and the buyer's questions -------------------------------------------------


def extra(**changes: Any) -> dict[str, Any]:
    return {"title": "تسليم سريع خلال 24 ساعة", "price": "50", "added_days": 0, **changes}


def faq(**changes: Any) -> dict[str, Any]:
    return {"question": "هل تسجل باللهجة المصرية؟", "answer": "نعم، وبالفصحى أيضًا.", **changes}


def question(**changes: Any) -> dict[str, Any]:
    return {"question": "أرسل النص المطلوب تسجيله", "kind": "text", **changes}


def test_rows_parse_in_order_with_extra_prices_in_halalas():
    """Extras, FAQ and questions keep the seller's order; an extra's price becomes halalas like a package's."""
    # given a gig with two extras, a FAQ entry and a text, a choice and a file question
    data = gig(
        extras=[extra(), extra(title="ملف مصدر بدون موسيقى", price="٧٫٥", added_days=2, description="ملف WAV نظيف")],
        faqs=[faq()],
        requirements=[
            question(),
            question(question="اختر نبرة الصوت", kind="choice", choices=[" رسمية ", "ودية", "حماسية"], required=False),
            question(question="أرسل شعار الشركة إن وجد", kind="file"),
        ],
    )
    # when parsed
    parsed = parse_gig(data)
    # then the rows are kept in order, prices in halalas, options trimmed
    assert [(e.title, e.price, e.added_days) for e in parsed.extras] == [
        ("تسليم سريع خلال 24 ساعة", 5000, 0), ("ملف مصدر بدون موسيقى", 750, 2),
    ]
    assert parsed.faqs[0].answer == "نعم، وبالفصحى أيضًا."
    text, choice, file = parsed.requirements
    assert (text.kind, text.choices, text.required) == (RequirementKind.TEXT, [], True)
    assert (choice.kind, choice.choices, choice.required) == (RequirementKind.CHOICE, ["رسمية", "ودية", "حماسية"], False)
    assert file.kind == RequirementKind.FILE


def test_a_gig_without_rows_is_still_valid():
    """Rows are optional: older import files and quick drafts have none."""
    parsed = parse_gig(gig())
    assert (parsed.extras, parsed.faqs, parsed.requirements) == ([], [], [])


@pytest.mark.parametrize(
    "raw",
    ["0", 0, "-5", -5, "4.99", "٤", 4, "5.001", "100000.01", "abc", "", None, True],
)
def test_bad_extra_prices_are_refused_with_the_extra_price_key(raw):
    """An extra costs at least 5 SAR (not the gig's 20) and the message the seller reads says so."""
    # given an extra with a zero, negative, below-minimum or malformed price
    # when parsed
    # then it is refused with the extra's own price key, not the package one
    assert refused(gig(extras=[extra(price=raw)])) == "gig.invalid_extra_price"


def test_the_extra_price_minimum_is_five_riyals():
    assert MIN_EXTRA_PRICE_MINOR == 500
    assert parse_gig(gig(extras=[extra(price="5")])).extras[0].price == 500


@pytest.mark.parametrize(
    ("field", "rows", "limit"),
    [("extras", extra, 6), ("faqs", faq, 10), ("requirements", question, 10)],
)
def test_each_list_has_its_limit(field, rows, limit):
    """Six extras, ten FAQ entries and ten questions at most: one more is refused, naming the list."""
    # given exactly the limit, then one more
    assert len(getattr(parse_gig(gig(**{field: [rows()] * limit})), field)) == limit
    # then the extra row is refused
    assert refused(gig(**{field: [rows()] * (limit + 1)})) == f"gig.invalid_{field}"


@pytest.mark.parametrize(
    "title",
    ["\u202eتسليم سريع", "تسليم سريع\u2069", "تسليم 🚀 سريع", "تسليم سريع ⭐", "تس", "ت" * 81, "   ", 42],
)
def test_extra_titles_follow_the_title_rules(title):
    """Extras sit beside the packages: no bidi controls or emoji, 3 to 80 characters."""
    assert refused(gig(extras=[extra(title=title)])) == "gig.invalid_extra_title"


@pytest.mark.parametrize(
    ("requirement", "accepted"),
    [
        (question(kind="choice"), False),  # a choice question without options
        (question(kind="choice", choices=["رسمية"]), False),  # one option is no choice
        (question(kind="choice", choices=["رسمية", "رسمية"]), False),  # the same option twice
        (question(kind="choice", choices=[f"خيار {n}" for n in range(11)]), False),  # eleven options
        (question(kind="choice", choices=["رسمية", "ت" * 81]), False),  # an option over 80 characters
        (question(kind="choice", choices=["رسمية", ""]), False),  # a blank option
        (question(kind="choice", choices=["رسمية\nودية", "حماسية"]), False),  # two lines in one option
        (question(kind="file", choices=["رسمية", "ودية"]), False),  # a file question with options
        (question(kind="text", choices=["رسمية", "ودية"]), False),
        (question(kind="choice", choices="رسمية\nودية"), False),  # options as one string
        (question(kind="choice", choices=[f"خيار {n}" for n in range(10)]), True),
        (question(kind="file", choices=[]), True),
    ],
)
def test_only_choice_questions_have_two_to_ten_options(requirement, accepted):
    """The buyer picks one of the options, so they must exist, differ and fit on a line."""
    data = gig(requirements=[requirement])
    if accepted:
        assert parse_gig(data).requirements[0].kind == requirement["kind"]
    else:
        assert refused(data) == "gig.invalid_requirement_choices"


def test_a_100_000_character_answer_is_refused():
    """FAQ answers are shown in full on the gig page: a pasted book is refused, not cut."""
    assert refused(gig(faqs=[faq(answer="ج" * 100_000)])) == "gig.invalid_faq_answer"
    assert len(parse_gig(gig(faqs=[faq(answer="ج" * 1000)])).faqs[0].answer) == 1000


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"extras": "تسليم سريع"}, "gig.invalid_extras"),
        ({"extras": ["تسليم سريع"]}, "gig.invalid_extras"),
        ({"extras": [extra(added_days=31)]}, "gig.invalid_extra_added_days"),
        ({"extras": [extra(added_days=-1)]}, "gig.invalid_extra_added_days"),
        ({"extras": [extra(added_days="1")]}, "gig.invalid_extra_added_days"),  # strict: no text
        ({"extras": [extra(added_days=1.0)]}, "gig.invalid_extra_added_days"),
        ({"extras": [extra(description="و" * 301)]}, "gig.invalid_extra_description"),
        ({"faqs": [faq(question="  لم؟  ")]}, "gig.invalid_faq_question"),  # under five characters once trimmed
        ({"faqs": [faq(question="س" * 201)]}, "gig.invalid_faq_question"),
        ({"faqs": [faq(answer="ن")]}, "gig.invalid_faq_answer"),
        ({"faqs": [{"question": "هل تسجل بالفصحى؟"}]}, "gig.invalid_faq_answer"),
        ({"requirements": [question(question="نص")]}, "gig.invalid_requirement_question"),
        ({"requirements": [question(question="س" * 301)]}, "gig.invalid_requirement_question"),
        ({"requirements": [question(kind="audio")]}, "gig.invalid_requirement_kind"),
        ({"requirements": [question(required="yes")]}, "gig.invalid_requirement_required"),
        ({"requirements": [question(required=1)]}, "gig.invalid_requirement_required"),
    ],
)
def test_bad_rows_name_the_row_kind_and_field(changes, key):
    """A refusal inside a row says which list and field, so the editor opens the right step."""
    assert refused(gig(**changes)) == key


# --- wrong shapes and types ----------------------------------------------------------------


@pytest.mark.parametrize("data", [None, [], "title", 42, [gig()], json.dumps(gig())])
def test_non_dict_input_is_refused_as_a_whole(data):
    """A JSON line that is a list or a string is not a gig; the generic key says so."""
    # given input that is not an object
    # when parsed
    # then it is refused with the generic key
    assert refused(data) == "gig.invalid"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"title": 1234567890123}, "gig.invalid_title"),
        ({"title": None}, "gig.invalid_title"),
        ({"title": ["تعليق صوتي احترافي"]}, "gig.invalid_title"),
        ({"description": 12345}, "gig.invalid_description"),
        ({"category": None}, "gig.invalid_category"),
        ({"category": "Ads"}, "gig.invalid_category"),  # slugs are lower-case
        ({"category": "ads; DROP TABLE gig"}, "gig.invalid_category"),
        ({"city": 5}, "gig.invalid_city"),
        ({"dialect": "نجدي"}, "gig.invalid_dialect"),  # the slug, not the Arabic name
        ({"tags": "تعليق,إعلان"}, "gig.invalid_tags"),  # a string, not a list
        ({"tags": [1, 2]}, "gig.invalid_tags"),
        ({"packages": {"tier": "basic"}}, "gig.invalid_packages"),
        ({"packages": "basic"}, "gig.invalid_packages"),
        ({"packages": ["basic"]}, "gig.invalid_packages"),
        ({"packages": [package(tier="gold")]}, "gig.invalid_tier"),
        ({"packages": [package(name="ب")]}, "gig.invalid_name"),
        ({"packages": [package(delivery_days="3")]}, "gig.invalid_delivery_days"),  # strict: no text
        ({"packages": [package(delivery_days=2.0)]}, "gig.invalid_delivery_days"),
        ({"packages": [package(delivery_days=True)]}, "gig.invalid_delivery_days"),
        ({"packages": [package(delivery_days=0)]}, "gig.invalid_delivery_days"),
        ({"packages": [package(delivery_days=91)]}, "gig.invalid_delivery_days"),
        ({"packages": [package(revisions=-1)]}, "gig.invalid_revisions"),
        ({"packages": [package(revisions="2")]}, "gig.invalid_revisions"),
        ({"packages": [package(words=0)]}, "gig.invalid_words"),
        ({"packages": [package(minutes=10_001)]}, "gig.invalid_minutes"),
    ],
)
def test_wrong_types_and_values_name_the_field(changes, key):
    """Each refusal names the field at fault, so the form can point at it."""
    # given a form with one wrong field
    # when parsed
    # then the key names that field
    assert refused(gig(**changes)) == key


def test_missing_required_fields_are_named():
    """An import line without a title or packages says which is missing."""
    # given forms missing one required field each
    for field, key in (("title", "gig.invalid_title"), ("category", "gig.invalid_category"),
                       ("description", "gig.invalid_description"), ("packages", "gig.invalid_packages")):
        data = gig()
        del data[field]
        # when parsed
        # then the missing field is named
        assert refused(data) == key, field


def test_unknown_fields_are_ignored():
    """Import files carry extra columns (ref, seller); they must not make a gig invalid or leak into it."""
    # given a form with extra keys
    parsed = parse_gig(gig(ref="demo-1", seller="x@example.com", status="active", rating_sum=50))
    # then it parses and the extras are not attributes of the input
    assert not hasattr(parsed, "status") and not hasattr(parsed, "rating_sum")


def test_every_refusal_key_is_translated_in_both_languages():
    """A refusal shown as a raw key is a bug the seller sees; every key the parser can produce has a message."""
    # given every key parse_gig can raise
    keys = {"gig.invalid"} | {f"gig.invalid_{field}" for field in _FIELD_KEYS}
    # when the locale files are read
    for lang in ("ar", "en"):
        messages = json.loads((PROJECT_ROOT / "app" / "core" / "locales" / f"{lang}.json").read_text(encoding="utf-8"))
        # then each key has a non-empty message
        missing = sorted(k for k in keys if not messages.get(k))
        assert not missing, (lang, missing)
