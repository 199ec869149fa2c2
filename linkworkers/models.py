"""Models for the linkworkers app."""
