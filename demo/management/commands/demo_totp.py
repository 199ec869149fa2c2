"""Prints the authenticator-app code the demo accounts accept right now."""

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seeds.core import DEMO_TOTP_SECRET
from socialrx.core.signin import totp_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo accounts (seed_demo's secret)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_totp is for the local demo only (DJANGO_DEBUG=true).")
        period = mfa_settings.TOTP_PERIOD
        seconds_left = period - int(time.time()) % period
        self.stdout.write(totp_code(DEMO_TOTP_SECRET))
        self.stderr.write(f"(good for {seconds_left} more seconds; each code works once)")
