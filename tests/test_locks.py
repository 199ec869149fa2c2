"""The lock files match pyproject.toml, so what CI tests is what the image installs.

After changing a dependency in pyproject.toml, `make lock` brings them back in line.
"""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"{requirement!r} in pyproject.toml is not pinned with =="
        found[normalise(match[1])] = match[2]
    return found


def locked(filename: str) -> dict[str, str]:
    """name -> version for each entry, asserting each carries a hash."""
    text = (ROOT / filename).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1].strip())
    found = {}
    for entry in entries:
        match = PIN.match(entry)
        if not match:
            continue
        assert "--hash=sha256:" in entry, f"{match[1]} in {filename} has no hash"
        found[normalise(match[1])] = match[2]
    return found


RUNTIME = pins(PYPROJECT["project"]["dependencies"])
DEV = pins(PYPROJECT["project"]["optional-dependencies"]["dev"])


@pytest.mark.parametrize(
    ("filename", "wanted"),
    [("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME | DEV)],
)
def test_each_lock_has_every_pin_of_pyproject_at_its_version(filename, wanted):
    lock = locked(filename)

    assert {name: lock.get(name) for name in wanted} == wanted, "run `make lock`"


def test_the_dev_lock_keeps_every_runtime_version():
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")

    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_runtime_lock_has_no_test_tools_and_has_the_redis_transport():
    runtime = locked("requirements.lock")

    assert not {"pytest", "ruff", "mypy", "factory-boy"} & runtime.keys()
    # celery[redis]: kombu's Redis transport imports packaging, which the worker needs.
    assert {"redis", "packaging", "kombu"} <= runtime.keys()


def test_the_image_installs_from_the_runtime_lock_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-deps -e ." in dockerfile
