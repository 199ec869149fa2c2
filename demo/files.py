"""Where the demo's data files live, and reading them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    return DATA_DIR / name


def read_json(name: str) -> Any:
    return json.loads(data_path(name).read_text(encoding="utf-8"))


def read_csv(name: str) -> list[dict[str, str]]:
    with data_path(name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
