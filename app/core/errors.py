"""The domain error every service raises for an anticipated failure.

A ``MihanError`` carries a message key (``<capability>.<reason>``) and parameters; the UI and
the CLI translate it with ``app.core.i18n``. Operational failures stay ordinary exceptions.
"""

from __future__ import annotations


class MihanError(Exception):
    """A failure the user can understand and act on."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "ar") -> str:
        from app.core.i18n import translate

        return translate(self.key, lang, **self.params)
