"""One error shape for the whole API: ``{"message": str, "extra": {...}}``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "message": "The request was not valid.",
            "extra": {"fields": response.data},
        }
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        extra = {}
        if isinstance(exc, exceptions.Throttled):
            extra["retry_after_seconds"] = exc.wait  # type: ignore[attr-defined]
        response.data = {"message": str(detail) or "The request failed.", "extra": extra}
    return response


class ErrorOut(serializers.Serializer):
    """The one error shape, for views that name an error response. Every operation's
    401/403/404/400 is documented by ``socialrx.core.api_schema``, which also gives this
    component its descriptions."""

    message = serializers.CharField()
    extra = serializers.DictField()


class MembershipOut(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    organisation_type = serializers.CharField(source="organisation.org_type")
    role = serializers.CharField()
    target_caseload = serializers.IntegerField(source="effective_target_caseload", allow_null=True)


class MeOut(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    memberships = MembershipOut(many=True, source="active_memberships")


class MeApi(APIView):
    """Who the caller is and which roles they hold: how a connected system checks its token."""

    @extend_schema(responses=MeOut)
    def get(self, request: Request) -> Response:
        return Response(MeOut(request.user).data)
