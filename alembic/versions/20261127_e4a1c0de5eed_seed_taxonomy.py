"""Seed the niche's categories, cities and dialects from the niche settings file.

A data migration, separate from the schema: it inserts only into empty tables, so a founder's
later edits in the admin console survive every upgrade.

Revision ID: e4a1c0de5eed
Revises: d59109c2b327
Create Date: 2026-11-27 14:20:00
"""

import sqlalchemy as sa
from alembic import op

from app.niche import get_niche

revision = "e4a1c0de5eed"
down_revision = "d59109c2b327"
branch_labels = None
depends_on = None

def _table(name: str, *extra: str) -> sa.TableClause:
    columns = ["slug", "name_ar", "name_en", "position", *extra]
    types = {"position": sa.Integer, "is_active": sa.Boolean}
    return sa.table(name, *(sa.column(c, types.get(c, sa.String)) for c in columns))


def upgrade() -> None:
    niche = get_niche()
    bind = op.get_bind()
    categories = _table("category", "description_ar", "description_en", "icon", "is_active")
    if bind.execute(sa.text("SELECT COUNT(*) FROM category")).scalar() == 0:
        op.bulk_insert(
            categories,
            [
                {
                    "slug": c.slug, "name_ar": c.name_ar, "name_en": c.name_en, "position": i,
                    "description_ar": c.description_ar, "description_en": c.description_en,
                    "icon": c.icon, "is_active": True,
                }
                for i, c in enumerate(niche.categories)
            ],
        )
    for name, items in (("city", niche.cities), ("dialect", niche.dialects)):
        if bind.execute(sa.text(f"SELECT COUNT(*) FROM {name}")).scalar() == 0:
            op.bulk_insert(
                _table(name),
                [{"slug": x.slug, "name_ar": x.name_ar, "name_en": x.name_en, "position": i} for i, x in enumerate(items)],
            )


def downgrade() -> None:
    niche = get_niche()
    for name, items in (("category", niche.categories), ("city", niche.cities), ("dialect", niche.dialects)):
        slugs = [x.slug for x in items]
        op.execute(sa.text(f"DELETE FROM {name} WHERE slug IN :slugs").bindparams(sa.bindparam("slugs", slugs, expanding=True)))
