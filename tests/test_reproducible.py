"""Projections are reproducible: same inputs give bit-identical outputs, in one process and across
fresh processes (different hash seeds), and the memo cache never hands out altered results."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dashboard.projection import PRESETS, Scenario, project
from dashboard.projection.engine import _build as compute_uncached  # the memo cache bypassed

SCENARIOS = {
    "basis": PRESETS["basis"],
    "custom": Scenario("eigenes", tfr=1.62, e0_gain=1.5, net_migration=1234.5, horizon=2040),
}
FRAMES = ("population", "components", "indicators", "age_groups", "assumptions", "warnings")


def digest(result) -> dict[str, str]:
    """SHA-256 per output: array bytes (with dtype and shape) and frames (values, dtypes, names)."""
    out = {}
    for name, arr in sorted(result.arrays.items()):
        arr = np.ascontiguousarray(arr)
        h = hashlib.sha256(f"{arr.dtype}{arr.shape}".encode())
        h.update(arr.tobytes())
        out[f"array:{name}"] = h.hexdigest()
    for name in FRAMES:
        df = getattr(result, name)
        h = hashlib.sha256(repr([(c, str(t)) for c, t in df.dtypes.items()]).encode())
        h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
        out[f"frame:{name}"] = h.hexdigest()
    return out


_CHILD = """
import json, sys
from tests.test_reproducible import SCENARIOS, digest
from dashboard.projection import project
print(json.dumps({k: digest(project(s)) for k, s in SCENARIOS.items()}))
"""


@pytest.mark.parametrize("key", SCENARIOS)
def test_uncached_runs_are_bit_identical(key):
    scenario = SCENARIOS[key]
    first = compute_uncached(scenario)  # two real computations, no memo cache
    second = compute_uncached(scenario)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), check_exact=True)
    for name, arr in first.arrays.items():
        assert np.array_equal(arr, second.arrays[name], equal_nan=True), name
    assert digest(first) == digest(second)


def test_memo_cache_returns_the_computed_result():
    scenario = SCENARIOS["custom"]
    assert project(scenario) is project(
        Scenario(
            **{
                f: getattr(scenario, f)
                for f in ("name", "tfr", "e0_gain", "net_migration", "migration_factor", "horizon")
            }
        )
    )
    assert digest(project(scenario)) == digest(compute_uncached(scenario))


def test_populations_are_finite_and_never_negative():
    for scenario in SCENARIOS.values():
        pop = project(scenario).arrays["population"]
        assert np.isfinite(pop).all() and (pop >= 0).all()


def test_fresh_processes_with_other_hash_seeds_agree():
    here = {k: digest(project(s)) for k, s in SCENARIOS.items()}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for seed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run(
            [sys.executable, "-c", _CHILD],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        assert json.loads(out.stdout.strip().splitlines()[-1]) == here, f"PYTHONHASHSEED={seed}"
