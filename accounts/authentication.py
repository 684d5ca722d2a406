from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from core.throttling import FailedTokenThrottle


class BearerOrTokenAuthentication(TokenAuthentication):
    """Accept `Authorization: Token <key>` and `Authorization: Bearer <key>`, looking the key up by its hash.

    Alertmanager's `http_config.authorization` and most CI systems send Bearer.
    """

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        self.keyword = "Bearer" if header and header[0].lower() == b"bearer" else "Token"
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        guesses = FailedTokenThrottle()
        guesses.refuse_if_guessing(request)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            guesses.record_failure(request)
            raise

    def authenticate_credentials(self, key):
        from accounts.models import ApiToken

        token = ApiToken.objects.authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
