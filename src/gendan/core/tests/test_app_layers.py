"""Apps depend one way: a walk of every module's imports finds no cycle between apps."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import gendan

PACKAGE = Path(gendan.__file__).parent
# Modules that sit above every app (the settings, the URLs, the API that mounts every router,
# the command line and the demo), or beside the apps for tests only.
TOP_LEVEL = {"config", "api", "cli", "demo", "conftest", "testing"}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "gendan" or parts[1] in TOP_LEVEL:
        return None
    return parts[1]


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (a late import is still a
    dependency)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def app_dependencies() -> dict[str, set[str]]:
    """app → the apps its code (not its tests or migrations) imports."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).parts
        if len(relative) < 2 or "tests" in relative or "migrations" in relative:
            continue
        app = relative[0]
        if app in TOP_LEVEL:
            continue
        for module in imported_modules(path):
            other = app_of(module)
            if other is not None and other != app:
                graph.setdefault(app, set()).add(other)
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a path (first node repeated at the end), or []."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
            if nxt not in state and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = "done"
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return []


def test_no_cycle_between_apps():
    # given every app's imports
    graph = app_dependencies()
    # then no app depends on itself through others
    assert cycle_in(graph) == []


def test_core_knows_no_domain():
    assert app_dependencies().get("core", set()) == set()


def test_the_cycle_finder_finds_a_cycle():
    # A test that cannot fail is no test: the finder reports a loop it is given.
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) == []


DOTTED = re.compile(r"^gendan\.([a-z_]+)\.")


def dotted_names_of_other_apps() -> dict[str, set[str]]:
    """module path → the other apps whose code it names by a dotted string (resolved at run
    time with ``import_string``, so no import statement shows the dependency)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).parts
        if len(relative) < 2 or "tests" in relative or "migrations" in relative:
            continue
        if relative[0] in TOP_LEVEL:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = DOTTED.match(node.value)
                if match and match.group(1) not in (relative[0], *TOP_LEVEL):
                    found.setdefault("/".join(relative), set()).add(match.group(1))
    return found


def test_apps_named_by_dotted_path_are_only_the_reactions_to_steps():
    # given every dotted name of another app's code in the apps (not settings)
    named = dotted_names_of_other_apps()
    # then only the one declaration of step effects names them, and every app it names depends
    # on orders: the reaction is the higher app's, declared where the steps are
    assert set(named) <= {"orders/effects.py"}
    graph = app_dependencies()
    assert all("orders" in graph.get(app, set()) for app in named.get("orders/effects.py", ()))
