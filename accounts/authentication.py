from rest_framework.authentication import TokenAuthentication


class BearerOrTokenAuthentication(TokenAuthentication):
    """Accept `Authorization: Token <key>` and `Authorization: Bearer <key>`.

    Alertmanager's `http_config.authorization` and most CI systems send Bearer.
    """

    def authenticate(self, request):
        from rest_framework.authentication import get_authorization_header

        header = get_authorization_header(request).split()
        if header and header[0].lower() == b"bearer":
            self.keyword = "Bearer"
        else:
            self.keyword = "Token"
        return super().authenticate(request)
