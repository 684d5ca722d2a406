from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header


class BearerOrTokenAuthentication(TokenAuthentication):
    """Accept `Authorization: Token <key>` and `Authorization: Bearer <key>`, looking the key up by its hash.

    Alertmanager's `http_config.authorization` and most CI systems send Bearer.
    """

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        self.keyword = "Bearer" if header and header[0].lower() == b"bearer" else "Token"
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        from accounts.models import ApiToken

        token = ApiToken.objects.authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
