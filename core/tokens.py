"""Secret tokens that are shown once and stored only as a hash (API tokens, intake tokens)."""

import hashlib
import secrets


def new_token():
    """Return a new random token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(key):
    """Return the hash under which a token is stored.

    Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    """
    return hashlib.sha256(key.encode()).hexdigest()
