"""Secret tokens that are shown once and stored only as a hash (API tokens, intake tokens)."""

import hashlib
import secrets

from django.db import models


def new_token():
    """Return a new random token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(key):
    """Return the hash under which a token is stored.

    Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    """
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(row):
    """Give `row` a new token (its old one stops working) and return it: only its hash and first characters
    (`token_hash`, `token_prefix`) are kept."""
    key = new_token()
    row.token_hash, row.token_prefix = hash_token(key), key[:8]
    return key


class HashedTokenQuerySet(models.QuerySet):
    """The queries of a model that keeps a token as `token_hash` (see `issue_token`)."""

    def with_key(self, key):
        """The rows whose token is `key`; none for an empty key."""
        return self.filter(token_hash=hash_token(key)) if key else self.none()
