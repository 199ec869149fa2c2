"""The yardsticks. ``bare``: the cheapest response Django can give through the full
middleware stack; every endpoint's throughput is reported as a ratio to it, measured by
the same gunicorn in the same run (ADR 0016). ``signed_in``: the same for a signed-in
user, whose session and user with roles every signed-in page pays for first: the
"signed-in fixed cost" of ``make bench-budget`` (ADR 0027).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def signed_in(request: HttpRequest) -> HttpResponse:
    # Reading a role is what every signed-in page does first.
    roles = len(request.user.active_memberships)  # type: ignore[union-attr]
    return HttpResponse(f"ok {roles}", content_type="text/plain")
