"""Backtest: table contract, census neutrality, error arithmetic, benchmarks present."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.constants import AGS_LIST
from dashboard.projection import backtest
from dashboard.projection.backtest import METHODS, TABLE_COLUMNS, _census_factor, _totals


@pytest.fixture(scope="module")
def bt():
    return backtest()


def test_table_contract_and_error_arithmetic(bt):
    t = bt.table
    assert list(t.columns) == TABLE_COLUMNS
    assert set(t.method) <= set(METHODS)
    assert {"model", "constant", "linear trend", "constant share", "official projection"} <= set(t.method)
    assert set(t.level) == {"Kreis", "Gemeinde", "Kreis-Altersgruppen"}
    np.testing.assert_allclose(t.error, t.predicted - t.actual)
    np.testing.assert_allclose(t.ape, np.abs(t.error) / t.actual)
    assert (t.horizon == t.target_year - t.base_year).all() and (t.horizon > 0).all()
    assert t[["actual", "predicted"]].notna().all().all() and (t.actual > 0).all()


def test_actuals_are_official_totals(bt):
    t = bt.table
    g = t[
        (t.case == "Gemeinden 2013→2017/2021")
        & (t.level == "Gemeinde")
        & (t.target_year == 2021)
        & (t.method == "constant")
    ].set_index("ags")
    np.testing.assert_array_equal(g.actual.loc[list(AGS_LIST)].to_numpy(), _totals(2021))
    np.testing.assert_array_equal(g.predicted.loc[list(AGS_LIST)].to_numpy(), _totals(2013))
    k = t[(t.case == "Kreis 2015→2016–2021") & (t.level == "Kreis") & (t.target_year == 2021)]
    assert (k.actual == 266_771).all()  # Destatis GV and 12411: 266,771


def test_gemeinde_rows_sum_to_kreis_rows(bt):
    t = bt.table
    for (case, y, m), g in t[t.level == "Gemeinde"].groupby(["case", "target_year", "method"]):
        k = t[(t.case == case) & (t.target_year == y) & (t.method == m) & (t.level == "Kreis")].iloc[0]
        assert g.predicted.sum() == pytest.approx(k.predicted) and g.actual.sum() == pytest.approx(k.actual)


def test_census_correction_is_applied_across_the_2011_break(bt):
    c = _census_factor()
    assert ((c > 0.9) & (c < 1.05)).all()  # Zensus 2011 revised the Kreis by about −3.5 %
    t = bt.table
    g = t[
        (t.case == "Gemeinden 2009→2013/2017")
        & (t.level == "Gemeinde")
        & (t.method == "constant")
        & (t.target_year == 2017)
    ].set_index("ags")
    np.testing.assert_allclose(g.predicted.loc[list(AGS_LIST)].to_numpy(), _totals(2009) * c)


def test_summary_covers_every_case_and_method(bt):
    s, t = bt.summary, bt.table
    assert len(s) == t.groupby(["case", "level", "method"]).ngroups
    assert {"mape", "median_ape", "mean_signed_error", "worst_municipality"} <= set(s.columns)
    row = s[(s.case == "Gemeinden 2017→2021/2023") & (s.level == "Gemeinde") & (s.method == "model")].iloc[0]
    g = t[(t.case == row.case) & (t.level == "Gemeinde") & (t.method == "model")]
    assert row.mape == pytest.approx(g.ape.mean()) and row.median_ape == pytest.approx(g.ape.median())
    assert row.worst_municipality == g.loc[g.ape.idxmax(), "municipality"]
    # with hindsight on migration, the engine itself tracks the municipalities closely
    post = s[(s.level == "Gemeinde") & (s.method == "model (migration ex post)")]
    assert (post.mape < 0.02).all()


def test_backtest_stays_a_function_after_its_module_is_imported():
    import importlib

    import dashboard.projection as p

    importlib.import_module("dashboard.projection.backtest")
    assert callable(p.backtest) and p.backtest() is p.backtest()


def test_summary_has_german_labels_for_every_method(bt):
    assert bt.summary.method_de.notna().all() and bt.summary.level_de.notna().all()
    assert "Linearer Trend" in set(bt.summary.method_de)
