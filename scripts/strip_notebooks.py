"""Remove outputs, execution counts and run metadata from notebooks (before committing).

Usage (from the repository root)::

    python scripts/strip_notebooks.py            # every notebooks/*.ipynb
    python scripts/strip_notebooks.py a.ipynb …  # given files

Prints the files it changed. ``tests/test_notebooks.py`` fails on a notebook with outputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
CELL_KEYS_DROPPED = ("execution", "collapsed", "scrolled")


def strip(path: Path) -> bool:
    """Strip one notebook in place; returns True if it changed."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        for key in CELL_KEYS_DROPPED:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    after = nbformat.writes(nb)
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((REPO / "notebooks").glob("*.ipynb"))
    for p in paths:
        if strip(p):
            print(f"stripped {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
