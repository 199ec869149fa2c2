"""DRF authentication by personal API token: ``Authorization: Bearer <token>`` (RFC 6750),
and ``Authorization: Token <token>`` for clients written against the old scheme.

Every refusal is a 401 with ``WWW-Authenticate: Bearer``; an address that keeps sending
bad tokens is refused with 429 and ``Retry-After`` until its window ends.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import formats, timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from socialrx.core.api_tokens import throttle
from socialrx.core.api_tokens.models import ApiToken, RevocationReason
from socialrx.core.api_tokens.services import (
    api_token_record_use,
    api_token_revoke,
    token_digest,
)
from socialrx.core.models import User

SCHEMES = (b"bearer", b"token")
REALM = "socialrx API"
HEADER_FORM = "Send the header as 'Authorization: Bearer <token>'."
# Attribute set on the request when a token was sent and refused, for WWW-Authenticate.
REFUSED = "_api_token_refused"


class TooManyWrongTokens(exceptions.Throttled):
    default_detail = "Too many requests with a wrong API token from this address."
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None  # no token sent: other authenticators, or 401 without a token
        http_request: HttpRequest = request._request
        wait = throttle.seconds_until_allowed(http_request)
        if wait is not None:
            raise TooManyWrongTokens(wait=wait)
        try:
            token = self._token(parts, http_request)
        except exceptions.AuthenticationFailed:
            setattr(request, REFUSED, True)
            throttle.failure_record(http_request)
            raise
        api_token_record_use(token=token, request=http_request)
        return token.user, token

    def _token(self, parts: list[bytes], request: HttpRequest) -> ApiToken:
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                f"The Authorization header must hold one token. {HEADER_FORM}"
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The API token is not valid.") from None
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("The API token is not valid.")
        self._refuse_unusable(token, request)
        return token

    def _refuse_unusable(self, token: ApiToken, request: HttpRequest) -> None:
        # Deactivation and password changes revoke tokens where they happen; these catch
        # any path that did not (a shell, a bulk update, another sign-in library).
        if not token.is_revoked and not token.user.is_active:
            api_token_revoke(
                token=token, reason=RevocationReason.DEACTIVATED, actor=None, request=request
            )
        elif not token.is_revoked and token.predates_password_change():
            api_token_revoke(
                token=token, reason=RevocationReason.PASSWORD_CHANGED, actor=None, request=request
            )
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(
                "The API token has been revoked. Ask its owner for a new one."
            )
        if token.is_expired():
            expired = formats.date_format(timezone.localtime(token.expires_at), "j F Y")
            raise exceptions.AuthenticationFailed(
                f"The API token expired on {expired}. Ask its owner for a new one."
            )

    def authenticate_header(self, request: Request) -> str:
        if getattr(request, REFUSED, False):
            return f'Bearer realm="{REALM}", error="invalid_token"'
        return f'Bearer realm="{REALM}"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes this authentication (drf-spectacular)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from /accounts/api-tokens/. "
            "'Authorization: Token <token>' is accepted too.",
        }
