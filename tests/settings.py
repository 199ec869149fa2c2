"""Settings for the test suite (pytest and mypy): the project's, with DJANGO_DEBUG on.

socialrx.settings defaults to production, which refuses SQLite and the development
secret key; the suite runs on both, so it turns debug on explicitly, as `make run` does.
Tests that need production settings start ``manage.py`` in a process of their own
(tests/core/test_settings.py).
"""

import os

os.environ["DJANGO_DEBUG"] = "true"

from socialrx.settings import *  # noqa: E402, F403

# pytest-django runs requests with DEBUG off, so WhiteNoise would look for collected
# static files at start; find them on request instead, as the development server does.
WHITENOISE_AUTOREFRESH = True

# Tests never call the internet: the breached-password check is off and points at nothing;
# tests/core/test_passwords.py turns it on against a local fake of the API.
PWNED_PASSWORDS_ENABLED = False
PWNED_PASSWORDS_URL = "http://127.0.0.1:9"
