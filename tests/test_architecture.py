"""House rules that code review would otherwise have to catch (ARCHITECTURE.md, STYLE.md)."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver

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
        found += list(directory.rglob("views*.py")) + list(directory.glob("views/*.py"))
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


def _url_names(patterns: list, namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return names


def test_url_names_are_snake_case():
    """One style for URL names, Django's own (``password_reset_done``): snake_case."""
    names = _url_names(get_resolver().url_patterns)
    assert "linkworkers:case_open" in names  # the walk reaches included URLconfs
    offences = [name for name in names if not re.fullmatch(r"[a-z0-9_]+", name.split(":")[-1])]
    assert offences == []


SHAPING = {"filter", "exclude", "order_by"}


def _chain_root(node: ast.AST) -> ast.AST:
    """The innermost receiver of ``a(...).b(...).c``: the call or name it starts from."""
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node


def _scoped_names(tree: ast.Module) -> set[str]:
    """Names imported from a ``permissions`` module: the scoped querysets of personal data."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("permissions")
        for alias in node.names
    }


def _shaping_offences(source: str, label: str) -> list[str]:
    tree = ast.parse(source)
    scoped = _scoped_names(tree)
    offences = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        tracked = set(scoped)  # plus local names holding a scoped queryset

        def from_scope(node: ast.AST, tracked: set[str] = tracked) -> bool:
            root = _chain_root(node)
            if isinstance(root, ast.Call):
                root = root.func
            return isinstance(root, ast.Name) and root.id in tracked

        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and from_scope(node.value):
                tracked.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SHAPING
                and from_scope(node.func.value)
            ):
                offences.append(f"{label}:{node.lineno} .{node.func.attr}")
    return offences


def test_views_do_not_shape_personal_data_queries():
    """Views and API modules take a scoped queryset from ``permissions.py`` as it is: the
    filtering and ordering of personal data live there, where access is reviewed, not
    in a view that could widen or leak it (STYLE.md, rule 7)."""
    offences = [
        offence
        for path in _view_modules()
        for offence in _shaping_offences(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert offences == []


def test_the_shaping_check_catches_a_view_that_filters_a_scoped_queryset():
    view = (
        "from linkworkers.permissions import cases_visible_to, connections_of_cases_for\n"
        "def caseload(request, case):\n"
        "    cases = cases_visible_to(request.user).open()\n"
        "    connections_of_cases_for(request.user).exclude(case=case)\n"
        "    return cases.order_by('opened_at').filter(status='open')\n"
    )
    assert sorted(_shaping_offences(view, "views.py")) == [
        "views.py:4 .exclude",
        "views.py:5 .filter",
        "views.py:5 .order_by",
    ]


# The development-only demo app: everything may be imported by it, nothing imports it.
PRODUCTION_PACKAGES = ["socialrx", "directory", "referrals", "linkworkers", "outcomes"]


def test_no_production_module_imports_the_demo_app():
    """Migrations included: production is installed without demo/ (pyproject excludes it)."""
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for package in PRODUCTION_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        for module in _imported_modules(path)
        if module == "demo" or module.startswith("demo.")
    ]
    assert offences == []


def test_the_wheel_leaves_out_the_demo_app_and_the_bench():
    import tomllib
    from fnmatch import fnmatch

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]

    packaged = [
        name
        for name in ("demo", "demo.seeds", "demo.management.commands", "bench", "directory")
        if any(fnmatch(name, pattern) for pattern in include)
    ]
    assert packaged == ["directory"]


def test_tests_share_helpers_through_helper_modules_not_other_test_modules():
    """A helper imported from a test module runs that module's imports and fixtures in
    every importer, and hides where shared code lives: it goes in tests/helpers/."""
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "tests").rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith("tests.") and module.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert offences == []
