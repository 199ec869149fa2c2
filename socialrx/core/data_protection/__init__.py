"""Data protection: the retention schedule, erasure and restriction requests, and the
subject access export. Core owns the tables and the runs; each app says what it holds
through the registry in ``registry.py`` (core imports no app)."""
