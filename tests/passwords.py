"""Cheap argon2 for tests about behaviour, not cost.

Production argon2 takes 0.1-0.5 s a hash on a loaded 2-core machine; these parameters keep the
same schemes, deprecation rule and code paths (rehash-on-login still happens). The real
parameters are covered by tests/unit/test_security.py and the benchmarks.
"""

from __future__ import annotations

import pytest

from app.core import security

FAST = security.passwords.copy(argon2__memory_cost=64, argon2__rounds=1, argon2__parallelism=1)
_FAST_DUMMY = FAST.hash("not a password anyone uses")


def use_fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "passwords", FAST)
    monkeypatch.setattr(security, "_DUMMY_HASH", _FAST_DUMMY)
