"""The owner's pages: list tokens, create one (its secret shown once), revoke one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from socialrx.core.api_tokens.forms import ApiTokenForm
from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.permissions import api_tokens_for
from socialrx.core.api_tokens.presenters import token_row
from socialrx.core.api_tokens.services import api_token_issue, api_token_revoke
from socialrx.core.http import AuthenticatedHttpRequest


@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    rows = [token_row(token, now) for token in api_tokens_for(user).select_related("user")]
    return render(
        request,
        "core/tokens/list.html",
        {"rows": rows, "expiry_days": settings.API_TOKEN_EXPIRY_DAYS},
    )


@never_cache  # the response to a valid POST holds the secret: no copy kept anywhere
@login_required
def token_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issued = api_token_issue(
            user=user, name=form.cleaned_data["name"], actor=user, request=request
        )
        # Rendered, not redirected: the secret must not wait in the session for a GET.
        return render(request, "core/tokens/created.html", {"issued": issued}, status=201)
    return render(
        request,
        "core/tokens/new.html",
        {"form": form, "expiry_days": settings.API_TOKEN_EXPIRY_DAYS},
    )


@login_required
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    token = get_object_or_404(api_tokens_for(user).unrevoked(), pk=token_id)
    if request.method == "POST":
        api_token_revoke(token=token, reason=RevocationReason.OWNER, actor=user, request=request)
        messages.success(request, f"Token '{token.name}' revoked. It no longer works.")
        return redirect("api_tokens")
    return render(request, "core/tokens/revoke.html", {"token": token})
