"""Fakes of outside services for tests: small real servers on loopback, never shipped in app/."""
