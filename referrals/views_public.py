"""The public self-referral form: no sign-in, so rate-limited and guarded by a honeypot."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from referrals.forms import SelfReferralForm
from referrals.services import IdempotencyConflict, referral_submit
from socialrx.core.audit import client_ip

logger = logging.getLogger(__name__)

SENT_SESSION_KEY = "self-referral-sent"


def _over_limit(request: HttpRequest) -> bool:
    key = f"referrals:self-referral:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    # Per client address per hour. A family or a care home may share an address, so the
    # default is generous: it stops scripts, not people.
    return count > settings.REFERRALS_SELF_REFERRAL_LIMIT_PER_HOUR


@never_cache
def self_referral(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = SelfReferralForm(initial={"token": uuid.uuid4().hex})
        return render(request, "referrals/self_referral/form.html", {"form": form})
    if _over_limit(request):
        logger.warning("Self-referral rate limit reached")
        return render(request, "referrals/self_referral/too_many.html", status=429)
    form = SelfReferralForm(request.POST)
    if form.is_bot:
        # Look like success, so the bot learns nothing; store nothing.
        logger.info("Self-referral honeypot filled; discarded")
        return redirect("referrals:self-referral-sent")
    if form.is_valid():
        try:
            result = referral_submit(
                data=form.referral_input(),
                referrer=None,
                organisation=None,
                idempotency_key=f"self:{form.cleaned_data['token']}",
            )
        except (ValidationError, IdempotencyConflict) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            request.session[SENT_SESSION_KEY] = result.referral.reference
            return redirect("referrals:self-referral-sent")
    return render(request, "referrals/self_referral/form.html", {"form": form})


def self_referral_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SENT_SESSION_KEY, "")
    return render(request, "referrals/self_referral/sent.html", {"reference": reference})
