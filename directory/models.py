"""Models for the directory app."""
