from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        # For the signed-out warning (includes/session_timeout.html).
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_seconds": settings.SESSION_IDLE_WARNING,
        "session_warning_text": duration_text(settings.SESSION_IDLE_WARNING),
    }


def duration_text(seconds: int) -> str:
    """'2 minutes', '1 minute', '45 seconds': how the timeout messages say a length."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
