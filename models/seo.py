"""Design overview: the content version of the public, server-rendered pages.

``ContentVersion`` is a single row (``id = 1``) whose counter database triggers raise on every
change to what public pages show (gigs, packages, FAQ, media, reviews, accounts, seller
profiles, taxonomy, lexicon); ``app.seo.cache`` serves a cached page only at the version it was
rendered at. The triggers live in the migration (autogenerate does not see them).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class ContentVersion(SQLModel, table=True):
    __tablename__ = "content_version"

    id: int = Field(primary_key=True)
    version: int = Field(default=0, sa_type=sa.BigInteger)
