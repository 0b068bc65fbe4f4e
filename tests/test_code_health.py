"""Code-health rules of issue 15 that a linter does not check: the model opens no file, nothing
pretends a part of the package is optional, and the navigation comes from Dash's page registry."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"

#: Calls that read or write a file (the name of the called function or method).
FILE_CALLS = {
    "open",
    "read_csv",
    "read_excel",
    "read_parquet",
    "read_json",
    "read_table",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "to_csv",
    "to_excel",
    "to_parquet",
    "load_workbook",
    "loadtxt",
    "genfromtxt",
    "fromfile",
    "tofile",
}


def _calls(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            base = getattr(f.value, "id", "") if isinstance(f, ast.Attribute) else ""
            if name in FILE_CALLS or (name in {"load", "save", "dump"} and base in {"np", "json", "pickle"}):
                found.append((node.lineno, name))
    return found


def test_the_model_opens_no_file():
    """Raw reads live in dashboard/data (hash-verified), writes in dashboard/export.py."""
    found = {str(p.relative_to(PACKAGE)): _calls(p) for p in (PACKAGE / "projection").rglob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}
    assert _calls(PACKAGE / "data" / "embedded.py"), "the check finds reads where there are some"


def _handlers_of_import_error(path: Path) -> list[int]:
    def names(t: ast.AST | None) -> set[str]:
        if t is None:
            return set()
        if isinstance(t, ast.Tuple):
            return set().union(*(names(e) for e in t.elts))
        return {getattr(t, "id", getattr(t, "attr", ""))}

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.ExceptHandler) and names(n.type) & {"ImportError", "ModuleNotFoundError"}
    ]


def test_nothing_pretends_to_be_optional():
    """No ``except ImportError`` fallbacks and no ``model_available()``: every part of the package
    is always there; genuinely optional third-party packages are asked with importlib.util.find_spec."""
    files = list(PACKAGE.rglob("*.py"))
    handlers = {str(p.relative_to(PACKAGE)): _handlers_of_import_error(p) for p in files}
    assert {k: v for k, v in handlers.items() if v} == {}
    assert [str(p) for p in files if "model_available" in p.read_text(encoding="utf-8")] == []


def test_navigation_comes_from_the_page_registry():
    import dash

    from dashboard.app import NAV_ORDER_LIMIT, nav_entries

    entries = nav_entries()
    registered = {p["path"]: p for p in dash.page_registry.values()}
    assert entries and all(registered[path]["name"] == name for path, name in entries)
    orders = [registered[path]["order"] for path, _ in entries]
    assert orders == sorted(orders) and max(orders) < NAV_ORDER_LIMIT
    assert "/verwaltung" in registered and "/verwaltung" not in dict(entries)
    assert entries[0] == ("/", "Übersicht")
