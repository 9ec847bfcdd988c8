"""Shared UI pieces: the page shell, translated text, form fields."""
