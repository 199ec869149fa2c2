"""GOV.UK Notify's callbacks: it posts each message's delivery receipt, and each letter
returned, here (``socialrx.core.notification_receipts`` records them).

Not a signed-in route and not CSRF-protected (Notify is no browser session): Notify
proves itself with the bearer token we gave it (``NOTIFY_CALLBACK_TOKEN``), compared in
constant time. Unset, every callback is refused (403); a wrong or missing token is 401.
Bad input is a 400 with a message, never a 500; a message we do not know is a 404.
Notify retries a failed callback a few times, so an answer other than 2xx is safe.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from socialrx.core.notification_receipts import (
    Receipt,
    ReceiptError,
    UnknownNotification,
    notification_record_receipt,
    parse_delivery_receipt,
    parse_returned_letter,
)
from socialrx.core.parsers import loads_limited

# A receipt is a flat object of a dozen fields; anything nested is not Notify.
MAX_DEPTH = 4


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="notify-callbacks"'
    return response


def _refusal(request: HttpRequest) -> JsonResponse | None:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    if not expected:
        return _error(403, "Notify callbacks are not configured here")
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), expected.encode()
    ):
        return _error(401, "A valid bearer token is required")
    return None


def _receive(request: HttpRequest, parse: Callable[[object], Receipt]) -> JsonResponse:
    refused = _refusal(request)
    if refused is not None:
        return refused
    try:
        data = loads_limited(request.body.decode("utf-8"), max_depth=MAX_DEPTH)
    except ValueError as error:  # not UTF-8, not JSON, or nested too deeply
        return _error(400, f"The body must be JSON: {error}"[:200])
    try:
        receipt = parse(data)
        changed = notification_record_receipt(receipt=receipt, source="callback")
    except ReceiptError as error:
        return _error(400, str(error))
    except UnknownNotification as error:
        return _error(404, str(error))
    return JsonResponse({"recorded": changed})


@csrf_exempt
@require_POST
def delivery_receipt(request: HttpRequest) -> JsonResponse:
    """An email, text or letter delivered, or not (Notify's delivery receipt)."""
    return _receive(request, parse_delivery_receipt)


@csrf_exempt
@require_POST
def returned_letter(request: HttpRequest) -> JsonResponse:
    """A letter Royal Mail returned to Notify: the address did not reach the person."""
    return _receive(request, parse_returned_letter)
