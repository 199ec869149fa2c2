"""FHIR endpoints for GP systems: POST a ServiceRequest, then poll it for the outcome.

Every failure, including sign-in and permission failures, is a FHIR OperationOutcome, so a
GP system needs one error parser for this API.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from interop.fhir import (
    FhirError,
    operation_outcome,
    referral_input_from_fhir,
    service_request_for,
)
from referrals.permissions import REFERRAL_ROLES, practice_by_ods_code, referral_by_uuid_for
from referrals.services import IdempotencyConflict, referral_submit
from socialrx.core.audit import audit_views
from socialrx.core.models import Role
from socialrx.core.permissions import has_role

ISSUE_CODE_FOR_STATUS = {401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported"}


class FhirJSONParser(JSONParser):
    media_type = "application/fhir+json"


class FhirJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FhirView(APIView):
    parser_classes = [FhirJSONParser, JSONParser]
    renderer_classes = [FhirJSONRenderer, JSONRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, FhirError):
            return Response(operation_outcome(str(exc), exc.code), status=exc.status)
        if isinstance(exc, exceptions.ParseError):
            return Response(
                operation_outcome("The body is not valid JSON", "structure"), status=400
            )
        response = super().handle_exception(exc)
        message = response.data.get("message", "") if isinstance(response.data, dict) else ""
        code = ISSUE_CODE_FOR_STATUS.get(response.status_code, "processing")
        response.data = operation_outcome(message or "The request failed", code)
        return response

    def base_url(self) -> str:
        return self.request.build_absolute_uri("/fhir").rstrip("/")


class ServiceRequestCreateApi(FhirView):
    permission_classes = [has_role(Role.REFERRER)]

    @extend_schema(request=None, responses=None)
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise FhirError("Send a FHIR resource as a JSON object", code="structure")
        data, key = referral_input_from_fhir(request.data, practice_lookup=practice_by_ods_code)
        user = request.user
        try:
            result = referral_submit(
                data=data,
                referrer=user,  # type: ignore[arg-type]
                organisation=user.organisations_with_role(Role.REFERRER)[0],  # type: ignore[union-attr]
                idempotency_key=key,
            )
        except IdempotencyConflict as conflict:
            raise FhirError(str(conflict), code="duplicate", status=409) from conflict
        except ValidationError as error:
            raise FhirError(" ".join(error.messages), code="business-rule", status=422) from error
        if not result.created:
            # A replay returns the stored referral and its person: a view of both.
            audit_views(request=request, objs=[result.referral, result.referral.person])
        body = service_request_for(result.referral, self.base_url())
        return Response(
            body,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
            headers={"Location": f"{self.base_url()}/ServiceRequest/{result.referral.uuid}"},
        )


class ServiceRequestReadApi(FhirView):
    permission_classes = [has_role(*REFERRAL_ROLES)]

    @extend_schema(responses=None)
    def get(self, request: Request, referral_id: Any) -> Response:
        referral = referral_by_uuid_for(request.user, referral_id)  # type: ignore[arg-type]
        # The resource carries the person (a contained Patient): both are viewed.
        audit_views(request=request, objs=[referral, referral.person])
        return Response(service_request_for(referral, self.base_url()))
