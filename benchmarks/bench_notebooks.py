"""Wall time of every notebook in ``notebooks/`` (prints figures; not a test).

Each notebook runs in a fresh ``python3`` kernel, as in ``tests/test_notebooks.py``, with this
checkout first on ``PYTHONPATH`` and ``DASHBOARD_USER_DATA`` in a temporary folder. The time
includes the kernel start and the first (uncached) loading of data and model in that kernel.
The target of issue 7 is under 60 s per notebook. Run from the repository root::

    python benchmarks/bench_notebooks.py [notebooks/01-daten-erkunden.ipynb ...]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
LIMIT_S = 60.0


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))
    slow = 0
    print(f"{'notebook':40s} {'seconds':>8s}  cells")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DASHBOARD_USER_DATA"] = str(Path(tmp) / "user_data")
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            t0 = time.perf_counter()
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.resolve().parent)}}).execute()
            dt = time.perf_counter() - t0
            slow += dt > LIMIT_S
            n = sum(c.cell_type == "code" for c in nb.cells)
            print(f"{path.name:40s} {dt:8.1f}  {n}{'  > 60 s!' if dt > LIMIT_S else ''}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
