"""The OAuth 2.0 token endpoint GP systems call, with the throttle every other way in has.

django-oauth-toolkit's TokenView answers the client credentials grant; here failed
attempts are counted per client id and per address the way failed sign-ins are
(settings.ACCOUNT_RATE_LIMITS["oauth_token_failed"]), and once either is used up the
endpoint answers 429 until the window ends, whatever the secret: guessing a client's
secret costs as much as guessing a password.
"""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from oauth2_provider.views import TokenView

from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, AuditSystemReason

ACTION = "oauth_token_failed"


class ThrottledTokenView(TokenView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client_id = request.POST.get("client_id", "")[:100]
        if not ratelimit.consume(request, action=ACTION, key=client_id, dry_run=True):
            audit_record(
                actor=None,
                system_reason=AuditSystemReason.FAILED_SIGN_IN,
                action=AuditAction.LOCKOUT,
                request=request,
                detail={"step": "oauth_token", "client_id": client_id},
            )
            minutes = settings.SIGNIN_LOCKOUT_MINUTES
            response = JsonResponse(
                {
                    "error": "slow_down",
                    "error_description": "Too many failed token requests for this client or "
                    f"from this address. Try again in {minutes} minutes.",
                },
                status=429,
            )
            response["Retry-After"] = str(minutes * 60)
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code in (400, 401):
            ratelimit.consume(request, action=ACTION, key=client_id)
            audit_record(
                actor=None,
                system_reason=AuditSystemReason.FAILED_SIGN_IN,
                action=AuditAction.LOGIN_FAILED,
                request=request,
                detail={"step": "oauth_token", "client_id": client_id},
            )
        return response
