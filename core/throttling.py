"""API throttles: per signed-in user, per address for anonymous callers and failed tokens, per intake source.

Rates come from settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], set from the environment). A
throttled request gets a 429 with `Retry-After`. The counters live in the shared cache; if the cache
cannot be reached, requests are let through rather than refused (a throttle protects the service, it
must not take it down).
"""

import contextlib

import structlog
from rest_framework import throttling
from rest_framework.exceptions import Throttled

log = structlog.get_logger("hindsight.throttling")


class _CacheTolerant:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # the cache is down: let the request through
            log.warning("throttle.cache_unavailable", error=type(exc).__name__)
            return True


class UserRateThrottle(_CacheTolerant, throttling.UserRateThrottle):
    """Signed-in callers, by user (scope `user`); anonymous ones by address (see AnonRateThrottle)."""


class AnonRateThrottle(_CacheTolerant, throttling.AnonRateThrottle):
    """Anonymous callers, by address (scope `anon`)."""


class IntakeRateThrottle(_CacheTolerant, throttling.SimpleRateThrottle):
    """Alert notifications, by intake source (scope `intake`): one noisy Alertmanager cannot starve the rest."""

    scope = "intake"

    def get_cache_key(self, request, view):
        source = request.auth
        ident = f"source-{source.pk}" if source is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class FailedTokenThrottle(_CacheTolerant, throttling.SimpleRateThrottle):
    """Wrong API and intake tokens, by address (scope `bad_token`): guessing tokens is refused with 429.

    Authentication fails before DRF's throttles run, so the authentication classes call
    `refuse_if_guessing` before checking a token and `record_failure` after a wrong one.
    """

    scope = "bad_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _recent(self, request):
        """This address's failures within the window, newest first; None if the cache cannot be reached."""
        self.key, self.now = self.get_cache_key(request, None), self.timer()
        try:
            history = self.cache.get(self.key, [])
        except Exception:
            return None
        return [moment for moment in history if moment > self.now - self.duration]

    def refuse_if_guessing(self, request):
        """Raise Throttled (429 with Retry-After) if this address has sent too many wrong tokens lately."""
        history = self._recent(request)
        if history is not None and len(history) >= self.num_requests:
            self.history = history
            raise Throttled(wait=self.wait())

    def record_failure(self, request):
        history = self._recent(request)
        if history is not None:
            with contextlib.suppress(Exception):
                self.cache.set(self.key, [self.now, *history], self.duration)
