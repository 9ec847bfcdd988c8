"""Reflex pages. ``ROUTES`` is the single registry ``app/app.py`` adds to the app."""

from pages.registry import ROUTES, Route

__all__ = ["ROUTES", "Route"]
