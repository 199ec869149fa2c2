"""The information governance pages: retention runs, rights requests, subject access.

For the information governance role and system administrators only.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from socialrx.core.data_protection.forms import RightsRequestForm, SubjectAccessForm
from socialrx.core.data_protection.pdf import subject_access_pdf
from socialrx.core.data_protection.registry import retention_days, retention_rules
from socialrx.core.data_protection.selectors import recent_retention_runs, recent_rights_requests
from socialrx.core.data_protection.services import rights_request_record, subject_access_export
from socialrx.core.models import User
from socialrx.core.permissions import GOVERNANCE_ROLES, role_required

RECENT = 20  # runs and requests listed; older ones stay in the admin


@role_required(*GOVERNANCE_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    schedule = [
        {"rule": rule, "days": retention_days(rule.schedule_key)} for rule in retention_rules()
    ]
    return render(
        request,
        "core/data_protection/overview.html",
        {
            "schedule": schedule,
            "runs": recent_retention_runs(RECENT),
            "requests": recent_rights_requests(RECENT),
        },
    )


@role_required(*GOVERNANCE_ROLES)
def rights_request_new(request: HttpRequest) -> HttpResponse:
    form = RightsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor: User = request.user  # type: ignore[assignment]
        rights_request_record(
            person_id=form.cleaned_data["person_id"],
            actor=actor,
            request=request,
            **{k: form.cleaned_data[k] for k in form.Meta.fields},
        )
        messages.success(request, "Request recorded")
        return redirect("data_protection")
    return render(request, "core/data_protection/request_new.html", {"form": form})


@never_cache  # the download is a person's whole record: no copy in any cache
@role_required(*GOVERNANCE_ROLES)
def subject_access(request: HttpRequest) -> HttpResponse:
    form = SubjectAccessForm(request.GET if "person_id" in request.GET else None)
    if not form.is_valid():
        return render(request, "core/data_protection/subject_access.html", {"form": form})
    person_id = form.cleaned_data["person_id"]
    actor: User = request.user  # type: ignore[assignment]
    export = subject_access_export(person_id=person_id, actor=actor, request=request)
    if export is None:
        raise Http404("No person with that record number")
    name = f"subject-access-{person_id}"
    if form.cleaned_data["format"] == "json":
        body = json.dumps(export, cls=DjangoJSONEncoder, indent=2).encode()
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    else:
        response = HttpResponse(subject_access_pdf(export), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
