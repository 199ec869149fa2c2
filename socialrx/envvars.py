"""Helpers for reading settings from the environment, loudly.

django-environ's ``Env.bool`` reads any word it does not know as false, so a typo such
as ``DJANGO_SECURE_SSL_REDIRECT=ture`` turned a protection off without a word. These
refuse to start instead, as healthchecks' ``envbool`` does.
"""

from __future__ import annotations

import json
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})


def env_bool(name: str, *, default: bool) -> bool:
    """The variable as a boolean; unset or empty gives ``default``, an unknown word stops."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use true or false "
        f"(also accepted: {', '.join(sorted((TRUE_WORDS | FALSE_WORDS) - {'true', 'false'}))})"
    )


def env_week_windows(name: str, *, default: str) -> dict[int, tuple[int, int]]:
    """``12=10-16,26=22-30`` as ``{12: (10, 16), 26: (22, 30)}``: each scheduled week with
    the first and last week of its window. Anything else stops, naming the variable."""
    raw = os.environ.get(name, "").strip() or default
    windows: dict[int, tuple[int, int]] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            week_text, span = part.split("=")
            opens_text, closes_text = span.split("-")
            week, opens, closes = int(week_text), int(opens_text), int(closes_text)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: write each window as week=first-last, e.g. 12=10-16,26=22-30"
            ) from None
        if not 0 < opens <= week <= closes:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: the window {opens}-{closes} must contain week {week}"
            )
        windows[week] = (opens, closes)
    return windows


def notify_template_ids(path: str) -> dict[str, str]:
    """The JSON file at ``path`` naming GOV.UK Notify template ids, as a dict; none when
    no file is named. A file that is missing or not such a JSON object stops."""
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as file:
            ids = json.load(file)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"NOTIFY_TEMPLATES_FILE={path!r}: {error}") from None
    if not isinstance(ids, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in ids.items()
    ):
        raise ImproperlyConfigured(
            f"NOTIFY_TEMPLATES_FILE={path!r}: must be a JSON object of names to template ids"
        )
    return ids
