"""Models for the outcomes app."""
