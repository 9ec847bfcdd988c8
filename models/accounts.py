"""Design overview: accounts, sign-ins and the tokens mailed to people.

A ``User`` can buy and, after switching to seller mode, sell (``SellerProfile``); admins and
moderators are users with a role. ``AuthSession`` rows hold only the SHA-256 of the token the
browser keeps; ``EmailToken`` likewise for verification and reset links. ``LoginAttempt`` rows
feed the throttle (per account and per IP).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    USER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True}, index=False)
    name: str = Field(max_length=80)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.USER.value, max_length=16)
    is_active: bool = Field(default=True)
    email_verified_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    bio: str = Field(default="", max_length=1000)
    city: str = Field(default="", max_length=80)
    languages: str = Field(default="", max_length=200)
    avatar_file: str = Field(default="", max_length=100)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class SellerProfile(SQLModel, table=True):
    __tablename__ = "seller_profile"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", sa_column_kwargs={"unique": True})
    level: str = Field(default="new", max_length=16)
    # when the nightly job last measured the seller (NULL: never): its candidates are the stale ones
    level_checked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True), index=True)
    dialects: str = Field(default="", max_length=200)
    # founding sellers pay the founding commission rate for a while from this moment
    founding_since: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # an admin approved the seller's identity (هوية موثّقة); NULL again if withdrawn
    identity_verified_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # registered for VAT in KSA: decides, with the deemed-supplier rules, what the platform invoices
    vat_registered: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    vat_number: str = Field(default="", max_length=15, sa_column_kwargs={"server_default": ""})  # set when registered
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class AuthSession(SQLModel, table=True):
    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class EmailToken(SQLModel, table=True):
    __tablename__ = "email_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    purpose: str = Field(max_length=32)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    used_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.Index("ix_login_attempt_email_created", "email", "created_at"),
        sa.Index("ix_login_attempt_ip_created", "ip", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    ip: str = Field(max_length=64)
    succeeded: bool
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class InviteCode(SQLModel, table=True):
    """A single-use code an admin hands to one of a pilot's first sellers: redeeming it makes
    the seller a founding seller (بائع مؤسس: the badge, and the founding commission window from
    that moment). Only the code's SHA-256 would matter if codes were secrets; they are not (an
    admin reads them out to people), so the code itself is stored, unique."""

    __tablename__ = "invite_code"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, sa_column_kwargs={"unique": True})
    note: str = Field(default="", max_length=200)  # whom it was made for, for the admin's list
    created_by: int = Field(foreign_key="user_account.id")
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    redeemed_by: int | None = Field(default=None, foreign_key="user_account.id", sa_column_kwargs={"unique": True})
    redeemed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
