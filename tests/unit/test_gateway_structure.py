"""The gateway's shape: module-level routers included in app.py only, no route defined inside a
function, and no import circle between its modules (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"
MODULES = {p.relative_to(GATEWAY).with_suffix("").as_posix().replace("/", ".")
           .removesuffix(".__init__"): p for p in GATEWAY.rglob("*.py")}


def tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text())


def imported_gateway_modules(name: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gateway"):
            base = node.module.removeprefix("gateway").lstrip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}".lstrip(".")
                found.add(sub if sub in MODULES else base)
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("gateway.") for a in node.names
                         if a.name.startswith("gateway."))
    return {m for m in found if m in MODULES and m != name}


def is_route_decorator(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"get", "post", "put", "patch", "delete", "api_route"})


def test_no_route_is_defined_inside_a_function() -> None:
    nested = []
    for name in MODULES:
        for outer in ast.walk(tree(name)):
            if not isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(outer):
                if (inner is not outer and isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
                        and any(is_route_decorator(d) for d in inner.decorator_list)):
                    nested.append(f"{name}.{outer.name}.{inner.name}")
    assert nested == []


def test_routers_are_included_in_app_only() -> None:
    including = sorted(name for name in MODULES
                       if any(isinstance(n, ast.Attribute) and n.attr == "include_router"
                              for n in ast.walk(tree(name))))
    assert including == ["app"]


def test_no_import_circle() -> None:
    graph = {name: imported_gateway_modules(name) for name in MODULES}
    assert graph["pages.shop"], "the import scan finds nothing: it is broken"
    circles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in graph[node]:
            if nxt in path:
                circles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    done: set[str] = set()
    for start in graph:
        if start not in done:
            visit(start, [start])
    assert circles == []
