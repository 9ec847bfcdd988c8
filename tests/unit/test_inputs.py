"""The pydantic gate in front of the accounts services: normalise, clean, refuse with one key."""

from __future__ import annotations

import pytest

from app.accounts import (
    AccountError,
    EmailInput,
    LogInInput,
    PasswordChangeInput,
    ProfileInput,
    ResetInput,
    SignUpInput,
    parse,
)

GOOD = {"name": "نورة الشمري", "email": "noura@example.com", "password": "long-enough"}


def _key(model, data) -> str:
    with pytest.raises(AccountError) as caught:
        parse(model, data)
    return caught.value.key


def test_email_is_trimmed_and_lower_cased():
    """``Ali@Example.COM`` and ``ali@example.com`` are one account."""
    # given an address with capitals and blanks
    # when it is parsed
    data = parse(SignUpInput, {**GOOD, "email": "  Ali.Hassan@Example.COM "})
    # then it is stored lower-case and trimmed
    assert data.email == "ali.hassan@example.com"
    assert parse(EmailInput, {"email": "NOURA@EXAMPLE.SA"}).email == "noura@example.sa"


@pytest.mark.parametrize("email", ["", "noura", "noura@", "@example.com", "a b@example.com", "x" * 250 + "@e.co"])
def test_bad_email_is_refused_with_input_email(email):
    """A broken address is a form error, not a server error."""
    # given a malformed address
    # when it is parsed
    # then the key names the e-mail field
    assert _key(SignUpInput, {**GOOD, "email": email}) == "input.email"


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert('x')</script>",
        "Robert'); DROP TABLE user_account;--",
        "عبدالله & <b>أبناؤه</b>",
        '"quoted" {braces} %s',
    ],
)
def test_name_with_html_or_sql_is_kept_as_text(name):
    """Escaping is the renderer's job; the input keeps exactly what was typed."""
    # given a name that looks like markup or SQL, with blanks around it
    # when it is parsed
    data = parse(SignUpInput, {**GOOD, "name": f"  {name}\t"})
    # then it is unchanged except for the trimming
    assert data.name == name


def test_control_and_invisible_characters_are_dropped():
    """NULs, escapes and bidi overrides in names can break logs and spoof text."""
    # given a name with control and format characters inside it
    raw = "نو\x00رة\x1b[31m\u202e الشمري\u200b\x7f"
    # when it is parsed
    data = parse(SignUpInput, {**GOOD, "name": raw})
    # then they are gone and the Arabic text remains
    assert data.name == "نورة[31m الشمري"
    assert not any(ch in data.name for ch in "\x00\x1b\u202e\u200b\x7f")


def test_bio_keeps_its_line_breaks():
    """Bios are multi-line; newlines survive while other controls do not."""
    # given a bio with lines and a tab
    # when it is parsed
    data = parse(ProfileInput, {"name": "نورة", "bio": "سطر أول\nسطر\tثان\r\n"})
    # then the newline stays and the tab and carriage return go
    assert data.bio == "سطر أول\nسطرثان"


def test_name_is_normalised_to_nfc():
    """Composed and decomposed forms of one letter are the same name."""
    # given a decomposed é
    # when it is parsed
    data = parse(SignUpInput, {**GOOD, "name": "Rene\u0301e"})
    # then it is stored composed
    assert data.name == "Ren\u00e9e"


@pytest.mark.parametrize("name", ["", " ", "ع", "  ع  ", "\x00\x01ع", "x" * 81])
def test_name_length_counts_after_cleaning(name):
    """Two to eighty visible characters, whatever blanks or controls pad it."""
    # given a name too short (after cleaning) or too long
    # when it is parsed
    # then it is refused with input.name
    assert _key(SignUpInput, {**GOOD, "name": name}) == "input.name"


