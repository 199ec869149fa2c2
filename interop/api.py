"""The FHIR R4 endpoints GP systems call: metadata, ServiceRequest, Task and the message
back as a document Bundle.

Every failure, sign-in and permission failures included, is an OperationOutcome with a 4xx
status, so a GP system needs one error parser for this API. Views translate and call the
referrals services; every read is audited and scoped to the caller (``permissions``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from interop import search
from interop.capability import capability_statement
from interop.errors import FhirError, expect_object, operation_outcome
from interop.intake import intake_from_fhir
from interop.parsing import FhirJSONParser, PlainJSONAsFhirParser
from interop.permissions import (
    SystemClientAuthentication,
    caller_for,
    message_for,
    messages_for,
    person_to_refer,
    referral_for,
    referrals_for,
)
from interop.resources import searchset, service_request_for, task_for
from referrals.permissions import REFERRAL_ROLES, practice_by_ods_code
from referrals.services import IdempotencyConflict, referral_submit, referral_withdraw
from socialrx.core.audit import audit_views
from socialrx.core.models import Role
from socialrx.core.permissions import has_role

ISSUE_CODE_FOR_STATUS = {
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    415: "not-supported",
    429: "throttled",
}
FORMATS = {"json", "application/json", "application/fhir+json", "fhir+json"}


class FhirJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FhirView(APIView):
    # OAuth 2.0 client credentials first, then whatever the project authenticates people's
    # API tokens with (Bearer or Token): the FHIR face does no token handling of its own.
    authentication_classes = [
        SystemClientAuthentication,
        *api_settings.DEFAULT_AUTHENTICATION_CLASSES,  # type: ignore[list-item]
    ]
    parser_classes = [FhirJSONParser, PlainJSONAsFhirParser]
    renderer_classes = [FhirJSONRenderer, JSONRenderer]
    permission_classes = [has_role(*REFERRAL_ROLES)]
    # Described by its CapabilityStatement (/fhir/metadata), the FHIR way, not by OpenAPI.
    schema = None

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        wanted = request.query_params.get("_format")
        if wanted is None:
            return super().perform_content_negotiation(request, force=force)
        if wanted not in FORMATS and not force:
            raise FhirError(
                f"_format {wanted!r} is not served: use json", code="not-supported", status=406
            )
        renderer = self.renderer_classes[0]()
        return renderer, renderer.media_type

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, FhirError):
            return Response(operation_outcome(str(exc), exc.code), status=exc.status)
        if isinstance(exc, exceptions.ParseError):
            return Response(
                operation_outcome(f"The body is not valid JSON: {exc}", "structure"), status=400
            )
        if isinstance(exc, Http404):
            exc = exceptions.NotFound(str(exc) or "Not found")
        if isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied(str(exc))
        response = super().handle_exception(exc)
        message = response.data.get("message", "") if isinstance(response.data, dict) else ""
        code = ISSUE_CODE_FOR_STATUS.get(response.status_code, "processing")
        response.data = operation_outcome(message or "The request failed", code)
        return response

    def base_url(self) -> str:
        return self.request.build_absolute_uri("/fhir").rstrip("/")


class MetadataApi(FhirView):
    """The CapabilityStatement: what this server really supports. Open to all, as FHIR asks."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses=None)
    def get(self, request: Request) -> Response:
        return Response(capability_statement(self.base_url()))


def _submit(request: Request, body: Any) -> Response:
    caller = caller_for(request)
    caller.require("servicerequest.write")
    if not request.user.has_role(Role.REFERRER):  # type: ignore[union-attr]
        raise FhirError("Only a referrer may send referrals", code="forbidden", status=403)
    intake = intake_from_fhir(
        body,
        practice_lookup=practice_by_ods_code,
        person_lookup=lambda **key: person_to_refer(caller, **key),
    )
    base = request.build_absolute_uri("/fhir").rstrip("/")
    condition = request.headers.get("If-None-Exist")
    if condition is not None:
        existing = search.referrals_matching(
            referrals_for(caller), search.parse_query_string(condition, search.SERVICE_REQUEST)
        )
        found = list(existing[:2])
        if len(found) > 1:
            raise FhirError(
                "If-None-Exist matches more than one referral", code="duplicate", status=412
            )
        if found:
            audit_views(request=request, objs=[found[0], found[0].person])
            return Response(service_request_for(found[0], base), status=status.HTTP_200_OK)
    key = f"fhir:{intake.sender_system}|{intake.sender_value}"[:100] if intake.sender_value else ""
    try:
        result = referral_submit(
            data=intake.data,
            referrer=request.user,  # type: ignore[arg-type]
            organisation=caller.referring_organisation,
            idempotency_key=key,
            person=intake.known_person,
        )
    except IdempotencyConflict as conflict:
        raise FhirError(str(conflict), code="duplicate", status=409) from conflict
    except ValidationError as error:
        raise FhirError(" ".join(error.messages), code="business-rule", status=422) from error
    if not result.created:
        # A replay returns the stored referral and its person: a view of both.
        audit_views(request=request, objs=[result.referral, result.referral.person])
    return Response(
        service_request_for(result.referral, base),
        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        headers={"Location": f"{base}/ServiceRequest/{result.referral.uuid}"},
    )


