"""Translations: the two catalogues stay in step, and every key the code uses exists."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from pydantic import BaseModel

from app.accounts import inputs
from app.core import i18n
from app.core.i18n import direction, normalise_language, translate

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "app" / "core" / "locales"
SOURCE_DIRS = [ROOT / "app", ROOT / "state", ROOT / "pages"]


def _load(lang: str) -> dict[str, str]:
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def _placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


# Calls whose first string argument is a catalogue key: translate("x.y"), t("x.y"),
# MihanError("x.y"), AccountError("x.y"), raise SomethingError("x.y"), and the helpers of the
# pages that take a key first (field, text_area, submit, _switch), plus the CLI's _print(args, "x.y").
_KEY = r"""["']([a-z_]+(?:\.[a-z0-9_]+)+)["']"""
KEY_CALL = re.compile(r"\b(?:translate|t|\w*Error|field|text_area|submit|_switch)\(\s*" + _KEY)
KEY_PRINT = re.compile(r"\b_print\(\s*args\s*,\s*" + _KEY)
# Keyword arguments that carry keys: subject_key="mail.x", body_key=..., hint="profile.x".
KEY_KWARG = re.compile(r"\b(?:\w+_key|hint)\s*=\s*" + _KEY)


def _keys_used_in_source() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for pattern in (KEY_CALL, KEY_PRINT, KEY_KWARG):
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    used.setdefault(match.group(1), []).append(f"{path.relative_to(ROOT)}:{line}")
    return used


def _input_models() -> list[type[BaseModel]]:
    return [
        value
        for value in vars(inputs).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == inputs.__name__
        and not value.__name__.startswith("_")
    ]


def test_arabic_and_english_have_exactly_the_same_keys():
    """A key missing in one language shows up as a raw key or in the wrong language."""
    # given both catalogues
    ar, en = _load("ar"), _load("en")
    # when their keys are compared
    # then neither has a key the other lacks
    assert sorted(set(ar) - set(en)) == []
    assert sorted(set(en) - set(ar)) == []


def test_no_message_is_empty():
    """An empty message would fall back silently to Arabic (or show nothing)."""
    # given both catalogues
    for lang in ("ar", "en"):
        # when their messages are read
        empty = [key for key, message in _load(lang).items() if not message.strip()]
        # then none is blank
        assert empty == [], lang


def test_placeholders_are_identical_between_languages():
    """A ``{param}`` present in one language only would print braces or drop data."""
    # given both catalogues
    ar, en = _load("ar"), _load("en")
    # when each key's placeholders are compared
    mismatched = {
        key: (sorted(_placeholders(ar[key])), sorted(_placeholders(en[key])))
        for key in ar.keys() & en.keys()
        if _placeholders(ar[key]) != _placeholders(en[key])
    }
    # then they are the same set
    assert mismatched == {}


def test_placeholders_are_plain_names():
    """``format_map`` only handles simple ``{name}`` fields the way the services pass them."""
    # given every message
    for lang in ("ar", "en"):
        for key, message in _load(lang).items():
            # when its placeholders are parsed
            # then each is a simple identifier
            for name in _placeholders(message):
                assert name.isidentifier(), (lang, key, name)


def test_translate_formats_parameters():
    """Parameters fill the message in the chosen language."""
    # given a message with a parameter
    # when it is translated in both languages
    ar = translate("auth.throttled", "ar", minutes=7)
    en = translate("auth.throttled", "en", minutes=7)
    # then the value is filled in and the languages differ
    assert "7" in ar and "{minutes}" not in ar
    assert "7" in en and "{minutes}" not in en
    assert ar != en


def test_translate_falls_back_to_arabic_then_to_the_key(monkeypatch):
    """An English gap shows Arabic (the reference), an unknown key shows itself."""
    # given an English catalogue lacking a key the Arabic one has
    catalogues = {"ar": {"only.arabic": "عربي فقط", "both.x": "عربي"}, "en": {"both.x": "English"}}
    monkeypatch.setattr(i18n, "catalogue", lambda lang: catalogues[lang if lang in catalogues else "ar"])
    # when keys are translated into English
    # then the missing one comes from Arabic, an unknown one is the key itself
    assert translate("both.x", "en") == "English"
    assert translate("only.arabic", "en") == "عربي فقط"
    assert translate("no.such_key", "en") == "no.such_key"


def test_translate_with_unknown_language_or_missing_parameter():
    """Bad input from a client never raises: it gets Arabic, or the unformatted message."""
    # given an unsupported language and a message whose parameter is not passed
    # when they are translated
    # then Arabic is used and the missing parameter leaves the text unformatted
    assert translate("brand.name", "fr") == _load("ar")["brand.name"]
    assert translate("brand.name", None) == _load("ar")["brand.name"]  # type: ignore[arg-type]
    assert translate("auth.throttled", "en", other=1) == _load("en")["auth.throttled"]


@pytest.mark.parametrize(
    ("lang", "expected"), [("ar", "rtl"), ("en", "ltr"), ("fr", "rtl"), (None, "rtl"), (42, "rtl")]
)
def test_direction(lang, expected):
    """Arabic (and anything unknown, which becomes Arabic) is right-to-left."""
    # given a language code
    # when its direction is asked
    # then Arabic is rtl and English ltr
    assert direction(lang) == expected  # type: ignore[arg-type]


def test_normalise_language():
    """Only the supported codes pass through."""
    # given codes from a client
    # when they are normalised
    # then unknown ones become Arabic
    assert [normalise_language(x) for x in ("ar", "en", "EN", "", None)] == ["ar", "en", "ar", "ar", "ar"]


def test_the_source_scan_finds_keys():
    """Guard the guard: a broken regex would make the next test pass vacuously."""
    # given the source tree
    # when keys are scanned
    used = _keys_used_in_source()
    # then the well-known ones are found, in each layer
    for key in ("auth.email_taken", "auth.throttled", "cli.db_upgraded", "mail.verify.body", "nav.search", "auth.welcome"):
        assert key in used, key
    assert len(used) > 40


def test_every_key_used_in_the_source_exists_in_arabic():
    """A typo in a key shows the raw key to the user; catch it here instead."""
    # given the Arabic catalogue and every literal key used in app/, state/ and pages/
    ar = _load("ar")
    used = _keys_used_in_source()
    # when they are compared
    missing = {key: places for key, places in used.items() if key not in ar}
    # then every key exists
    assert missing == {}


def test_every_input_field_has_an_input_message():
    """``parse`` raises ``input.<field>`` for the first bad field; each needs a sentence."""
    # given every pydantic input of the accounts services
    ar = _load("ar")
    models = _input_models()
    assert len(models) >= 6
    # when their fields are listed
    fields = {name for model in models for name in model.model_fields}
    # then each has an input.<field> message (and input.invalid exists for non-dicts)
    assert {"name", "email", "password", "token", "bio", "languages"} <= fields
    missing = sorted(f"input.{name}" for name in fields if f"input.{name}" not in ar)
    assert missing == []
    assert "input.invalid" in ar


def test_parse_error_keys_match_the_fields():
    """The key ``parse`` builds is the field's name, so the catalogue check above is the right one."""
    # given an input with one bad field
    # when it is parsed
    # then the error key names that field
    with pytest.raises(inputs.AccountError) as caught:
        inputs.parse(inputs.ProfileInput, {"name": "ab", "city": 5})
    assert caught.value.key == "input.city"


def test_every_literal_shaped_like_a_key_of_a_known_area_exists():
    """Keys passed through variables (``step(..., "home.how_1")``) escape the call scan above."""
    # given the catalogue's areas (the part before the first dot)
    ar = _load("ar")
    areas = sorted({key.split(".")[0] for key in ar})
    literal = re.compile(r"""(?<![\w.])["']((?:%s)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)["']""" % "|".join(areas))
    # when every string literal of that shape in the source is collected
    found: dict[str, str] = {}
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            for match in literal.finditer(path.read_text(encoding="utf-8")):
                found.setdefault(match.group(1), str(path.relative_to(ROOT)))
    # then there are many, and each exists in Arabic
    assert "home.how_1" in found
    assert {key: place for key, place in found.items() if key not in ar} == {}
