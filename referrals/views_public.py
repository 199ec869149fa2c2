"""The public self-referral form: no sign-in, so rate-limited and guarded by a honeypot."""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.cache import never_cache

from referrals.forms import SelfReferralForm
from referrals.presenters import answer_rows
from referrals.services import IdempotencyConflict, referral_submit
from socialrx.core.audit import client_ip

logger = logging.getLogger(__name__)

SENT_SESSION_KEY = "self-referral-sent"
DRAFT_SESSION_KEY = "self-referral-draft-{}"
TOKEN = re.compile(r"[0-9a-f]{32}")


def new_token() -> str:
    return uuid.uuid4().hex


def _over_limit(request: HttpRequest) -> bool:
    key = f"referrals:self_referral:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    # Per client address per hour. A family or a care home may share an address, so the
    # default is generous: it stops scripts, not people.
    return count > settings.REFERRALS_SELF_REFERRAL_LIMIT_PER_HOUR


def _draft(request: HttpRequest, token: str) -> MultiValueDict[str, str] | None:
    stored = request.session.get(DRAFT_SESSION_KEY.format(token)) if token else None
    return MultiValueDict(stored) if stored is not None else None


@never_cache
def self_referral(request: HttpRequest) -> HttpResponse:
    """The form; valid answers wait in the session for the person to check them."""
    if request.method != "POST":
        draft = _draft(request, request.GET.get("draft", ""))
        form = (
            SelfReferralForm(draft) if draft else SelfReferralForm(initial={"token": new_token()})
        )
        return render(request, "referrals/self_referral/form.html", {"form": form})
    if _over_limit(request):
        logger.warning("Self-referral rate limit reached")
        return render(request, "referrals/self_referral/too_many.html", status=429)
    form = SelfReferralForm(request.POST)
    if form.is_bot:
        # Look like success, so the bot learns nothing; store nothing.
        logger.info("Self-referral honeypot filled; discarded")
        return redirect("referrals:self_referral_sent")
    if not form.is_valid():
        return render(request, "referrals/self_referral/form.html", {"form": form})
    # The token names the draft in the session and in the address: ours, or a fresh one.
    token = form.cleaned_data["token"]
    token = token if TOKEN.fullmatch(token) else new_token()
    answers = {key: request.POST.getlist(key) for key in request.POST}
    answers.pop("csrfmiddlewaretoken", None)
    answers["token"] = [token]
    request.session[DRAFT_SESSION_KEY.format(token)] = answers
    return redirect("referrals:self_referral_check", token=token)


@never_cache
def self_referral_check(request: HttpRequest, token: str) -> HttpResponse:
    """Check your answers, then send. The token makes a double click store one referral."""
    data = _draft(request, token)
    if data is None:
        # A second click after sending finds the draft gone: show what was sent.
        if request.session.get(SENT_SESSION_KEY):
            return redirect("referrals:self_referral_sent")
        return redirect("referrals:self_referral")
    form = SelfReferralForm(data)
    change_url = reverse("referrals:self_referral") + f"?draft={token}"
    if not form.is_valid():
        return redirect(change_url)
    if request.method == "POST":
        try:
            result = referral_submit(
                data=form.referral_input(),
                referrer=None,
                organisation=None,
                idempotency_key=f"self:{token}",
            )
        except (ValidationError, IdempotencyConflict) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            return render(request, "referrals/self_referral/form.html", {"form": form})
        request.session.pop(DRAFT_SESSION_KEY.format(token), None)
        request.session[SENT_SESSION_KEY] = result.referral.reference
        return redirect("referrals:self_referral_sent")
    answers = answer_rows(form, change_url, skip={"website"})
    return render(
        request, "referrals/self_referral/check.html", {"answers": answers, "token": token}
    )


def self_referral_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SENT_SESSION_KEY, "")
    return render(request, "referrals/self_referral/sent.html", {"reference": reference})
