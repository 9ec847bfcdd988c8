"""Design overview: what a person wants to hear about by e-mail.

The bell shows every ``notification`` row (models/orders.py); e-mail is sent per preference
group (orders, messages, offers & requests, reviews, payments & payouts, moderation & disputes).
A person without a ``notification_setting`` row gets every group by e-mail in Arabic; the row
is created the first time they change a preference or unsubscribe from a mail. Security mail
(password reset, e-mail verification) never reads this table.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class NotificationSetting(SQLModel, table=True):
    """One person's e-mail choices: a switch per group and the language of the mail."""

    __tablename__ = "notification_setting"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", sa_column_kwargs={"unique": True})
    mail_lang: str = Field(default="ar", max_length=2)
    mail_orders: bool = Field(default=True)
    mail_messages: bool = Field(default=True)
    mail_offers: bool = Field(default=True)
    mail_reviews: bool = Field(default=True)
    mail_payments: bool = Field(default=True)
    mail_moderation: bool = Field(default=True)
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
