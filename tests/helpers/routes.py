"""Every route the site serves, and the access tables that must name each one.

Each app keeps its table in ``tests/<app>/access.py``: ``ACCESS`` maps a route name to
how the route keeps people out (``Guarded``), ``PUBLIC`` maps a route to the reason anyone
may reach it. ``tests/test_route_access.py`` walks the URLconf and fails for a route in
neither, and drives the requests each ``Guarded`` entry promises.
"""

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from django.urls import URLPattern, URLResolver, get_resolver

# Where each app's table lives; a route's view module picks the table it belongs in.
TABLE_MODULES = {
    "socialrx": "tests.core.access",
    "directory": "tests.directory.access",
    "referrals": "tests.referrals.access",
    "linkworkers": "tests.linkworkers.access",
    "outcomes": "tests.outcomes.access",
    "interop": "tests.interop.access",
}
# Views that are not ours (Django's admin and auth, drf-spectacular) go in core's table.
DEFAULT_TABLE = "tests.core.access"

SIGN_IN = "sign in"  # a signed-out browser is redirected to the sign-in page
API_401 = "401"  # a request without credentials is refused as 401 (the API)


@dataclass(frozen=True)
class Guarded:
    """How a signed-in route keeps people out.

    ``other_org`` names the test (``path::function``) where a user of another organisation
    (or another owner) gets 404 or sees none of the others' records: it needs the route's
    own records, so it lives with the app's tests. ``None`` where no such test is named
    (a form or page that names no record, an area-wide report, or a gap still to fill).
    ``no_role`` is what a signed-in user with no role gets here (403; 404 where the
    record is looked up in the user's scope before the role is checked). ``anonymous`` is
    what a signed-out request gets. ``method`` is the method the checks use.
    """

    other_org: str | None
    no_role: int = 403
    anonymous: str = SIGN_IN
    method: str = "get"


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the path for an unnamed route
    path: str
    view_module: str
    converters: dict

    @property
    def table_module(self) -> str:
        top = self.view_module.split(".")[0]
        return TABLE_MODULES.get(top, DEFAULT_TABLE)

    @property
    def table_file(self) -> str:
        return self.table_module.replace(".", "/") + ".py"

    def sample_kwargs(self) -> dict[str, object]:
        """Arguments of the right shape that name no record (the checks refuse first)."""
        return {name: _sample(conv) for name, conv in self.converters.items()}


def _sample(converter: object) -> object:
    kind = type(converter).__name__
    if kind == "IntConverter":
        return 987654
    if kind == "UUIDConverter":
        return UUID("00000000-0000-4000-8000-000000000000")
    return "x"


def walk(urlconf: object = None) -> Iterator[Route]:
    """Every route of the URLconf, through its includes, with namespaced names."""
    yield from _walk(get_resolver(urlconf).url_patterns, "", [], {})


def _walk(patterns: list, prefix: str, namespaces: list[str], converters: dict) -> Iterator[Route]:
    for entry in patterns:
        found = {**converters, **getattr(entry.pattern, "converters", {})}
        path = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            spaces = [*namespaces, entry.namespace] if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, path, spaces, found)
        elif isinstance(entry, URLPattern):
            # Unnamed routes are known by their path, within their namespace if any.
            key = ":".join([*namespaces, entry.name or path])
            module = getattr(entry.callback, "__module__", "") or ""
            yield Route(key=key, path=path, view_module=module, converters=found)


def tables() -> tuple[dict[str, Guarded], dict[str, str]]:
    """Every app's ACCESS and PUBLIC, merged."""
    access: dict[str, Guarded] = {}
    public: dict[str, str] = {}
    for module_name in sorted({*TABLE_MODULES.values(), DEFAULT_TABLE}):
        module = importlib.import_module(module_name)
        access.update(module.ACCESS)
        public.update(module.PUBLIC)
    return access, public


def listed(key: str, table: dict) -> bool:
    """Named exactly, or by a whole namespace ("admin:*": Django's admin guards its own)."""
    return key in table or any(
        entry.endswith(":*") and key.startswith(entry[:-1]) for entry in table
    )


def unguarded(urlconf: object = None) -> list[Route]:
    access, public = tables()
    return [r for r in walk(urlconf) if not listed(r.key, access) and not listed(r.key, public)]


def advice(routes: list[Route]) -> str:
    """What to add, and where, for each route in no table."""
    lines = [f"{len(routes)} route(s) have no access test and are not listed as public:"]
    for route in routes:
        lines += [
            "",
            f"  {route.key!r}  (path /{route.path}, view in {route.view_module})",
            f"  Add to ACCESS in {route.table_file}:",
            f'      "{route.key}": Guarded(other_org="tests/<app>/test_<x>.py::test_<name>"),',
            "    where that test shows a user of another organisation gets 404 (the",
            "    other_org_user fixture); set no_role=404 if the record is looked up in the",
            "    user's scope first, anonymous=API_401 for the API, method='post' for a",
            "    POST-only view. tests/test_route_access.py then checks signed-out and",
            "    no-role requests for you.",
            f"  Or, only if anyone may use it, add to PUBLIC in {route.table_file}:",
            f'      "{route.key}": "<why it is public>",',
        ]
    return "\n".join(lines)


def reference_exists(reference: str) -> bool:
    """``path::function`` names a test function defined in that file."""
    path, _, function = reference.partition("::")
    source = Path(__file__).resolve().parents[2] / path
    return bool(function) and source.is_file() and f"def {function}(" in source.read_text()
