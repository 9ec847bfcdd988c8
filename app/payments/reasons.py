"""Why a bank declined a card, as a catalogue key checkout can show in Arabic.

Gateways pass on the bank's words (Moyasar's ``source.message``, PayTabs'
``payment_result.response_message``); the ones we know become ``payment.*`` keys, most specific
first, and anything else is kept as written (checkout shows an unknown one as «declined»).
"""

from __future__ import annotations

REASONS = (
    ("INSUFFICIENT FUNDS", "payment.insufficient_funds"),
    ("LOST", "payment.card_lost"),
    ("STOLEN", "payment.card_stolen"),
    ("EXPIRED CARD", "payment.card_expired"),
    ("LIMIT", "payment.limit_exceeded"),
    ("3-D SECURE", "payment.authentication_failed"),
    ("3DS", "payment.authentication_failed"),
    ("AUTHENTICATION FAILED", "payment.authentication_failed"),
    ("DECLINED", "payment.declined"),
    ("UNSPECIFIED FAILURE", "payment.declined"),
)


def reason_for(message: object) -> str:
    """The catalogue key for the bank's ``message``, or the message itself (at most 200
    characters); no message at all is «declined»."""
    if not isinstance(message, str) or not message.strip():
        return "payment.declined"
    shouted = message.upper()
    return next((key for needle, key in REASONS if needle in shouted), message.strip()[:200])
