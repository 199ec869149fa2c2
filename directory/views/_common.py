"""Helpers every directory view module uses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from socialrx.core.models import Role

EDITOR_ROLES = (Role.VCSE_EDITOR, Role.DIRECTORY_ADMIN)


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to ``next`` if it is on this site, else to ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = default
    return redirect(target)
