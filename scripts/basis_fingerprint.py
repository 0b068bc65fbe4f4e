"""Fingerprint of the Basis projection: SHA-256 of the exact bytes of every number it computes.

A refactoring must leave the model's numbers bit-identical; ``tests/test_basis_fingerprint.py``
compares today's fingerprint with the one stored in ``tests/data/basis_fingerprint.json``.

Usage::

    python scripts/basis_fingerprint.py                 # print the fingerprint of this checkout
    python scripts/basis_fingerprint.py --root DIR      # of another checkout (e.g. an old commit)
    python scripts/basis_fingerprint.py --write         # store it in tests/data/basis_fingerprint.json

Whoever changes the model's numbers ON PURPOSE (new data, a new method) regenerates the stored
fingerprint with ``--write`` in the same commit and says why in the commit message; a pure
refactoring never does.

What is hashed (float64 bytes in C order; frames sorted by their key columns so that a change of
row order or of column *names* does not count, a change of any value does):

* the Basis projection's arrays (population, births, deaths, net migration, floors) and the
  numeric columns of its frames (population, components, indicators, age groups, warnings);
* the estimated assumptions (mortality, fertility, migration arrays and the scalar levels) and
  the ``value`` column of the assumptions table;
* the Kreis population per year of every scenario preset.

Run with the user data folder empty (the script points ``DASHBOARD_USER_DATA`` at a fresh
temporary folder): an imported official table would change the base population.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
STORE = HERE / "tests" / "data" / "basis_fingerprint.json"

# frame -> key columns (identify a row independent of order and of label language)
_FRAME_KEYS = {
    "population": ["ags", "year", "sex", "age"],
    "components": ["ags", "year", "sex"],
    "indicators": ["ags", "year"],
    "age_groups": ["ags", "year", "age_group"],
    "warnings": ["ags", "year", "sex", "age", "kind"],
}


def _digest(*arrays) -> str:
    import numpy as np

    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a, dtype=np.float64))
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _frame_digest(df, keys: list[str]) -> str:
    import numpy as np
    import pandas as pd

    df = df.copy()
    for k in keys:
        if isinstance(df[k].dtype, pd.CategoricalDtype):
            df[k] = df[k].cat.codes  # categorical order is part of the meaning (age groups)
        else:
            df[k] = df[k].astype(str)
    df = df.sort_values(keys, kind="stable").reset_index(drop=True)
    numeric = [
        c
        for c in sorted(df.columns)
        if c not in keys and pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    ]
    flags = [c for c in sorted(df.columns) if c not in keys and pd.api.types.is_bool_dtype(df[c])]
    arrays = [df[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in numeric + flags]
    return _digest(*arrays) if arrays else _digest(np.zeros(0))


def compute() -> dict[str, str]:
    """The fingerprint of the checkout whose ``dashboard`` package is imported."""
    import numpy as np

    from dashboard.projection import PRESETS, estimate_assumptions, project

    out: dict[str, str] = {}
    r = project(PRESETS["basis"])
    for name in ("population", "births", "deaths", "net_migration", "shortfall"):
        out[f"basis.arrays.{name}"] = _digest(r.arrays[name])
    for name, keys in _FRAME_KEYS.items():
        out[f"basis.frames.{name}"] = _frame_digest(getattr(r, name), keys)
    a = estimate_assumptions()
    out["assumptions.arrays"] = _digest(
        a.qx,
        a.mortality_level,
        a.e0,
        a.fertility_shape,
        [a.tfr, a.sex_ratio_at_birth, a.net_migration],
        a.in_migration_distribution,
        a.out_migration_rate,
        a.municipal_excess,
        np.asarray(a.base.population),
    )
    out["assumptions.table.value"] = _digest(a.table["value"].to_numpy(dtype=np.float64, na_value=np.nan))
    for key in sorted(PRESETS):
        ind = project(PRESETS[key]).indicators
        kreis = ind[ind.ags == "05358"].sort_values("year")
        out[f"preset.{key}.kreis_population"] = _digest(kreis["population"].to_numpy())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=str(HERE), help="checkout whose dashboard package is fingerprinted")
    ap.add_argument("--write", action="store_true", help=f"store the result in {STORE.relative_to(HERE)}")
    args = ap.parse_args(argv)
    os.environ["DASHBOARD_USER_DATA"] = tempfile.mkdtemp(prefix="fingerprint_user_data_")
    sys.path.insert(0, str(Path(args.root).resolve()))
    fp = compute()
    import dashboard

    print(f"fingerprinted: {Path(dashboard.__file__).parent}", file=sys.stderr)
    text = json.dumps(fp, indent=1, sort_keys=True) + "\n"
    if args.write:
        STORE.write_text(text, encoding="utf-8")
        print(f"written: {STORE}", file=sys.stderr)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
