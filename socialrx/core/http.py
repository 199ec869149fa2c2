"""Request types for views behind sign-in, so type checkers know ``request.user`` is a
``User`` (django-stubs types it as ``User | AnonymousUser``)."""

from django.http import HttpRequest

from socialrx.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
