"""Wall time of every notebook in ``notebooks/`` (prints figures; not a test).

Each notebook runs in a fresh ``python3`` kernel, as in ``tests/test_notebooks.py``, with this
checkout first on ``PYTHONPATH`` and ``DASHBOARD_USER_DATA`` in a temporary folder. The time
includes the kernel start and the first (uncached) loading of data and model in that kernel.
BLAS threads are limited to 1 unless ``OPENBLAS_NUM_THREADS`` etc. are set (as in the tests;
pass e.g. ``OPENBLAS_NUM_THREADS=2`` to measure the library default on a 2-core machine).
The target of issue 7 is under 60 s per notebook. Run from the repository root::

    python benchmarks/bench_notebooks.py [notebooks/01-daten-erkunden.ipynb ...]
"""

from __future__ import annotations

import json
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
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # as tests/test_notebooks.py
        os.environ.setdefault(var, "1")
    print(
        f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, load average {os.getloadavg()[0]:.1f}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'notebook':40s} {'seconds':>8s}  cells")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DASHBOARD_USER_DATA"] = str(Path(tmp) / "user_data")
        spec = Path(tmp) / "jupyter" / "kernels" / "python3"  # kernel = this interpreter
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3",
                    "language": "python",
                }
            ),
            encoding="utf-8",
        )
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            filter(None, [str(spec.parents[1]), os.environ.get("JUPYTER_PATH", "")])
        )
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            t0 = time.perf_counter()
            NotebookClient(
                nb,
                timeout=600,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.resolve().parent)}},
            ).execute()
            dt = time.perf_counter() - t0
            slow += dt > LIMIT_S
            n = sum(c.cell_type == "code" for c in nb.cells)
            print(f"{path.name:40s} {dt:8.1f}  {n}{'  > 60 s!' if dt > LIMIT_S else ''}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
