"""House rules that code review would otherwise have to catch (ARCHITECTURE.md, STYLE.md)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app may import. outcomes and interop both sit on linkworkers and know nothing
# of each other (ARCHITECTURE.md): interop reads outcome measures through a core registry.
ALLOWED = {
    "socialrx.core": [],
    "directory": ["socialrx.core"],
    "referrals": ["socialrx.core", "directory"],
    "linkworkers": ["socialrx.core", "directory", "referrals"],
    "outcomes": ["socialrx.core", "directory", "referrals", "linkworkers"],
    "interop": ["socialrx.core", "directory", "referrals", "linkworkers"],
}
LAYERS = list(ALLOWED)
APP_DIRS = {
    "socialrx.core": ROOT / "socialrx" / "core",
    "directory": ROOT / "directory",
    "referrals": ROOT / "referrals",
    "linkworkers": ROOT / "linkworkers",
    "outcomes": ROOT / "outcomes",
    "interop": ROOT / "interop",
}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _python_files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", LAYERS)
def test_apps_import_only_from_apps_above_them(app):
    forbidden = [other for other in LAYERS if other != app and other not in ALLOWED[app]]
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _python_files(APP_DIRS[app])
        for module in _imported_modules(path)
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    ]
    assert offences == []


def test_project_package_names_apps_only_in_urls_and_celery():
    allowed = {"urls.py", "celery.py", "settings.py"}
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "socialrx").glob("*.py")
        if path.name not in allowed
        for module in _imported_modules(path)
        if module.split(".")[0] in {"directory", "referrals", "linkworkers", "outcomes", "interop"}
    ]
    assert offences == []


def _view_modules() -> list[Path]:
    found = []
    for directory in APP_DIRS.values():
        found += [p for p in directory.glob("views*.py")] + list(directory.glob("views/*.py"))
        found += [p for p in directory.glob("api*.py")] + list(directory.glob("api/*.py"))
    return found


def test_views_reach_data_through_scoped_helpers_not_model_managers():
    """Views and API modules never call ``Model.objects``: personal data is reached only
    through the app's ``permissions.py`` scoped querysets (STYLE.md, rule 7)."""
    offences = []
    for path in _view_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offences == []
