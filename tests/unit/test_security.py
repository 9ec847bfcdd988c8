"""Password hashing and tokens: argon2, self-upgrading old hashes, only hashes stored."""

from __future__ import annotations

import re

import pytest
from passlib.hash import pbkdf2_sha256

from app.core.security import burn_password_check, hash_password, hash_token, new_token, same, verify_password


def test_hash_password_uses_argon2_and_verifies():
    """New hashes are argon2 and check the password they were made from."""
    # given a password
    password = "correct horse battery"
    # when it is hashed
    hashed = hash_password(password)
    # then the hash is argon2, not the password, and verifies without asking for a rehash
    assert hashed.startswith("$argon2")
    assert password not in hashed
    assert verify_password(password, hashed) == (True, None)


def test_wrong_password_does_not_verify():
    """The obvious one, including near misses."""
    # given a hash
    hashed = hash_password("correct horse battery")
    # when other passwords are checked
    # then none verifies
    for attempt in ("correct horse batter", "Correct horse battery", "", "correct horse battery "):
        assert verify_password(attempt, hashed) == (False, None)


def test_same_password_hashes_differently_each_time():
    """A per-hash salt: equal passwords do not give equal hashes."""
    # given one password
    # when it is hashed twice
    first, second = hash_password("same-password"), hash_password("same-password")
    # then the hashes differ and both verify
    assert first != second
    assert verify_password("same-password", first)[0] and verify_password("same-password", second)[0]


def test_pbkdf2_hash_verifies_and_returns_an_argon2_rehash():
    """Accounts imported with pbkdf2 hashes upgrade themselves at the next log-in."""
    # given an old pbkdf2_sha256 hash
    old = pbkdf2_sha256.hash("old-password-1")
    # when the right password is checked
    ok, new_hash = verify_password("old-password-1", old)
    # then it verifies and an argon2 replacement is offered, which verifies too
    assert ok is True
    assert new_hash is not None and new_hash.startswith("$argon2")
    assert verify_password("old-password-1", new_hash) == (True, None)
    # and a wrong password against the old hash offers nothing
    assert verify_password("wrong-password", old) == (False, None)


@pytest.mark.parametrize("garbage", ["", "not-a-hash", "$argon2id$v=19$broken", "$2b$12$abc"])
def test_unreadable_hash_is_a_failed_check_not_a_crash(garbage):
    """A corrupted row must not turn a log-in into a server error."""
    # given a stored hash that no scheme can read
    # when a password is checked against it
    # then it simply does not verify
    assert verify_password("whatever-password", garbage) == (False, None)


def test_arabic_passwords_work():
    """Passwords in Arabic (and with diacritics) hash and verify like any other."""
    # given an Arabic password
    password = "كلمةُ السرِّ ١٢٣"
    # when it is hashed
    hashed = hash_password(password)
    # then it verifies, and a version without the diacritics does not
    assert verify_password(password, hashed) == (True, None)
    assert verify_password("كلمة السر ١٢٣", hashed)[0] is False


def test_burn_password_check_takes_any_password():
    """The dummy check used for unknown e-mails runs without raising."""
    # given any password
    # when the dummy check runs
    # then it returns quietly
    assert burn_password_check("anything at all") is None


def test_tokens_are_random_and_url_safe():
    """Session and link tokens cannot be guessed and survive a URL unchanged."""
    # given many new tokens
    tokens = [new_token() for _ in range(200)]
    # when they are inspected
    # then they are unique, long (256 bits) and URL-safe
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


def test_tokens_are_stored_as_sha256_hex():
    """A leaked table of token hashes gives nobody a usable session."""
    # given a token
    token = new_token()
    # when it is hashed
    digest = hash_token(token)
    # then the stored value is a 64-char lower-case hex digest, stable, and not the token
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest != token and token not in digest
    assert hash_token(token) == digest
    assert hash_token(new_token()) != digest
    # and it is the well-known sha256 of the text
    assert hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_same_compares_strings():
    """The constant-time comparison still answers correctly, Arabic included."""
    # given pairs of strings
    # when they are compared
    # then equal ones are the same and others not
    assert same("مِهَن", "مِهَن")
    assert not same("مِهَن", "مهن")
    assert not same("abc", "abcd")
