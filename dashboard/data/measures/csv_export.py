"""CSV export of the catalogue (the three tables and a flat table) and reading it back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.export_safety import restore_text, safe_frame
from dashboard.data.measures.catalogue import Catalogue, _frames


def export_csv(catalogue: Catalogue, out_dir: str | Path) -> list[Path]:
    """Write ``massnahmen.csv``, ``gemeinden.csv``, ``quellen.csv`` (the tables, UTF-8) and
    ``massnahmen_flach.csv`` (:meth:`Catalogue.flat`) to ``out_dir``; returns the paths.
    Text cells that a spreadsheet would read as a formula get a leading ``'``
    (:mod:`dashboard.data.export_safety`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "massnahmen.csv": catalogue.measures,
        "gemeinden.csv": catalogue.municipalities,
        "quellen.csv": catalogue.sources,
        "massnahmen_flach.csv": catalogue.flat(),
    }
    paths = []
    for name, df in files.items():
        p = out / name
        safe_frame(df).to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(p)
    return paths


def read_csv_export(out_dir: str | Path) -> Catalogue:
    """Read the three table CSVs written by :func:`export_csv` back into a catalogue."""
    d = Path(out_dir)
    m = pd.read_csv(d / "massnahmen.csv", dtype=str, keep_default_na=False).map(restore_text)
    for col in ("age_min", "age_max", "start_year"):
        m[col] = pd.array([None if v == "" else int(v) for v in m[col]], dtype="Int64")
    g = pd.read_csv(d / "gemeinden.csv", dtype=str, keep_default_na=False).map(restore_text)
    s = pd.read_csv(d / "quellen.csv", dtype=str, keep_default_na=False).map(restore_text)
    mm, gg, ss = _frames(
        m.to_dict("records"),
        list(g.itertuples(index=False, name=None)),
        list(s.itertuples(index=False, name=None)),
    )
    return Catalogue(mm, gg, ss, origin="csv", path=str(d))
