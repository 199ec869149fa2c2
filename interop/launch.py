"""Launching a referral from the GP record: a GP system's button opens socialrx with the
patient's details, signed by the practice's integration (HMAC-SHA256, shared secret set
by a system administrator) and stamped with the time, so a link cannot be forged, edited
or replayed later.

The link: ``/referrals/launch/?practice=<ODS>&ctx=<base64url JSON>&sig=<hex>`` where
``sig = HMAC-SHA256(secret, ctx)`` over the ``ctx`` text as sent, and the JSON holds
``nhs_number, given_name, family_name, birth_date (YYYY-MM-DD), address, postcode,
registered_practice`` (ODS code; the launching practice when absent) ``, clinician, iat``
(seconds since the epoch).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import time
from typing import Any

from django.conf import settings

from interop.models import PracticeIntegration
from referrals.permissions import practice_by_ods_code
from socialrx.core.models import Organisation, OrganisationType
from socialrx.core.parsers import loads_limited

MAX_CONTEXT_CHARS = 4000
# A GP system's clock may run a little ahead of ours.
CLOCK_SKEW_SECONDS = 60
FIELDS = ("nhs_number", "given_name", "family_name", "birth_date", "address", "postcode")


class LaunchRefused(Exception):
    """Shown to the user as the reason; says nothing of the secret or the expected value."""


def sign(secret: str, ctx: str) -> str:
    return hmac.new(secret.encode(), ctx.encode(), hashlib.sha256).hexdigest()


def encode_context(context: dict[str, Any]) -> str:
    """For GP system suppliers' tests and ours: the ``ctx`` value for a context."""
    return base64.urlsafe_b64encode(json.dumps(context).encode()).decode().rstrip("=")


def _decode(ctx: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(ctx + "=" * (-len(ctx) % 4))
        context = loads_limited(raw.decode(), max_depth=2)
    except (binascii.Error, ValueError) as error:
        raise LaunchRefused("The launch link is damaged.") from error
    if not isinstance(context, dict):
        raise LaunchRefused("The launch link is damaged.")
    return context


def verify_launch(
    *, practice_code: str, ctx: str, sig: str, now: float | None = None
) -> tuple[Organisation, dict[str, Any]]:
    """The practice and the patient context of a genuine, fresh launch link."""
    if not (practice_code and ctx and sig) or len(ctx) > MAX_CONTEXT_CHARS:
        raise LaunchRefused("The launch link is incomplete.")
    integration = (
        PracticeIntegration.objects.select_related("practice")
        .filter(
            practice__ods_code__iexact=practice_code,
            practice__org_type=OrganisationType.GP_PRACTICE,
            practice__is_active=True,
        )
        .exclude(launch_secret="")
        .first()
    )
    if integration is None:
        raise LaunchRefused("This practice is not set up to launch referrals from its GP system.")
    if not hmac.compare_digest(sign(integration.launch_secret, ctx), sig.lower()):
        raise LaunchRefused("The launch link's signature is not valid.")
    context = _decode(ctx)
    issued = context.get("iat")
    now = time.time() if now is None else now
    max_age = settings.GP_LAUNCH_MAX_AGE_MINUTES * 60
    if not isinstance(issued, int | float) or not (
        now - max_age <= issued <= now + CLOCK_SKEW_SECONDS
    ):
        raise LaunchRefused(
            f"The launch link has expired (links last {settings.GP_LAUNCH_MAX_AGE_MINUTES} "
            "minutes). Press the button in the GP record again."
        )
    return integration.practice, context


def form_initial(practice: Organisation, context: dict[str, Any]) -> dict[str, Any]:
    """Referral form fields from the context: text only, trimmed, a date checked."""
    initial: dict[str, Any] = {
        field: str(context[field])[:200]
        for field in FIELDS
        if isinstance(context.get(field), str) and context[field]
    }
    if "birth_date" in initial:
        try:
            initial["date_of_birth"] = datetime.date.fromisoformat(
                initial.pop("birth_date")
            ).isoformat()
        except ValueError:
            initial.pop("birth_date", None)
    # The patient's registered practice, when the GP refers from elsewhere (a hub or an
    # extended-access service); else the launching practice.
    registered = context.get("registered_practice")
    found = practice_by_ods_code(registered) if isinstance(registered, str) and registered else None
    initial["registered_practice"] = (found or practice).pk
    return initial
