"""Errors of the catalogue capability."""

from app.core.errors import MihanError


class CatalogError(MihanError):
    """An anticipated catalogue failure: bad gig input, unknown category, not the owner, wrong state."""


class TaxonomyError(CatalogError):
    """An admin's taxonomy edit that cannot be made: a bad form, a taken slug, a row in use."""
