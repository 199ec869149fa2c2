"""Every failure of the FHIR interface is an OperationOutcome with a 4xx status."""

from __future__ import annotations

from typing import Any


class FhirError(Exception):
    """Becomes an OperationOutcome. ``code`` is a FHIR issue-type code
    (hl7.org/fhir/R4/valueset-issue-type.html)."""

    def __init__(self, message: str, *, code: str = "invalid", status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def operation_outcome(message: str, code: str = "invalid", severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }


def expect_object(value: Any, where: str) -> dict[str, Any]:
    """``value`` if it is a JSON object; a clear 400 otherwise (not an AttributeError)."""
    if not isinstance(value, dict):
        raise FhirError(f"{where} must be a JSON object", code="structure")
    return value


def expect_list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FhirError(f"{where} must be a JSON array", code="structure")
    return value
