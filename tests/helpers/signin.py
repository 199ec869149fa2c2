"""Signing in through the real forms: the password, then a real TOTP code (tests of
sign-in itself; other tests use ``client.force_login``, see tests/conftest.py)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from socialrx.core.models import User
from socialrx.core.signin import totp_code, totp_enrol
from tests.core.pages import SIGNED_IN_ONLY
from tests.factories import TEST_PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def sign_in(client: Client, user: User, password: str = TEST_PASSWORD, **extra: str):
    return client.post(reverse("login"), {"login": user.email, "password": password, **extra})


def enter_code(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def signed_in_with_code(user: User) -> Client:
    client = Client()
    if not Authenticator.objects.filter(user=user).exists():
        totp_enrol(user, SECRET)
    sign_in(client, user)
    # Each code works once; later steps in the same test use the next period's code.
    enter_code(client, totp_code(SECRET))
    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
    return client
