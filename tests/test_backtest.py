"""Backtest: table contract, census neutrality, production specification, the issue-11 criteria."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.constants import AGS_LIST
from dashboard.projection import backtest, estimate_assumptions
from dashboard.projection.assumptions import EXCESS_DAMPING, KREIS_COMPOSITE_WEIGHT
from dashboard.projection.backtest import (
    METHODS,
    NAIVE_METHODS,
    TABLE_COLUMNS,
    _census_factor,
    basis_net_migration,
    criteria,
    kreis_annual_totals,
    kreis_net_migration,
    treatment_comparison,
)
from dashboard.projection.municipal import municipal_totals_at


@pytest.fixture(scope="module")
def bt():
    return backtest()


def test_table_contract_and_error_arithmetic(bt):
    t = bt.table
    assert list(t.columns) == TABLE_COLUMNS
    assert set(t.method) <= set(METHODS)
    assert {"model", "constant", "linear trend", "constant share", "official projection"} <= set(t.method)
    assert {"constant shares", "Kreis shares"} <= set(t.method)
    assert set(t.level) == {"Kreis", "Gemeinde", "Kreis-Altersgruppen", "Gemeinde-Altersgruppen"}
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
    np.testing.assert_array_equal(g.actual.loc[list(AGS_LIST)].to_numpy(), municipal_totals_at(2021))
    np.testing.assert_array_equal(g.predicted.loc[list(AGS_LIST)].to_numpy(), municipal_totals_at(2013))
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
    np.testing.assert_allclose(g.predicted.loc[list(AGS_LIST)].to_numpy(), municipal_totals_at(2009) * c)


def test_naive_constant_share_uses_the_linear_kreis_trend(bt):
    """``constant share`` = base share × the Kreis's linear trend (a naive Kreis total), not the model's."""
    t = bt.table
    sel = (t.case == "Gemeinden 2017→2021/2023") & (t.target_year == 2023)
    share = t[sel & (t.level == "Gemeinde") & (t.method == "constant share")].set_index("ags").predicted
    lin = t[sel & (t.level == "Gemeinde") & (t.method == "linear trend")].set_index("ags").predicted
    p17 = pd.Series(municipal_totals_at(2017), index=list(AGS_LIST))
    assert share.sum() == pytest.approx(lin.sum())  # the Kreis totals agree
    np.testing.assert_allclose((share / share.sum()).loc[list(AGS_LIST)], (p17 / p17.sum()).to_numpy())


def test_model_runs_the_production_rule_for_the_kreis_level():
    """Kreis net migration in a backtest = the Basis rule at that base year (worked from the series)."""
    k = kreis_annual_totals()
    nat = -0.004
    med, vals = kreis_net_migration(2017, nat)
    assert [y for y, _ in vals] == [2013, 2014, 2015, 2016, 2017]
    manual = [k[y] - k[y - 1] - nat * 0.5 * (k[y] + k[y - 1]) for y in range(2013, 2018)]
    assert med == pytest.approx(float(np.median(manual)))
    # the year whose growth crosses the Zensus-2011 break is left out
    assert 2012 not in [y for y, _ in kreis_net_migration(2014, nat)[1]]
    net, med2, _ = basis_net_migration(2017, nat, 262_889.0)
    w = KREIS_COMPOSITE_WEIGHT
    assert med2 == med and net == pytest.approx(w * med + (1 - w) * 0.004 * 262_889.0)
    # and production follows the same rule
    a = estimate_assumptions()
    assert a.net_migration == pytest.approx(w * a.net_migration_recent + (1 - w) * a.net_migration_constant)


def test_summary_covers_every_case_and_method(bt):
    s, t = bt.summary, bt.table
    assert len(s) == t.groupby(["case", "level", "method"]).ngroups
    assert {"mape", "mae_pp", "median_ape", "mean_signed_error", "worst_municipality"} <= set(s.columns)
    row = s[(s.case == "Gemeinden 2017→2021/2023") & (s.level == "Gemeinde") & (s.method == "model")].iloc[0]
    g = t[(t.case == row.case) & (t.level == "Gemeinde") & (t.method == "model")]
    assert row.mape == pytest.approx(g.ape.mean()) and row.median_ape == pytest.approx(g.ape.median())
    assert row.worst_municipality == g.loc[g.ape.idxmax(), "municipality"]
    assert np.isnan(row.mae_pp)
    ages = s[s.level == "Gemeinde-Altersgruppen"]
    assert ages.mae_pp.notna().all() and (ages.n == 15 * 11).all()
    # with hindsight on migration, the engine itself tracks the municipalities closely
    post = s[(s.level == "Gemeinde") & (s.method == "model (migration ex post)")]
    assert (post.mape < 0.03).all()


def test_issue_11_criteria_on_municipal_totals(bt):
    """Model mean MAPE ≤ best naive mean, and in no case more than 0.5 pp above that case's best naive."""
    c = criteria(bt.summary)
    s = bt.summary
    g = s[(s.level == "Gemeinde") & s.method.isin(("model",) + NAIVE_METHODS)]
    assert len(c) == 4 and set(c.best_naive_method) <= set(NAIVE_METHODS)
    for _, r in c[c.case != "mean"].iterrows():
        case = g[g.case == r.case].set_index("method").mape
        assert r.model == pytest.approx(case["model"]) and r.best_naive == pytest.approx(
            case[list(NAIVE_METHODS)].min()
        )
        assert r.gap <= 0.005, f"{r.case}: model {r.model:.4f} vs best naive {r.best_naive:.4f}"
    mean = c[c.case == "mean"].iloc[0]
    assert mean.model <= mean.best_naive


