"""Finishing touches on the OpenAPI description at /api/schema/ (drf-spectacular).

Every operation of our JSON API can answer with the one error shape
(``socialrx.core.api.exception_handler``), but views declare only their successes; this
hook documents the errors every operation can give, once, so no view can forget them:
401 (no or bad token) and 403 (role) everywhere, 404 where the path names a record, 400
where a body is sent. The FHIR paths answer with FHIR's OperationOutcome and are left to
their own declarations.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "ErrorOut"
ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the API.",
    "properties": {
        "message": {"type": "string", "description": "What went wrong, for a person."},
        "extra": {
            "type": "object",
            "additionalProperties": {},
            "description": "Details: invalid fields under 'fields', retry_after_seconds...",
        },
    },
    "required": ["message", "extra"],
}
ERRORS = {
    "400": "The request was not valid: see extra.fields.",
    "401": "No API token or session, or the token is unknown, expired or revoked.",
    "403": "Your role does not allow this.",
    "404": "No such record, or not one you may see.",
}
BODY_METHODS = {"post", "put", "patch"}


def _codes_for(path: str, method: str) -> list[str]:
    codes = ["401", "403"]
    if "{" in path:
        codes.append("404")
    if method in BODY_METHODS:
        codes.append("400")
    return codes


def _drop_invalid_blank_defaults(node: Any) -> None:
    """An optional email or URL field defaults to "" (not given), which is not a valid
    email: a strict validator rejects the schema. The default says nothing a client
    needs, so it is dropped there."""
    if isinstance(node, dict):
        if node.get("default") == "" and "format" in node:
            del node["default"]
        for value in node.values():
            _drop_invalid_blank_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _drop_invalid_blank_defaults(value)


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_COMPONENT] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _codes_for(path, method):
                responses.setdefault(code, {"description": ERRORS[code], "content": error})
    _drop_invalid_blank_defaults(result)
    return result
