"""``python -m dashboard backtest --out DIR``: the files and their contract."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.projection.accuracy import COVERAGE_COLUMNS, SUMMARY_COLUMNS


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("bt")
    assert main(["backtest", "--out", str(d / "neu"), "--draws", "60"]) == 0
    return d / "neu"


def test_summary_csv_contract(out):
    s = pd.read_csv(out / "summary.csv")
    assert tuple(s.columns) == SUMMARY_COLUMNS
    assert {"Gemeinde", "Gemeinde-Altersgruppen", "Kreis"} <= set(s.level)
    assert {"model", "constant", "linear trend", "constant share", "constant shares", "Kreis shares"} <= set(
        s.method
    )
    assert ((s.mape >= 0) & (s.mape < 1)).all()  # a fraction, not percent
    ages = s[s.level == "Gemeinde-Altersgruppen"]
    assert ages.mae_pp.notna().all() and s[s.level != "Gemeinde-Altersgruppen"].mae_pp.isna().all()
    assert (s.n > 0).all() and s.n.dtype.kind == "i"
    # the file holds what the model computes
    from dashboard.projection import backtest

    ref = backtest().summary
    m = s.merge(ref, on=["case", "level", "method"], suffixes=("", "_ref"))
    assert len(m) == len(s) == len(ref)
    np.testing.assert_allclose(m.mape, m.mape_ref, rtol=1e-12)


def test_coverage_csv_contract(out):
    c = pd.read_csv(out / "coverage.csv")
    assert tuple(c.columns) == COVERAGE_COLUMNS
    assert set(c.interval) == {0.8, 0.95} and set(c.level) == {"Kreis", "Gemeinde"}
    assert ((c.covered >= 0) & (c.covered <= 1)).all()
    h = pd.read_csv(out / "coverage_by_horizon.csv")
    allh = h[h.horizon == -1].set_index(["level", "interval"])
    for _, r in c.iterrows():
        assert allh.loc[(r.level, r.interval), "covered"] == pytest.approx(r.covered)
        assert allh.loc[(r.level, r.interval), "n"] == r.n
    # the horizons add up to the whole
    per = h[h.horizon >= 0].groupby(["level", "interval"]).n.sum()
    assert (per == allh.n.reindex(per.index)).all()
    for name in ("criteria", "age_dynamics", "treatments"):
        assert (out / f"{name}.csv").stat().st_size > 0


def test_bad_draws_is_refused_with_a_german_message(tmp_path, capsys):
    assert main(["backtest", "--out", str(tmp_path), "--draws", "3"]) == 2
    assert "--draws muss mindestens 10 sein" in capsys.readouterr().err


def test_help_lists_the_command():
    r = subprocess.run([sys.executable, "-m", "dashboard", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "backtest" in r.stdout
