"""Connection workflows: ``lifecycle`` (every status change), ``search`` (services that
meet a need), ``reminders`` (the clock: nudges and "no response") and ``emails``."""
