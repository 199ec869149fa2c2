"""Password validators of our own (``AUTH_PASSWORD_VALIDATORS``), on top of Django's
length, similarity and common-password checks; every form that sets a password runs
them (the admin's, password change and reset).

- ``BreachedPasswordValidator`` (ASVS V6.2.12): asks Pwned Passwords' range API whether
  the password has appeared in a breach, by k-anonymity: only the first 5 hex characters
  of its SHA-1 leave the server, with ``Add-Padding`` so the size of the answer says
  nothing either. If the service cannot be reached in ``PWNED_PASSWORDS_TIMEOUT`` seconds
  the password is accepted and a warning logged (ADR 0032): the other validators still
  apply, and nobody is stopped from changing a password by an outside outage.
"""

from __future__ import annotations

import hashlib
import logging

import requests
from django.conf import settings
from django.core.exceptions import ValidationError

from socialrx.core.models import User

logger = logging.getLogger(__name__)


class BreachedPasswordValidator:
    message = (
        "This password has appeared in a data breach, so others may try it. "
        "Choose a different password."
    )

    def validate(self, password: str, user: User | None = None) -> None:
        if not settings.PWNED_PASSWORDS_ENABLED:
            return
        digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
        prefix, suffix = digest[:5], digest[5:]
        try:
            response = requests.get(
                f"{settings.PWNED_PASSWORDS_URL.rstrip('/')}/range/{prefix}",
                headers={"Add-Padding": "true", "User-Agent": "socialrx password check"},
                timeout=settings.PWNED_PASSWORDS_TIMEOUT,
            )
            response.raise_for_status()
        except requests.RequestException as error:
            logger.warning(
                "Pwned Passwords could not be asked (%s): the password was accepted without "
                "the breached-password check",
                type(error).__name__,
            )
            return
        if _appears(response.text, suffix):
            raise ValidationError(self.message, code="password_breached")

    def get_help_text(self) -> str:
        return "Your password cannot be one that has appeared in a known data breach."


def _appears(answer: str, suffix: str) -> bool:
    # Lines of "SUFFIX:COUNT"; padding lines have a count of 0 and are not breaches.
    for line in answer.splitlines():
        found, _, count = line.strip().partition(":")
        if found.upper() == suffix and count.strip() not in ("", "0"):
            return True
    return False
