"""The analysts' notebooks in ``notebooks/`` run top to bottom and stay clean.

* Every notebook is executed with nbclient in a fresh ``python3`` kernel (ipykernel, run by the
  interpreter running the tests), working directory ``notebooks/``, this checkout first on
  ``PYTHONPATH`` and ``DASHBOARD_USER_DATA`` pointing into a temporary folder. A cell that
  raises fails the test and names the cell. Times are printed by ``benchmarks/bench_notebooks.py``.
* Committed notebooks carry no outputs and no execution counts.
* Notebooks use only the package's public API, :mod:`dashboard.api` (``import dashboard.api as
  kd``; every ``kd.name`` is in its ``__all__``): no other project module, no plotting libraries
  (figures come from the API too), no reading of ``data/raw``
  (the loaders of :mod:`dashboard.data` do that), no function or class definitions (code worth
  reusing belongs into the package).
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = (
    "01-daten-erkunden.ipynb",
    "02-prognose-gemeinde.ipynb",
    "03-szenarien.ipynb",
    "04-unsicherheit-und-backtest.ipynb",
    "05-massnahmen.ipynb",
)
#: A hang guard per cell (seconds), not a speed test: each notebook takes a few seconds.
CELL_TIMEOUT = 300
#: One BLAS thread per kernel. The suite runs many processes on few cores; OpenBLAS threads that
#: spin while waiting for a busy core made the small statsmodels fits of notebook 04 (driver
#: models) about 20 times slower under load (measured: 35 s instead of 1.8 s at load 11 on 2 cores).
BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: Names of the public API (``import dashboard.api as kd``), the only project module notebooks import.
PUBLIC_API = frozenset(importlib.import_module("dashboard.api").__all__)
#: Top-level modules a notebook may import besides ``dashboard.api``.
ALLOWED_IMPORTS = {"os", "tempfile", "pathlib", "shutil", "pandas", "numpy", "dataclasses", "json", "time"}


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _code_cells(path: Path) -> list[tuple[int, str]]:
    nb = nbformat.read(path, as_version=4)
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def test_the_notebooks_of_the_issue_exist() -> None:
    assert set(EXPECTED) <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts (run python scripts/strip_notebooks.py before committing)"
    )
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_uses_only_the_public_api(path: Path) -> None:
    problems = [p for i, src in _code_cells(path) for p in _api_problems(i, src)]
    assert not problems, f"{path.name}: " + "; ".join(problems)


def _api_problems(i: int, src: str) -> list[str]:
    """What in code cell ``i`` goes around the public API (imports, private names, definitions)."""
    problems = []
    if "data/raw" in src or '"raw"' in src:
        problems.append(f"cell {i}: reads the raw data folder (use the loaders of dashboard.api)")
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            problems.append(f"cell {i}: defines {type(node).__name__} (move reusable code into the package)")
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "dashboard":
                if parts[:2] != ["dashboard", "api"] or any(p.startswith("_") for p in parts):
                    problems.append(f"cell {i}: imports {name} (only the public API dashboard.api)")
            elif parts[0] not in ALLOWED_IMPORTS:
                problems.append(f"cell {i}: imports {name} (plots come from dashboard.api)")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "kd"
            and node.attr not in PUBLIC_API
        ):
            problems.append(f"cell {i}: kd.{node.attr} is not in dashboard.api.__all__")
    return problems


def test_the_api_check_catches_imports_around_the_api() -> None:
    assert _api_problems(0, "import dashboard.api as kd\nkd.project(kd.PRESETS['basis'])") == []
    assert _api_problems(0, "from dashboard.api import project") == []
    bad = {
        "from dashboard.projection import project": "only the public API",
        "import dashboard.projection.engine as e": "only the public API",
        "from dashboard.api import _private": "only the public API",
        "import dashboard.api as kd\nkd.nonexistent_helper()": "not in dashboard.api.__all__",
        "import plotly.express as px": "plots come from",
        "def f():\n    pass": "defines FunctionDef",
    }
    for src, expected in bad.items():
        found = _api_problems(3, src)
        assert found and expected in found[0] and found[0].startswith("cell 3:"), (src, found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    before = _repo_status()
    monkeypatch.setenv(
        "JUPYTER_PATH",
        os.pathsep.join(filter(None, [str(_kernel_spec(tmp_path)), os.environ.get("JUPYTER_PATH", "")])),
    )
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    )
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path / "user_data"))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    for var, value in BLAS_THREADS.items():  # unless the caller chose otherwise
        monkeypatch.setenv(var, os.environ.get(var, value))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:  # names the cell and shows the traceback
        pytest.fail(f"{path.name}: a cell failed\n{exc}")
    errors = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors, f"{path.name}: error outputs in cells {errors}"
    ran = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert ran and all(c.execution_count is not None for c in ran)
    assert _repo_status() == before, f"{path.name} changed files in the repository"


def test_strip_script_removes_outputs_and_counts(tmp_path: Path) -> None:
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import strip_notebooks
    finally:
        sys.path.remove(str(REPO / "scripts"))
    cell = new_code_cell(
        "1 + 1",
        execution_count=3,
        outputs=[new_output("execute_result", {"text/plain": "2"}, execution_count=3)],
    )
    cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    path = tmp_path / "x.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# x"), cell]), path)
    assert strip_notebooks.strip(path) is True
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None and nb.cells[1].metadata == {}
    assert nb.cells[1].source == "1 + 1" and nb.cells[0].source == "# x"
    assert strip_notebooks.strip(path) is False


def _kernel_spec(folder: Path) -> Path:
    """A ``python3`` kernel spec that runs THIS interpreter, first on ``JUPYTER_PATH``.

    An installed spec says ``python`` (whatever is first on ``PATH``); this one makes the
    kernel use the interpreter and packages of the test run (e.g. a virtualenv called by its
    full path without being activated).
    """
    root = folder / "jupyter"
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (test run)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return root


def _repo_status() -> str:
    """``git status --porcelain`` of the folders a notebook could write to by mistake (its working
    directory, the shipped data, the default user data folder); '' outside a git checkout."""
    try:
        out = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--untracked-files=all",
                "--ignored",
                "--",
                "notebooks",
                "data",
                "user_data",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout if out.returncode == 0 else ""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
