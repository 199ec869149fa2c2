"""``make bench-budget``: Python instructions per request, counted by callgrind (ADR 0027)."""
