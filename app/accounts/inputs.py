"""Validated inputs of the accounts services.

Clients (browser RPC, CLI) send anything; these pydantic models are the gate. A failure becomes
one ``AccountError`` whose key names the first bad field, so the UI shows one clear sentence.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from app.accounts.errors import AccountError

PASSWORD_MIN = 8
PASSWORD_MAX = 256


def normalise_email(value: str) -> str:
    """Lower-case and validate an address; raises ``ValueError`` when it is not one."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError("invalid email") from exc
    return result.normalized.lower()


def clean_text(value: str) -> str:
    """Normalise to NFC, drop control characters, collapse surrounding blanks."""
    value = unicodedata.normalize("NFC", value)
    return "".join(ch for ch in value if ch in "\n" or unicodedata.category(ch)[0] != "C").strip()


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(normalise_email)]
Name = Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=2, max_length=80)]
Password = Annotated[str, StringConstraints(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)]
ShortText = Annotated[str, AfterValidator(clean_text), StringConstraints(max_length=80)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class SignUpInput(_Input):
    name: Name
    email: Email
    password: Password


def no_control_characters(value: str) -> str:
    """Refuse control characters (Postgres cannot even compare text holding NUL)."""
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("control characters")
    return value


class LogInInput(_Input):
    email: Annotated[str, StringConstraints(min_length=1, max_length=254), AfterValidator(no_control_characters)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=PASSWORD_MAX)]


class EmailInput(_Input):
    email: Email


class ResetInput(_Input):
    token: Annotated[str, StringConstraints(min_length=10, max_length=100)]
    password: Password


class PasswordChangeInput(_Input):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=PASSWORD_MAX)]
    new_password: Password


class ProfileInput(_Input):
    name: Name
    bio: Annotated[str, AfterValidator(clean_text), StringConstraints(max_length=1000)] = ""
    city: ShortText = ""
    languages: list[Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=1, max_length=30)]] = Field(
        default_factory=list, max_length=8
    )


T = TypeVar("T", bound=_Input)


def parse(model: type[T], data: Any) -> T:
    """Validate ``data`` into ``model`` or raise ``AccountError('input.<field>')``."""
    if not isinstance(data, dict):
        raise AccountError("input.invalid")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first.get("loc") else "invalid"
        raise AccountError(f"input.{field}") from None