def test_issue_11_criteria_on_age_dynamics(bt):
    """2011→2022: the model's out-of-sample MAE of age shares is below both naive benchmarks."""
    s = bt.summary[bt.summary.level == "Gemeinde-Altersgruppen"].set_index("method")
    assert s.loc["model", "mae_pp"] < s.loc["constant shares", "mae_pp"]
    assert s.loc["model", "mae_pp"] < s.loc["Kreis shares", "mae_pp"]
    # the new model beats the former one (Kreis migration profile in every municipality)
    assert s.loc["model", "mae_pp"] < s.loc["model (Kreis profile)", "mae_pp"]


def test_treatment_choice_is_the_backtests_choice():
    """Production's excess damping is the best treatment (mean MAPE) at the production Kreis weight."""
    t = treatment_comparison()
    assert set(t.kreis_weight) >= {1.0, KREIS_COMPOSITE_WEIGHT, 0.0}
    at_w = t[t.kreis_weight == KREIS_COMPOSITE_WEIGHT].groupby(["window", "damping"]).mape.mean()
    assert at_w.idxmin()[1] == EXCESS_DAMPING
    # dropping the excess beats carrying it forward unchanged (the former model) in every case
    for case, g in t[t.kreis_weight == KREIS_COMPOSITE_WEIGHT].groupby("case"):
        by = g.set_index(["window", "damping"]).mape
        assert by[("lang", EXCESS_DAMPING)] < by[("kurz", 1.0)], case


def test_backtest_stays_a_function_after_its_module_is_imported():
    import importlib

    import dashboard.projection as p

    importlib.import_module("dashboard.projection.backtest")
    assert callable(p.backtest) and p.backtest() is p.backtest()


def test_summary_has_german_labels_for_every_method(bt):
    from dashboard.text import BACKTEST_LEVELS, BACKTEST_METHODS

    assert bt.summary.method.map(BACKTEST_METHODS).notna().all()
    assert bt.summary.level.map(BACKTEST_LEVELS).notna().all()
    assert "Linearer Trend" in set(bt.summary.method.map(BACKTEST_METHODS))
