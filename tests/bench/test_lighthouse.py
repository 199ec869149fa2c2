"""Lighthouse's part of the bench without a browser: reading a report, and the table
written into docs/performance.md (bench/lighthouse.py)."""

from bench.lighthouse import END, START, figures, render_markdown, update_doc


def _lighthouse_report(*, lcp: float, cls: float, bytes_: float, errors: int) -> dict:
    """The parts of a Lighthouse 12 report (its JSON output) that the bench reads."""

    def audit(value: float, items: list | None = None) -> dict:
        return {"numericValue": value, "details": {"items": items or []}}

    return {
        "finalDisplayedUrl": "http://127.0.0.1:8765/cases/7/",
        "categories": {"performance": {"score": 0.97}},
        "audits": {
            "first-contentful-paint": audit(1012.4),
            "largest-contentful-paint": audit(lcp),
            "cumulative-layout-shift": audit(cls),
            "total-blocking-time": audit(40.2),
            "total-byte-weight": audit(bytes_),
            "network-requests": audit(0, [{"url": "a"}, {"url": "b"}, {"url": "c"}]),
            "render-blocking-resources": audit(
                0, [{"url": "http://127.0.0.1:8765/static/nhsuk.css", "wastedMs": 150}]
            ),
            "errors-in-console": audit(
                errors, [{"description": f"error {n}"} for n in range(errors)]
            ),
        },
    }


def test_figures_read_the_targets_and_what_explains_a_miss():
    report = _lighthouse_report(lcp=1433.6, cls=0.01234, bytes_=76_012.7, errors=1)

    assert figures(report) == {
        "final_url": "http://127.0.0.1:8765/cases/7/",
        "performance_score": 97,
        "fcp_ms": 1012,
        "lcp_ms": 1434,
        "cls": 0.012,
        "tbt_ms": 40,
        "bytes": 76013,
        "requests": 3,
        "render_blocking": ["http://127.0.0.1:8765/static/nhsuk.css"],
        "console_errors": ["error 0"],
    }


def _page(name: str, lcp: int, met: dict[str, bool]) -> dict:
    return {
        "page": name,
        "performance_score": 95,
        "fcp_ms": 1000,
        "lcp_ms": lcp,
        "cls_max": 0.0,
        "bytes": 70_400,
        "requests": 8,
        "render_blocking": ["x.css"],
        "console_errors": [],
        "met": met,
    }


def _report(pages: list[dict]) -> dict:
    method = {
        "lighthouse": "12.8.2",
        "browser": "Chromium 156",
        "profile": "mobile",
        "server": "gunicorn",
        "database": "sx",
        "runs": 3,
        "statistic": "median",
        "load_average_at_start": [1.0, 1.0, 1.0],
        "load_average_at_end": [2.0, 2.0, 2.0],
    }
    return {"date": "2026-12-02T12:00:00+00:00", "method": method, "pages": pages}


def test_the_table_names_each_missed_target():
    met = {"lcp_ms": True, "cls": True, "bytes": True, "console_errors": True}
    table = render_markdown(
        _report([_page("sign-in", 1200, met), _page("caseload", 1700, met | {"lcp_ms": False})])
    )

    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert rows[2] == "| sign-in | 95 | 1,000 | 1,200 | 0.000 | 70.4 | 8 | 1 | 0 | met |"
    assert rows[3].endswith("| 1,700 | 0.000 | 70.4 | 8 | 1 | 0 | **missed** (lcp_ms) |")


def test_the_table_goes_between_its_markers_and_nowhere_else(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\n{START}\nold table\n{END}\n\n## Reproduce\n")
    met = {"lcp_ms": True, "cls": True, "bytes": True, "console_errors": True}

    assert update_doc(_report([_page("sign-in", 1200, met)]), doc)

    text = doc.read_text()
    assert "old table" not in text
    assert text.startswith(f"# Performance\n\n{START}\nRun of 2026-12-02")
    assert text.endswith(f"| met |\n{END}\n\n## Reproduce\n")
    assert not update_doc(_report([]), tmp_path / "missing.md")
