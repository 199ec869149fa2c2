"""JSON parsing that refuses hostile shapes with a 400 instead of crashing with a 500.

Python's json module recurses once per level of nesting, so a body nested a few thousand
levels deep raises ``RecursionError``, which DRF's parser does not catch. The nesting is
measured before parsing, at C speed (a regex pass, then a running sum), so a 1 MB body costs
milliseconds.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A JSON string literal, escapes included: brackets inside strings do not nest anything.
# An unterminated string runs to the end of the text (a lone backslash last included), so
# the pattern matches at every quote and never backtracks. Requiring the closing quote made
# a body of `"\` repeated quadratic: each quote rescanned to the end, and 1 MB took hours
# of CPU in one request. Such a body is not JSON; json.loads refuses it after the scan.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text`` (0 for a bare scalar)."""
    brackets = _BRACKET.findall(_STRING.sub("", text))
    return max(itertools.accumulate(_STEP[b] for b in brackets), default=0)


def loads_limited(text: str, *, max_depth: int) -> Any:
    """``json.loads`` that raises ``ValueError`` (never ``RecursionError``) on deep nesting."""
    depth = json_depth(text)
    if depth > max_depth:
        raise ValueError(f"JSON is nested {depth} levels deep; the limit is {max_depth}")
    try:
        return json.loads(text)
    except RecursionError as error:  # belt and braces: the scan above should prevent it
        raise ValueError("JSON is nested too deeply") from error


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser with a nesting limit (``API_JSON_MAX_DEPTH``): the project default."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return loads_limited(text, max_depth=settings.API_JSON_MAX_DEPTH)
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ParseError(f"JSON parse error - {error}") from error
