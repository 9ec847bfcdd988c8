"""Reflex State classes: thin; authenticate, authorize, validate, call a service, keep display data."""
