"""The yardstick: the cheapest response Django can give through the full middleware
stack. Every endpoint's throughput is reported as a ratio to this one, measured by the
same gunicorn in the same run (absolute numbers on a shared machine swing; ratios do not).
"""

from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