def _search_response(
    request: Request, view: FhirView, found: QuerySet[Any], render: Any
) -> Response:
    count = search.page_size(request.query_params)
    total = found.count()
    page = list(found[:count])
    audit_views(request=request, objs=[o for r in page for o in (r, r.person)])
    return Response(
        searchset(
            [render(r) for r in page],
            base_url=view.base_url(),
            self_url=request.build_absolute_uri(),
            total=total,
        )
    )


def _detailed(referrals: Any) -> Any:
    return referrals.select_related(
        "person", "triage_service", "assigned_team", "referring_organisation", "referrer"
    ).prefetch_related("reasons", "events", "practice_messages")


class ServiceRequestCollectionApi(FhirView):
    @extend_schema(request=None, responses=None)
    def post(self, request: Request) -> Response:
        return _submit(request, request.data)

    @extend_schema(responses=None)
    def get(self, request: Request) -> Response:
        caller = caller_for(request)
        caller.require("servicerequest.read")
        query = search.parse_params(request.query_params, search.SERVICE_REQUEST)
        found = _detailed(search.referrals_matching(referrals_for(caller), query))
        base = self.base_url()
        return _search_response(request, self, found, lambda r: service_request_for(r, base))


def _withdraw(request: Request, referral_id: Any, *, status_word: str) -> Any:
    """Withdraw the referral if the body asks for ``status_word`` (``revoked`` on a
    ServiceRequest, ``cancelled`` on a Task), through the referrals service; the
    referral, re-read, is returned."""
    caller = caller_for(request)
    referral = referral_for(caller, referral_id)
    body = expect_object(request.data, "The body")
    if body.get("status") != status_word:
        raise FhirError(
            f"Only withdrawal is supported: set status to '{status_word}'",
            code="not-supported",
            status=422,
        )
    caller.require("servicerequest.write")
    try:
        referral_withdraw(
            referral=referral, actor=caller.user, reason="Withdrawn by the GP system."
        )
    except PermissionDenied as error:
        raise FhirError(str(error), code="forbidden", status=403) from error
    except ValidationError as error:
        now = referral.get_status_display().lower()
        raise FhirError(
            f"This referral can no longer be withdrawn: it is {now}. "
            "Contact the social prescribing service.",
            code="business-rule",
            status=422,
        ) from error
    referral.refresh_from_db()
    return referral


class ServiceRequestItemApi(FhirView):
    @extend_schema(responses=None)
    def get(self, request: Request, referral_id: Any) -> Response:
        caller = caller_for(request)
        caller.require("servicerequest.read")
        referral = referral_for(caller, referral_id)
        # The resource carries the person (a contained Patient): both are viewed.
        audit_views(request=request, objs=[referral, referral.person])
        return Response(service_request_for(referral, self.base_url()))

    @extend_schema(request=None, responses=None)
    def put(self, request: Request, referral_id: Any) -> Response:
        referral = _withdraw(request, referral_id, status_word="revoked")
        return Response(service_request_for(referral, self.base_url()))

    @extend_schema(request=None, responses=None)
    def patch(self, request: Request, referral_id: Any) -> Response:
        return self.put(request, referral_id)


class TaskCollectionApi(FhirView):
    @extend_schema(responses=None)
    def get(self, request: Request) -> Response:
        caller = caller_for(request)
        caller.require("task.read")
        query = search.parse_params(request.query_params, search.TASK)
        found = _detailed(search.referrals_matching(referrals_for(caller), query, resource="Task"))
        base = self.base_url()
        return _search_response(
            request, self, found, lambda r: task_for(r, base, list(r.practice_messages.all()))
        )


class TaskItemApi(FhirView):
    @extend_schema(responses=None)
    def get(self, request: Request, referral_id: Any) -> Response:
        caller = caller_for(request)
        caller.require("task.read")
        referral = referral_for(caller, referral_id)
        audit_views(request=request, objs=[referral, referral.person])
        return Response(task_for(referral, self.base_url(), list(referral.practice_messages.all())))

    @extend_schema(request=None, responses=None)
    def patch(self, request: Request, referral_id: Any) -> Response:
        referral = _withdraw(request, referral_id, status_word="cancelled")
        return Response(task_for(referral, self.base_url(), list(referral.practice_messages.all())))


class BundleCollectionApi(FhirView):
    """Messages back to the caller's practice, as FHIR document Bundles, searchable."""

    permission_classes = [has_role(*Role.values)]

    @extend_schema(responses=None)
    def get(self, request: Request) -> Response:
        caller = caller_for(request)
        caller.require("message.read")
        query = search.parse_params(request.query_params, search.MESSAGE)
        found = search.messages_matching(messages_for(caller), query).select_related(
            "referral__person"
        )
        count = search.page_size(request.query_params)
        page = list(found[:count])
        audit_views(request=request, objs=[o for m in page for o in (m, m.referral.person)])
        return Response(
            searchset(
                [m.document for m in page],
                base_url=self.base_url(),
                self_url=request.build_absolute_uri(),
                total=found.count(),
            )
        )


class BundleItemApi(FhirView):
    permission_classes = [has_role(*Role.values)]

    @extend_schema(responses=None)
    def get(self, request: Request, message_id: Any) -> Response:
        caller = caller_for(request)
        caller.require("message.read")
        message = message_for(caller, message_id)
        audit_views(request=request, objs=[message, message.referral.person])
        return Response(message.document)
