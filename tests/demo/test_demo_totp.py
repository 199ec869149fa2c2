"""The demo's second factor: one published authenticator secret, and a command for its code."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.seeds.core import DEMO_PASSWORD, DEMO_TOTP_SECRET
from socialrx.core.models import User
from tests.core.pages import SIGNED_IN_ONLY

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]


def test_the_demo_accounts_share_the_printed_secret_and_demo_totp_prints_the_code(settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert DEMO_TOTP_SECRET in output.getvalue()
    gp = User.objects.get(email="gp@northshire.example")
    code = StringIO()
    call_command("demo_totp", stdout=code, stderr=StringIO())

    client = Client()
    client.post(reverse("login"), {"login": gp.email, "password": DEMO_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code.getvalue().strip()})

    assert client.get(reverse(SIGNED_IN_ONLY)).status_code == 200
