"""The profile's JSON schemas, ready for jsonschema (vendored in ``oruk_3_0/``)."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker

PROFILE = Path(__file__).parent / "oruk_3_0"
EXAMPLES = PROFILE / "examples"


def _load(name: str) -> dict[str, Any]:
    return json.loads((PROFILE / name).read_text())


def _inline_refs(node: Any, resolve: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node and node["$ref"] in resolve:
            return resolve[node["$ref"]]
        return {k: _inline_refs(v, resolve) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, resolve) for v in node]
    return node


@cache
def validator(name: str) -> Draft7Validator:
    """``compiled/service.json``, ``taxonomy.json``, ... or ``Page``."""
    if name == "Page":
        schema = _load("openapi.json")["components"]["schemas"]["Page"]
        schema = schema | {"required": list(schema["properties"])}
    else:
        schema = _inline_refs(_load(name), {"taxonomy_term.json": _load("taxonomy_term.json")})
    return Draft7Validator(schema, format_checker=FormatChecker())


def assert_valid(name: str, document: Any) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def assert_page(document: dict[str, Any], item_schema: str) -> None:
    assert_valid("Page", document)
    for item in document["contents"]:
        assert_valid(item_schema, item)


def assert_no_nulls(node: Any, path: str = "") -> None:
    """The profile asks for empty optional fields to be left out, not sent as null."""
    if isinstance(node, dict):
        for key, value in node.items():
            assert value is not None, f"{path}.{key} is null"
            assert value not in ("", []), f"{path}.{key} is empty"
            assert_no_nulls(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            assert_no_nulls(value, f"{path}[{i}]")
