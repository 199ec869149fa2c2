"""The hazard log's evidence is real: every test it names exists (a renamed or deleted
test would leave a hazard with a control nobody checks)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
NODE_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_test_named_in_the_hazard_log_exists():
    cited = NODE_ID.findall(LOG.read_text())
    assert len(cited) >= 13  # at least one per hazard: the pattern still matches the log

    missing = [
        f"{path}::{name}"
        for path, name in cited
        if not (ROOT / path).exists() or name not in _test_names(ROOT / path)
    ]

    assert missing == []


def test_every_hazard_has_cause_effect_controls_and_evidence():
    sections = re.split(r"^## (H\d\d) ", LOG.read_text(), flags=re.M)[1:]
    hazards = dict(zip(sections[::2], sections[1::2], strict=True))
    assert len(hazards) >= 13

    incomplete = [
        hazard
        for hazard, text in hazards.items()
        if not all(f"**{part}**" in text for part in ("Cause", "Effect", "Controls", "Evidence"))
        or not NODE_ID.search(text)
    ]

    assert incomplete == []
