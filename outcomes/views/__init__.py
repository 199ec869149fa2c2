"""Thin views: permission check, a scoped queryset or a service, render."""
