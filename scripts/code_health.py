"""Code-health counts of the ``dashboard`` package (issue 15), reproducible on any checkout.

Usage::

    python scripts/code_health.py [ROOT]          # ROOT: a checkout (default: this one)
    python scripts/code_health.py ROOT --list german   # also list what was counted
    (--list: german, formatters, local-imports)

Prints, for the Python files under ``ROOT/dashboard``:

* ``german_literals_outside_text``: string literals (an f-string counts once, adjacent literals
  once, docstrings not at all) outside ``dashboard/text.py`` that look German: they contain
  ä/ö/ü/ß or German quotes „“, or one of the German words in :data:`GERMAN_WORDS` as a whole
  word. A heuristic with a fixed word list, so before/after counts are comparable.
* ``german_literals_in_text``: the same count inside ``dashboard/text.py``.
* ``number_formatter_sites``: places that turn a number into German digits by hand: an
  expression swapping ``.``/``,`` with ``str.replace`` (a parse such as
  ``float(s.replace(",", "."))`` is not counted).
* ``function_local_project_imports``: ``import dashboard…`` / ``from dashboard… import`` /
  relative imports inside a function body.
* ``largest_module``: lines of the longest module.

Read only; no project module is imported, so the script runs on old checkouts too.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

GERMAN_WORDS = (
    "der die das den dem des ein eine einer eines einem einen und oder nicht ist sind wird werden "
    "wurde mit für von vom zum zur bis je im am auf aus bei nach als auch nur keine kein Sie Ihre "
    "Ihr Jahr Jahre Jahren Personen Bevölkerung Gemeinde Gemeinden Kreis Geburten Sterbefälle "
    "Wanderung Wanderungssaldo Zuzüge Fortzüge Frauen Männer Alter Altersgruppe Altersgruppen "
    "Szenario Szenarien Basis Vorausberechnung Annahme Annahmen Quelle Quellen Maßnahme Maßnahmen "
    "Handlungsfeld Zeile Spalte Blatt Datei erwartet gefunden Tabelle Wert Werte Anteil geschätzt "
    "amtlich amtliche Zensus Kennzahl Geburtenrate Lebenserwartung Einwohner Stand Träger Beginn "
    "Zielgruppe Altersband Lücke Lücken Kurzbericht Übersicht Methodik Werkzeugkoffer Hilfe "
    "Schätzung Insgesamt insgesamt weiblich männlich Ungültiger Unbekannte Unbekanntes Bitte"
).split()
_WORD = re.compile(r"\b(" + "|".join(map(re.escape, GERMAN_WORDS)) + r")\b")
_UMLAUT = re.compile(r"[äöüÄÖÜß„“]")
_SWAP = re.compile(r"""\.replace\(\s*(['"])[.,]\1\s*,\s*(['"])[.,_\\x0]+\2\s*\)""")


def _is_german(s: str) -> bool:
    return bool(_UMLAUT.search(s) or _WORD.search(s))


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def german_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every German-looking literal, f-strings as one."""
    skip = _docstring_nodes(tree)
    inside_fstring = set()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            inside_fstring.update(id(v) for v in node.values)
            for v in node.values:  # format specs hold constants too
                for sub in ast.walk(v):
                    inside_fstring.add(id(sub))
            text = "{}".join(parts)
            if _is_german(text):
                out.append((node.lineno, text))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and id(node) not in inside_fstring
            and _is_german(node.value)
        ):
            out.append((node.lineno, node.value))
    return sorted(out)


def formatter_sites(source: str) -> list[tuple[int, str]]:
    """(line, code) of hand-made German number formatting (separator swaps, parses excluded)."""
    out = []
    for i, line in enumerate(source.splitlines(), 1):
        if _SWAP.search(line) and "float(" not in line:
            out.append((i, line.strip()))
    return out


def local_project_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of imports of project modules inside functions."""
    out = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            fn = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if in_function and isinstance(child, ast.Import):
                for a in child.names:
                    if a.name == "dashboard" or a.name.startswith("dashboard."):
                        out.append((child.lineno, a.name))
            elif in_function and isinstance(child, ast.ImportFrom):
                mod = child.module or ""
                if child.level or mod == "dashboard" or mod.startswith("dashboard."):
                    out.append((child.lineno, "." * child.level + mod))
            visit(child, fn)

    visit(tree, False)
    return out


def measure(root: Path) -> tuple[dict[str, object], dict[str, list[str]]]:
    pkg = root / "dashboard"
    counts = {"german_literals_outside_text": 0, "german_literals_in_text": 0}
    lists: dict[str, list[str]] = {"german": [], "formatters": [], "local-imports": []}
    n_fmt = n_imp = 0
    by_layer: dict[str, int] = {}
    largest = (0, "")
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        src = path.read_text(encoding="utf-8")
        tree = ast.parse(src)
        lines = src.count("\n")
        largest = max(largest, (lines, rel))
        ger = german_literals(tree)
        key = "german_literals_in_text" if rel == "dashboard/text.py" else "german_literals_outside_text"
        counts[key] += len(ger)
        if key == "german_literals_outside_text":
            lists["german"] += [f"{rel}:{ln}: {t[:70]!r}" for ln, t in ger]
            layer = rel.split("/")[1] if rel.count("/") > 1 else "(top)"
            by_layer[layer] = by_layer.get(layer, 0) + len(ger)
        fs = formatter_sites(src)
        n_fmt += len(fs)
        lists["formatters"] += [f"{rel}:{ln}: {c}" for ln, c in fs]
        imps = local_project_imports(tree)
        n_imp += len(imps)
        lists["local-imports"] += [f"{rel}:{ln}: {m}" for ln, m in imps]
    counts["german_literals_by_layer"] = ", ".join(f"{k} {v}" for k, v in sorted(by_layer.items()))
    counts["number_formatter_sites"] = n_fmt
    counts["function_local_project_imports"] = n_imp
    counts["largest_module"] = f"{largest[1]} ({largest[0]} lines)"
    return counts, lists


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    ap.add_argument("--list", choices=["german", "formatters", "local-imports"], action="append", default=[])
    args = ap.parse_args(argv)
    counts, lists = measure(Path(args.root))
    for k, v in counts.items():
        print(f"{k}: {v}")
    for name in args.list:
        print(f"\n# {name}")
        print("\n".join(lists[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
