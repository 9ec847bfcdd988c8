"""The one error this package raises for input the ZATCA standards refuse.

It is a ``ValueError``, not a ``MihanError`` with a catalogue key: this is a pure library under
the invoicing service, and what reaches it has already passed the service's own checks (a
seller's VAT number when the profile is saved, amounts taken from the ledger). A refusal here is
either a broken invariant to log or a case the service turns into its own ``invoice.*`` message;
``rule`` (the rule id of the XML Implementation Standard, such as ``BR-KSA-40``, or the section
of the Security Features standard; ``MIHAN-…`` for the platform's own rules) is what it maps
from.
"""

from __future__ import annotations


class ZatcaError(ValueError):
    """Input the standards refuse: ``rule`` names the rule, the message says what was wrong."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule


def ensure(condition: bool, rule: str, message: str) -> None:
    """Raise ``ZatcaError(rule, message)`` unless ``condition`` holds."""
    if not condition:
        raise ZatcaError(rule, message)
