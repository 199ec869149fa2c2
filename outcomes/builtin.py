"""The built-in measures as data. ``measures_sync_builtin`` loads them (migration 0002
holds a frozen copy of the first ones); an organisation's own measure is the same shape,
added in the admin.

Item wording is exactly as published (DOMAIN.md); do not paraphrase.
"""

from __future__ import annotations

from typing import Any

from outcomes import codes

SWEMWBS_COPYRIGHT = (
    "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
    "University of Warwick and University of Edinburgh, 2008, all rights reserved."
)
ONS_CITATION = "Source: Office for National Statistics (ONS) personal well-being questions."
# The three-item scale is Hughes et al.'s, not the ONS's: the ONS recommends it (with its
# direct question) for measuring loneliness, and asks that it be credited to its authors.
UCLA3_CITATION = (
    "Three-Item Loneliness Scale: Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT (2004). "
    "A short scale for measuring loneliness in large surveys. Research on Aging 26(6), "
    "655-672. Derived from the Revised UCLA Loneliness Scale; recommended by the Office "
    "for National Statistics (ONS) for measuring loneliness."
)

_SWEMWBS_ANSWERS = [
    [1, "None of the time"],
    [2, "Rarely"],
    [3, "Some of the time"],
    [4, "Often"],
    [5, "All of the time"],
]
_ONS4_ANSWERS = [[0, "0 Not at all"], *[[n, str(n)] for n in range(1, 10)], [10, "10 Completely"]]
_UCLA_ANSWERS = [[1, "Hardly ever or never"], [2, "Some of the time"], [3, "Often"]]
# Stored 1-5 in the published order; the answer is a category, not a score.
_LONELY_ANSWERS = [
    [1, "Often or always"],
    [2, "Some of the time"],
    [3, "Occasionally"],
    [4, "Hardly ever"],
    [5, "Never"],
]


def _items(answers: list[list[Any]], *texts: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"code": code, "text": text, "answers": answers} for code, text in texts]


BUILTIN_MEASURES: list[dict[str, Any]] = [
    {
        "code": codes.SWEMWBS,
        "name": "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        "short_name": "SWEMWBS",
        "scoring": codes.Scoring.SWEMWBS,
        "higher_is_better": True,
        "requires_licence": True,
        "notice": SWEMWBS_COPYRIGHT,
        "question": "Below are some statements about feelings and thoughts. Please tick the "
        "box that best describes your experience of each over the last 2 weeks.",
        "items": _items(
            _SWEMWBS_ANSWERS,
            ("optimistic", "I've been feeling optimistic about the future"),
            ("useful", "I've been feeling useful"),
            ("relaxed", "I've been feeling relaxed"),
            ("problems", "I've been dealing with problems well"),
            ("thinking", "I've been thinking clearly"),
            ("close", "I've been feeling close to other people"),
            ("own_mind", "I've been able to make up my own mind about things"),
        ),
    },
    {
        "code": codes.ONS4,
        "name": "ONS personal wellbeing (ONS4)",
        "short_name": "ONS4",
        "scoring": codes.Scoring.SEPARATE,
        "higher_is_better": True,
        "requires_licence": False,
        "notice": ONS_CITATION,
        "question": "Answer each question on a scale of 0 to 10, where 0 is 'not at all' "
        "and 10 is 'completely'.",
        "items": _items(
            _ONS4_ANSWERS,
            ("satisfied", "Overall, how satisfied are you with your life nowadays?"),
            (
                "worthwhile",
                "Overall, to what extent do you feel that the things you do in your life "
                "are worthwhile?",
            ),
            ("happy", "Overall, how happy did you feel yesterday?"),
            ("anxious", "Overall, how anxious did you feel yesterday?"),
        ),
    },
    {
        "code": codes.UCLA3,
        "name": "Three-Item Loneliness Scale (UCLA-3)",
        "short_name": "UCLA-3",
        "scoring": codes.Scoring.SUM,
        "higher_is_better": False,
        "requires_licence": False,
        "notice": UCLA3_CITATION,
        "question": "How often do you feel...",
        "items": _items(
            _UCLA_ANSWERS,
            ("companionship", "How often do you feel that you lack companionship?"),
            ("left_out", "How often do you feel left out?"),
            ("isolated", "How often do you feel isolated from others?"),
        ),
    },
    {
        "code": codes.ONS_LONELINESS,
        "name": "ONS direct loneliness question",
        "short_name": "Loneliness (direct)",
        "scoring": codes.Scoring.CATEGORY,
        # Answer 1 is "often or always": a higher code is less lonely.
        "higher_is_better": True,
        "requires_licence": False,
        "notice": ONS_CITATION,
        "question": "",
        "items": _items(_LONELY_ANSWERS, ("lonely", "How often do you feel lonely?")),
    },
]
