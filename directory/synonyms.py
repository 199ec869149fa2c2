"""What people mean when they search: synonyms from one data file, and typo tolerance.

``expand`` turns each search word into the words to look for (the word itself, then
its synonyms from ``data/search_synonyms.txt``). ``correct`` finds, for a word that
matches nothing, the nearest word the directory knows: by pg_trgm similarity on
PostgreSQL (migration 0007 creates the extension where the database allows), else by
difflib's ratio. Both engines use the same vocabulary and the same threshold, so the
relevance set (tests/directory/test_search_relevance.py) means the same on each.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import connection

SYNONYMS_FILE = Path(__file__).parent / "data" / "search_synonyms.txt"
# Similar enough to be the word meant: "befreinding" is 0.5 from "befriending" by
# trigrams (0.82 by difflib); "money" and "honey" are 0.33 by trigrams.
TRIGRAM_THRESHOLD = 0.45
RATIO_THRESHOLD = 0.8
# Shorter words are not corrected: "tai" is not a typo of "tea".
MIN_CORRECTED_LENGTH = 5
WORD = re.compile(r"[a-z][a-z']+")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """word -> the other words it also finds, from the data file."""
    table: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(SYNONYMS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, arrow, rest = line.partition("->")
        others = tuple(w.strip().lower() for w in rest.split(",") if w.strip())
        if not arrow or not word.strip() or not others:
            raise ValueError(f"{SYNONYMS_FILE.name} line {number}: expected 'word -> a, b'")
        table[word.strip().lower()] = others
    return table


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def expand(word: str) -> tuple[str, ...]:
    """The word and what else it finds, the word first."""
    return (word, *synonyms().get(word.lower(), ()))


def vocabulary(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The words a search word may be corrected to: every word of the synonyms file,
    and ``extra`` (the taxonomy's term names, which the caller reads from its cache)."""
    known = set(synonyms())
    for others in synonyms().values():
        known.update(w for phrase in others for w in words(phrase))
    for phrase in extra:
        known.update(words(phrase))
    return tuple(sorted(w for w in known if len(w) >= 3))


def correct(word: str, known: tuple[str, ...]) -> str | None:
    """The known word nearest ``word`` if near enough, else None (also for a word that
    is itself known, or too short to correct)."""
    return correct_all([word.lower()], known).get(word.lower())


# Per database (alias and name): whether pg_trgm is installed there.
_TRIGRAM: dict[tuple[str, str], bool] = {}


def trigram_available() -> bool:
    """Whether pg_trgm is installed in this database (the migration could not create
    it where the database user may not): asked once per database per process."""
    key = (connection.alias, str(connection.settings_dict.get("NAME")))
    if key not in _TRIGRAM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _TRIGRAM[key] = cursor.fetchone() is not None
    return _TRIGRAM[key]


@dataclass(frozen=True)
class SearchPlan:
    """What to look for: one group a search word, each the word, any correction of it,
    and their synonyms. A service must match every group, any word within one."""

    groups: tuple[tuple[str, ...], ...]
    corrections: tuple[tuple[str, str], ...] = ()

    @property
    def expanded(self) -> bool:
        return any(len(group) > 1 for group in self.groups)

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for group in self.groups for v in group))


@lru_cache(maxsize=512)
def search_plan(text: str, term_names: tuple[str, ...] = (), limit: int = 8) -> SearchPlan:
    """The plan for ``text``: its words (at most ``limit``), corrected where a word is
    near a known one, each with its synonyms and its correction's. Kept per process for
    the same text and terms: one search page asks several times, and the answer depends
    on nothing else (the synonyms file, the term names, the threshold)."""
    typed = words(text)[:limit]
    known = vocabulary(term_names)
    fixes = correct_all(typed, known)
    groups = []
    for word in typed:
        fixed = fixes.get(word)
        variants = [*expand(word), *(expand(fixed) if fixed else ())]
        groups.append(tuple(dict.fromkeys(variants)))
    corrections = tuple((w, fixes[w]) for w in typed if w in fixes)
    return SearchPlan(groups=tuple(groups), corrections=corrections)


def correct_all(typed: list[str], known: tuple[str, ...]) -> dict[str, str]:
    """``correct`` for several words; on PostgreSQL in one query."""
    candidates = [w for w in dict.fromkeys(typed) if len(w) >= MIN_CORRECTED_LENGTH]
    candidates = [w for w in candidates if w not in set(known)]
    if not candidates or not known:
        return {}
    if connection.vendor == "postgresql" and trigram_available():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q, (SELECT w FROM unnest(%s::text[]) AS w "
                "WHERE similarity(w, q) >= %s ORDER BY similarity(w, q) DESC, w LIMIT 1) "
                "FROM unnest(%s::text[]) AS q",
                [list(known), TRIGRAM_THRESHOLD, candidates],
            )
            found = {q: w for q, w in cursor.fetchall() if w}
        # Trigrams miss transposed letters ("lonley" shares 3 of 11 with "lonely"):
        # those words get difflib's ratio, as on SQLite.
        candidates = [w for w in candidates if w not in found]
    else:
        found = {}
    for word in candidates:
        close = difflib.get_close_matches(word, known, n=1, cutoff=RATIO_THRESHOLD)
        if close:
            found[word] = close[0]
    return found
