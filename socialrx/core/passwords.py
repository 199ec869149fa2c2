"""Password validators of our own (``AUTH_PASSWORD_VALIDATORS``), on top of Django's
length, similarity and common-password checks; every form that sets a password runs
them (the admin's, password change and reset).

- ``BreachedPasswordValidator`` (ASVS V6.2.12): asks Pwned Passwords' range API whether
  the password has appeared in a breach, by k-anonymity: only the first 5 hex characters
  of its SHA-1 leave the server, with ``Add-Padding`` so the size of the answer says
  nothing either. If the service cannot be reached in ``PWNED_PASSWORDS_TIMEOUT`` seconds
  the password is accepted and a warning logged (ADR 0032): the other validators still
  apply, and nobody is stopped from changing a password by an outside outage.
- ``ContextWordsValidator`` (ASVS V6.1.2, V6.2.11): bars the words of this service (the
  list in ``data/password_words.txt``, the service's name, the roles' names and the
  organisations' names in the database), however they are written.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import cache
from pathlib import Path

import requests
from django.conf import settings
from django.core.exceptions import ValidationError

from socialrx.core.models import Organisation, Role, User

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


WORDS_FILE = Path(__file__).parent / "data" / "password_words.txt"
# Digits and symbols people put for letters: "S0c1alRx" is "socialrx".
LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
# Shorter words ("nhs", "gp") are barred only as the whole password's letters: inside a
# longer password they are as likely to be chance as choice.
SHORTEST_WORD_BARRED_INSIDE = 4


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().translate(LOOKALIKES))


@cache
def _listed_words() -> tuple[str, ...]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def context_words() -> set[str]:
    """Every barred word, as typed (one query: the organisations' names)."""
    words = {*_listed_words(), settings.SERVICE_NAME}
    words |= {label for _, label in Role.choices} | {value for value, _ in Role.choices}
    words |= set(Organisation.objects.values_list("name", flat=True))
    return {word for word in words if _letters_and_digits(word)}


class ContextWordsValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        typed = _letters_and_digits(password)
        letters = re.sub(r"[^a-z]", "", password.lower())
        for word in sorted(context_words()):
            barred = _letters_and_digits(word)
            if barred in typed if len(barred) >= SHORTEST_WORD_BARRED_INSIDE else barred == letters:
                raise ValidationError(
                    "Your password cannot contain the name of this service, a place, an "
                    "organisation or a role here, such as \u201c%(word)s\u201d. Choose "
                    "words that have nothing to do with your work.",
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return (
            "Your password cannot contain the name of this service, or of a place, an "
            "organisation or a role here."
        )
