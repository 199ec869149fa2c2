"""HTML views, one module per part of the work (``connections.py`` belongs to the
connections work)."""
