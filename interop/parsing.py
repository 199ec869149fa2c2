"""Reading a FHIR body safely: size, nesting, string length and NUL bytes are checked
before any resource model sees it, so hostile input gets a 4xx OperationOutcome."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from interop.errors import FhirError
from socialrx.core.parsers import DepthLimitedJSONParser, loads_limited


def _check_strings(value: Any, limit: int) -> None:
    """Walk the parsed body (already depth-limited, so no recursion risk)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise FhirError("Text must not contain NUL characters", code="invalid")
            if len(item) > limit:
                raise FhirError(
                    f"A text value is {len(item):,} characters long; the limit is {limit:,}",
                    code="too-long",
                )


def parse_fhir_json(raw: bytes, encoding: str = "utf-8") -> Any:
    limit = settings.FHIR_MAX_BODY_BYTES
    if len(raw) > limit:
        raise FhirError(f"The body is larger than {limit:,} bytes", code="too-long", status=413)
    try:
        data = loads_limited(raw.decode(encoding), max_depth=settings.API_JSON_MAX_DEPTH)
    except ValueError as error:  # bad UTF-8, bad JSON or too deep
        raise FhirError(f"The body is not valid JSON: {error}", code="structure") from error
    _check_strings(data, settings.FHIR_MAX_STRING_LENGTH)
    return data


class FhirJSONParser(DepthLimitedJSONParser):
    """``application/fhir+json`` (and plain JSON) with the FHIR interface's limits."""

    media_type = "application/fhir+json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        # Read one byte past the limit: enough to know it is too big, without reading it all.
        raw = stream.read(settings.FHIR_MAX_BODY_BYTES + 1) if stream is not None else b""
        return parse_fhir_json(raw, encoding)


class PlainJSONAsFhirParser(FhirJSONParser):
    media_type = "application/json"
