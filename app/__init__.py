"""Mihan: the domain services (plain Python), the CLI and the Reflex app assembly.

Only ``app.app`` imports Reflex; everything else here is importable by the CLI, tests and
HTTP routes without it.
"""
