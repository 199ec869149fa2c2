"""The CapabilityStatement at /fhir/metadata: only what this server really does.

Kept beside the views' search parameter lists (``interop.search``) so that a parameter
added there and not here fails ``tests/interop/test_capability.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from interop import search
from interop.permissions import SCOPES

UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"
PARAM_TYPES = {
    "identifier": "token",
    "patient.identifier": "token",
    "requester": "reference",
    "status": "token",
    "focus": "reference",
    "owner": "reference",
    "practice": "reference",
    "_lastUpdated": "date",
}
PARAM_DOCS = {
    "identifier": "The sender's identifier (system|value), or our reference SRX-000123",
    "patient.identifier": "NHS number: https://fhir.nhs.uk/Id/nhs-number|9990000018",
    "requester": "Requesting organisation by ODS code",
    "status": "Status in this resource's value set; comma-separated for any of several",
    "focus": "ServiceRequest/<id>",
    "owner": "The link worker service or team by ODS code",
    "practice": "The registered practice by ODS code",
    "_lastUpdated": "Changed since (gt2026-01-05T10:00:00Z); poll with the time of your last poll",
}


def _params(names: frozenset[str]) -> list[dict[str, str]]:
    return [
        {"name": n, "type": PARAM_TYPES[n], "documentation": PARAM_DOCS[n]}
        for n in sorted(names | {"_lastUpdated"})
    ]


def _resource(kind: str, profile: str, interactions: list[str], params: frozenset[str]) -> dict:
    resource: dict[str, Any] = {
        "type": kind,
        "interaction": [{"code": i} for i in interactions],
        "searchParam": _params(params),
    }
    if profile:
        resource["profile"] = profile
    return resource


def capability_statement(base_url: str) -> dict[str, Any]:
    token_url = base_url.removesuffix("/fhir") + "/oauth/token/"
    service_request = _resource(
        "ServiceRequest",
        UK_CORE + "UKCore-ServiceRequest",
        ["create", "read", "search-type", "update", "patch"],
        search.SERVICE_REQUEST,
    )
    service_request["conditionalCreate"] = True
    service_request["documentation"] = (
        "create: a ServiceRequest (Patient contained, or subject by NHS number identifier or "
        "Patient/<id> for a person already known), or a transaction or collection Bundle "
        "holding one. Consent optional. update/patch: only status 'revoked' (withdrawal)."
    )
    task = _resource("Task", UK_CORE + "UKCore-Task", ["read", "search-type", "patch"], search.TASK)
    task["documentation"] = "The status that follows each referral; patch: only 'cancelled'."
    bundle = _resource("Bundle", "", ["read", "search-type"], search.MESSAGE)
    bundle["documentation"] = "Messages back to the registered practice: document Bundles."
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-02",
        "publisher": settings.SERVICE_NAME,
        "kind": "instance",
        "implementation": {
            "description": "socialrx FHIR interface for GP systems",
            "url": base_url,
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    # SMART's extension naming the token endpoint: FHIR clients read it.
                    "extension": [
                        {
                            "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/"
                            "oauth-uris",
                            "extension": [{"url": "token", "valueUri": token_url}],
                        }
                    ],
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "restful-security-service",
                                    "code": "OAuth",
                                }
                            ]
                        }
                    ],
                    "description": (
                        "Authorization: Bearer. System clients: OAuth 2.0 client credentials "
                        f"at {token_url} with scopes "
                        + ", ".join(sorted(SCOPES))
                        + ". People: their API token."
                    ),
                },
                "resource": [service_request, task, bundle],
            }
        ],
    }
