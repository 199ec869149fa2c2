"""Development-only demo seeders, synthetic generators and their data files (demo/data/).

Never installed in production: settings add it to INSTALLED_APPS only when
``SOCIALRX_DEMO`` is on, which it is by default only with ``DJANGO_DEBUG``.
"""
