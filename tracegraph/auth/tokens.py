"""API tokens: 32 random bytes from `secrets`, shown once, stored only as their SHA-256.

A plain SHA-256 is the right hash here (not a slow password hash): the secret carries 256 bits of entropy, so there
is nothing to brute-force, and every request must verify it cheaply.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "tg_"
SECRET_BYTES = 32


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    # "surrogatepass": a presented secret holding a lone surrogate (possible in a JSON string) hashes to something no
    # token has, rather than raising UnicodeEncodeError; every issued secret is ASCII, so its hash is unchanged.
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
