"""Time load_genesis on a Germany-sized municipal table (12411-02-03-5 layout).

The big file is SYNTHETIC: the project's synthetic 15-municipality fixture repeated with
made-up keys to ~11,000 municipalities (~3 MB, ~590,000 cells), the size of an all-Germany
download. Prints seconds and cells per second; run ``python benchmarks/bench_genesis_load.py``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from dashboard.data.genesis import load_genesis

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "data"
    / "synthetic_12411-02-03-5_kreis_dueren_gemeinden_2024.csv"
)


def build(path: Path, copies: int = 730) -> None:
    lines = SAMPLE.read_bytes().decode("cp1252").split("\n")
    first = next(k for k, ln in enumerate(lines) if ln.startswith("05358004"))
    foot = next(k for k, ln in enumerate(lines) if ln.startswith("_____"))
    out = lines[:first]
    for rep in range(copies):
        for ln in lines[first:foot]:
            cells = ln.split(";")
            cells[0] = f"{rep % 90 + 10:02d}{rep:03d}{cells[0][5:]}"
            out.append(";".join(cells))
    path.write_bytes("\n".join(out + lines[foot:]).encode("cp1252"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic_12411-02-03-5_big.csv"
        build(path)
        t0 = time.perf_counter()
        table = load_genesis(path)
        dt = time.perf_counter() - t0
        n = len(table.data)
        print(f"{path.stat().st_size / 1e6:.1f} MB, {n:,} cells: {dt:.1f} s ({n / dt:,.0f} cells/s)")


if __name__ == "__main__":
    main()
