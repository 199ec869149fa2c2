"""Outcomes workflows, each one keyword-only function in one transaction."""
