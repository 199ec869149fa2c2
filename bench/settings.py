"""The bench's settings (bench/run.sh sets ``DJANGO_SETTINGS_MODULE=bench.settings``):
production settings from the environment, as a live site reads them, plus the two
things only the bench has: its URLconf with the bare yardstick view, and the demo app
whose ``generate_synthetic`` fills the bench's database.

Everything else stays as ``socialrx.settings`` reads it, so what is measured is what
production runs.
"""

from socialrx.settings import *  # noqa: F403
from socialrx.settings import INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
if "demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
