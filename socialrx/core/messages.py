"""Message templates for the people referred, in each language we have them in.

The words live in ``templates/messages/<language>.toml`` (``NOTIFICATION_MESSAGES_DIR``),
one file a language, written in GOV.UK Notify's template syntax so that the same text
is pasted into Notify and rendered here for the SMTP backend. English (``en``) is the
source and the fallback: a person whose language has no file, or only one no qualified
translator has reviewed yet (``reviewed = false``; allowed where
``NOTIFICATION_UNREVIEWED_TRANSLATIONS`` is on), gets English with the ``interpreter``
field "yes", which shows the line saying an interpreter will call.

Core names no app: the apps pick a message key and fill the fields.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ENGLISH = "en"

# What a person's recorded language (free text: "Polish, interpreter needed") is called
# in our files: the words that name each language, lower case, in English and in itself.
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("english",),
    "pl": ("polish", "polski"),
    "ur": ("urdu", "اردو"),
}

_FIELD = re.compile(r"\(\(([a-z_]+)(\?\?(.*?))?\)\)", re.DOTALL)


class MessageError(ValueError):
    """A template asked for a field it was not given, or does not exist."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str


@dataclass(frozen=True)
class Choice:
    """The language a person is written to in, and whether an interpreter will call."""

    language: str
    interpreter: bool


@functools.cache
def _catalogue(directory: str, language: str) -> dict[str, dict[str, str]]:
    path = Path(directory) / f"{language}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as file:
        return tomllib.load(file)


def catalogue(language: str) -> dict[str, dict[str, str]]:
    """Every message of ``language`` (and its ``meta``); empty when we have none."""
    return _catalogue(str(settings.NOTIFICATION_MESSAGES_DIR), language)


def languages() -> list[str]:
    return sorted(p.stem for p in Path(settings.NOTIFICATION_MESSAGES_DIR).glob("*.toml"))


def language_for(recorded: str) -> Choice:
    """The language to write in, from what was recorded about the person. Nothing
    recorded, or English, is English; a language we have a file for is that; any other
    is English with an interpreter to call."""
    words = set(re.findall(r"\w+", (recorded or "").lower()))
    if not words:
        return Choice(ENGLISH, interpreter=False)
    for code, names in LANGUAGE_WORDS.items():
        if words & set(names) and usable(code):
            return Choice(code, interpreter=False)
    return Choice(ENGLISH, interpreter=True)


def usable(language: str) -> bool:
    """Whether we write in ``language``: we have its file and a qualified translator has
    reviewed it, or the deployment allows unreviewed drafts (the demo and tests do).
    Writing to someone in words nobody qualified has checked risks telling them the
    wrong thing about their care; English with an interpreter's call does not."""
    table = catalogue(language)
    if not table:
        return False
    reviewed = language == ENGLISH or table.get("meta", {}).get("reviewed") is True
    return reviewed or bool(settings.NOTIFICATION_UNREVIEWED_TRANSLATIONS)


def message(key: str, language: str) -> Message:
    table = catalogue(language).get(key)
    if table is None:
        raise MessageError(f"No message {key!r} in language {language!r}")
    return Message(subject=table["subject"], body=table["body"].strip(), sms=table["sms"])


def fill(text: str, personalisation: dict[str, str]) -> str:
    """``text`` with Notify's fields filled: ``((name))`` is the value, and
    ``((name??words))`` the words when the value is "yes" (else nothing). A missing
    field is an error, as Notify answers "Missing personalisation"."""

    def one(match: re.Match[str]) -> str:
        name, conditional, words = match.group(1), match.group(2), match.group(3)
        if name not in personalisation:
            raise MessageError(f"Missing personalisation: {name}")
        value = str(personalisation[name])
        if conditional:
            return words if value.lower() in ("yes", "true") else ""
        return value

    filled = _FIELD.sub(one, text)
    # A conditional line that came out empty leaves no blank line behind.
    return re.sub(r"\n{3,}", "\n\n", filled).strip()
