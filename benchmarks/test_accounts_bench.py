"""How fast the per-event identity check and a log-in are (run with `make bench`).

Every state handler resolves the session cookie once, so `resolve` sits on the hot path of the
whole UI; a log-in is dominated by argon2 by design.
"""

from __future__ import annotations

from app import accounts
from app.accounts import LogInInput, SignUpInput
from app.accounts.registration import create_user
from app.core.db import reading, transaction
from models.accounts import Role


def _users_with_sessions(count: int) -> list[str]:
    tokens = []
    with transaction() as session:
        for i in range(count):
            user = create_user(
                session,
                SignUpInput(name=f"مستخدم {i}", email=f"u{i}@bench.mihan.sa", password="bench-password"),
                role=Role.USER,
                verified=True,
            )
            tokens.append(accounts.start_session(session, user=user).token)
    return tokens


def test_resolve_session(benchmark, database):
    tokens = _users_with_sessions(200)

    def resolve_all() -> None:
        with reading() as session:
            for token in tokens[:50]:
                assert accounts.resolve(session, token) is not None

    benchmark(resolve_all)


def test_log_in(benchmark, database):
    _users_with_sessions(1)

    def log_in() -> None:
        with transaction() as session:
            assert accounts.log_in(session, LogInInput(email="u0@bench.mihan.sa", password="bench-password")) is not None

    benchmark.pedantic(log_in, rounds=5, iterations=1)
