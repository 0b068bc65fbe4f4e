"""The Basis projection is bit-identical to the stored fingerprint (refactorings change no number).

How the stored fingerprint was obtained: ``tests/data/basis_fingerprint.json`` was computed by
``scripts/basis_fingerprint.py`` on the start commit of the code-health work (29b4064, before
issue 15), with::

    python scripts/basis_fingerprint.py --root <checkout of 29b4064> > tests/data/basis_fingerprint.json

and every refactoring since must reproduce it to the last bit. It is not a freeze of the
model: whoever changes the numbers on purpose (new data, a new method) regenerates it in the
same commit with ``python scripts/basis_fingerprint.py --write`` and says why in the commit
message. A failure here therefore means: either that commit forgot to regenerate it, or a
change that was meant to be a refactoring changed the model's numbers.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("basis_fingerprint", ROOT / "scripts" / "basis_fingerprint.py")
fingerprint = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fingerprint)


def test_basis_projection_is_bit_identical_to_the_stored_fingerprint(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path))  # no imported table changes the base
    stored = json.loads((ROOT / "tests" / "data" / "basis_fingerprint.json").read_text(encoding="utf-8"))
    now = fingerprint.compute()
    assert set(now) == set(stored)
    changed = sorted(k for k in stored if now[k] != stored[k])
    assert not changed, (
        f"Numbers changed in {changed}. A refactoring must not change them; a deliberate model "
        "change regenerates the fingerprint: python scripts/basis_fingerprint.py --write"
    )


def test_fingerprint_sees_one_ulp_and_ignores_row_order():
    import pandas as pd

    x = np.linspace(0.0, 1.0, 7)
    assert fingerprint._digest(x) != fingerprint._digest(np.nextafter(x, 2.0))
    df = pd.DataFrame({"ags": ["b", "a"], "year": [1, 2], "population": [1.0, 2.0]})
    same = df.iloc[::-1].rename(columns={"population": "population"})
    assert fingerprint._frame_digest(df, ["ags", "year"]) == fingerprint._frame_digest(same, ["ags", "year"])
    bumped = df.assign(population=[1.0, np.nextafter(2.0, 3.0)])
    assert fingerprint._frame_digest(df, ["ags", "year"]) != fingerprint._frame_digest(
        bumped, ["ags", "year"]
    )