def test_seven_character_password_is_refused_with_input_password():
    """Eight characters is the minimum."""
    # given a seven- and an eight-character password
    # when they are parsed
    # then the short one is refused with input.password and the other accepted
    assert _key(SignUpInput, {**GOOD, "password": "1234567"}) == "input.password"
    assert parse(SignUpInput, {**GOOD, "password": "12345678"}).password == "12345678"


def test_password_too_long_and_new_password_key():
    """Unbounded passwords are a hashing DoS; the key follows the field name."""
    # given a 257-character password and a short new password
    # when they are parsed
    # then each is refused with its field's key
    assert _key(SignUpInput, {**GOOD, "password": "x" * 257}) == "input.password"
    assert _key(PasswordChangeInput, {"current_password": "old", "new_password": "short"}) == "input.new_password"
    assert _key(ResetInput, {"token": "short", "password": "long-enough"}) == "input.token"


def test_password_is_not_trimmed():
    """Blanks in a password are part of it."""
    # given a password with surrounding blanks
    # when it is parsed
    # then it is kept as is
    assert parse(SignUpInput, {**GOOD, "password": "  spaced  "}).password == "  spaced  "


@pytest.mark.parametrize("data", [None, "name=x", ["x"], 42, ("a", "b")])
def test_non_dict_is_refused_with_input_invalid(data):
    """The browser can send anything; only an object is a form."""
    # given something that is not a dict
    # when it is parsed
    # then the key is input.invalid
    assert _key(SignUpInput, data) == "input.invalid"


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", 12345), ("name", ["نورة"]), ("email", 7), ("password", 12345678), ("password", b"bytes-pass"), ("email", None)],
)
def test_wrong_types_are_refused_not_coerced(field, value):
    """Strict mode: an int is not silently turned into a name."""
    # given a field of the wrong type
    # when it is parsed
    # then it is refused with that field's key
    assert _key(SignUpInput, {**GOOD, field: value}) == f"input.{field}"


def test_missing_field_is_named():
    """A form without a password says so."""
    # given a sign-up without a password
    # when it is parsed
    # then the key names the missing field
    assert _key(SignUpInput, {"name": "نورة", "email": "noura@example.com"}) == "input.password"


def test_extra_fields_are_ignored():
    """A client cannot smuggle ``role: admin`` into sign-up."""
    # given a sign-up with an extra role field
    # when it is parsed
    data = parse(SignUpInput, {**GOOD, "role": "admin", "id": 1})
    # then the extra fields do not exist on the input
    assert not hasattr(data, "role")
    assert set(data.model_dump()) == {"name", "email", "password"}


def test_log_in_input_does_not_validate_the_address():
    """Log-in with a mistyped address gets the generic wrong-credentials answer, not a form hint."""
    # given an address that is not one
    # when it is parsed for log-in
    data = parse(LogInInput, {"email": "not-an-address", "password": "x"})
    # then it passes through unchanged
    assert data.email == "not-an-address"
    assert _key(LogInInput, {"email": "", "password": "x"}) == "input.email"


def test_profile_languages_limits():
    """At most eight languages, each one to thirty characters."""
    # given language lists at and beyond the limits
    # when they are parsed
    # then eight pass, nine or an empty one are refused with input.languages
    assert len(parse(ProfileInput, {"name": "نورة", "languages": ["العربية"] * 8}).languages) == 8
    assert _key(ProfileInput, {"name": "نورة", "languages": ["العربية"] * 9}) == "input.languages"
    assert _key(ProfileInput, {"name": "نورة", "languages": ["العربية", " "]}) == "input.languages"
    assert _key(ProfileInput, {"name": "نورة", "languages": ["x" * 31]}) == "input.languages"
    assert _key(ProfileInput, {"name": "نورة", "bio": "x" * 1001}) == "input.bio"


def test_inputs_are_frozen():
    """Validated input cannot be changed after the gate."""
    # given a parsed input
    data = parse(SignUpInput, GOOD)
    # when a field is assigned
    # then it raises
    with pytest.raises(Exception):
        data.email = "other@example.com"  # type: ignore[misc]
