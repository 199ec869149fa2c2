"""The benchmark behind ``make bench`` (docs/performance.md, docs/adr/0016)."""
