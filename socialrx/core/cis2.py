"""CIS2 (NHS Care Identity Service 2) sign-in: allauth's OpenID Connect views, with the
ID token's signature always verified (ASVS V6.8.2, ADR 0032), and sign-out passed on to
CIS2 (OpenID Connect RP-initiated logout; ASVS V7.1.3, ADR 0040).

allauth 65.22.1 skips the signature when the ID token came straight from the token
endpoint over TLS (OpenID Connect Core 3.1.3.7 allows that). We do not rely on the
channel alone: a proxy that terminates TLS, or a misrouted token endpoint, could then hand
us any identity. The views are allauth's, served at allauth's addresses and names
(``socialrx/core/urls.py``), with this adapter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from allauth.account.internal.decorators import login_not_required
from allauth.core.internal.deferred import jwt
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

# Asymmetric signatures only: "none" is never accepted, nor an HMAC (whose "key" would be
# the provider's public key, which anyone can fetch). CIS2 signs with RS256 or RS512.
SIGNING_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)


def verified_id_token(
    *, id_token: str, keys_url: str, issuer: str, audience: str
) -> dict[str, Any]:
    """The ID token's claims, once its signature is checked against the provider's keys
    (and its issuer, audience and expiry, as allauth checks them). Raises OAuth2Error."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as error:
        raise OAuth2Error("The ID token is not a JWT") from error
    algorithm = header.get("alg")
    if algorithm not in SIGNING_ALGORITHMS:
        raise OAuth2Error(f"The ID token is not signed with an accepted algorithm: {algorithm!r}")
    if not header.get("kid"):
        raise OAuth2Error("The ID token names no signing key (kid)")
    try:
        return dict(
            jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=keys_url,
                issuer=issuer,
                audience=audience,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        )
    except OAuth2Error as error:
        # allauth says only "Invalid id_token"; the audit wants the reason (a bad
        # signature, an unknown key, another issuer, expired).
        cause = error.__cause__ or error
        raise OAuth2Error(f"The ID token was refused: {cause}") from error


# Where the session keeps what signing out of CIS2 needs (``CIS2SignOut``).
SIGN_OUT_SESSION_KEY = "cis2_sign_out"


@dataclass(frozen=True)
class CIS2SignOut:
    """What ends the person's CIS2 session when they sign out here: the provider's end
    session endpoint, with the ID token of this sign-in as the hint of whose session."""

    end_session_endpoint: str
    id_token: str
    client_id: str

    def url(self, request: HttpRequest) -> str:
        """The provider's end session address; it sends the browser back to our sign-in
        page, which must be registered with CIS2 as a post-logout redirect URI."""
        query = urlencode(
            {
                "id_token_hint": self.id_token,
                "client_id": self.client_id,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            }
        )
        separator = "&" if "?" in self.end_session_endpoint else "?"
        return f"{self.end_session_endpoint}{separator}{query}"

    @classmethod
    def kept_in(cls, session: SessionBase) -> CIS2SignOut | None:
        kept = session.get(SIGN_OUT_SESSION_KEY)
        return cls(**kept) if isinstance(kept, dict) else None

    def keep_in(self, session: SessionBase) -> None:
        session[SIGN_OUT_SESSION_KEY] = asdict(self)


class CIS2Adapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        claims = verified_id_token(
            id_token=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
        )
        # Kept on the request until the person is signed in (``signin.on_user_logged_in``
        # puts it in the session): signing in may start a new session.
        endpoint = self.openid_config.get("end_session_endpoint") or ""
        if endpoint:
            self.request.cis2_sign_out = CIS2SignOut(
                end_session_endpoint=endpoint, id_token=id_token, client_id=app.client_id
            )
        return claims


def _served(
    view: type[OAuth2LoginView | OAuth2CallbackView], request: HttpRequest, provider_id: str
) -> HttpResponseBase:
    try:
        return view.adapter_view(CIS2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    return _served(OAuth2LoginView, request, provider_id)


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    return _served(OAuth2CallbackView, request, provider_id)
