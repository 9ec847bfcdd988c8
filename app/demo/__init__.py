"""Demo data for a pilot: realistic Arabic accounts for the Gulf voice-over niche."""

from app.demo.seed import DEMO_PASSWORD, seed_demo

__all__ = ["DEMO_PASSWORD", "seed_demo"]
