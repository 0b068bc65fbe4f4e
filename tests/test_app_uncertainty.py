"""The uncertainty layer in the app: fan charts on three pages, the brief's interval text,
the interval and coverage downloads, the Methodik coverage table."""

from __future__ import annotations

import io

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def app():
    from dashboard.app import app as dash_app

    return dash_app


def _ids(component) -> set:
    out = set()
    stack = [component]
    while stack:
        c = stack.pop()
        if isinstance(c, (list, tuple)):
            stack.extend(c)
            continue
        if getattr(c, "id", None) is not None:
            out.add(c.id if isinstance(c.id, str) else str(c.id))
        kids = getattr(c, "children", None)
        if kids is not None and not isinstance(kids, str):
            stack.append(kids)
    return out


def test_pages_show_fan_charts(app):
    from dashboard.app.pages import gemeinde, szenarien, uebersicht

    assert {"gm-fan", "gm-fan-groesse", "gm-fan-tabelle"} <= _ids(gemeinde.layout(ags="05358012"))
    assert {"sz-fan", "sz-fan-tabelle"} <= _ids(szenarien.layout(ags="05358"))
    assert "ue-fan-details" in _ids(uebersicht.layout())  # the chart itself comes when it is opened
    assert {"ue-fan", "ue-fan-tabelle"} <= _ids(uebersicht.on_load_fan(1))


def test_fan_callbacks_follow_the_controls(app):
    from dashboard.app.pages import gemeinde, szenarien, uebersicht

    fig, _table = uebersicht.kreis_fan()
    assert "Kreis Düren" in fig.layout.title.text
    fig, table = gemeinde.on_fan("05358012", "n_80plus")
    assert "Heimbach" in fig.layout.title.text and "80" in fig.layout.title.text
    assert [t.name for t in fig.data if t.fill == "tonexty"] == ["95-%-Intervall", "80-%-Intervall"]
    lo, hi = szenarien.on_fan("05358", 1.4, 0, 0, None)[0], szenarien.on_fan("05358", 1.4, 0, 6000, None)[0]
    assert max(hi.data[-1].y) > max(lo.data[-1].y)  # more migration -> higher median


def test_brief_states_intervals_and_draws(app):
    from dashboard.app import _model
    from dashboard.app.pages import kurzbericht

    p = kurzbericht.interval_line("05358008", _model.ScenarioSpec())
    assert "2030: " in p.children and "80 %-Intervall" in p.children
    assert f"{_model.UNCERTAINTY_DRAWS} Simulationen" in p.children
    # the brief states the backtest coverage of the 80 % intervals at the municipal level
    from dashboard.text import fmt_pct

    cov = _model.backtest_coverage().set_index(["level", "nominal"])
    assert (
        f"lagen {fmt_pct(cov.loc[('Gemeinde', 0.8), 'coverage'], 0)} der Einwohnerzahlen der Gemeinden"
        in p.children
    )
    k = kurzbericht.interval_line("05358", _model.ScenarioSpec())
    assert (
        f"lagen {fmt_pct(cov.loc[('Kreis', 0.8), 'coverage'], 0)} der Einwohnerzahlen des Kreises"
        in k.children
    )


def test_interval_and_coverage_downloads(app):
    client = app.server.test_client()
    r = client.get("/download/intervalle.csv")
    assert r.status_code == 200
    df = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})
    lo80, hi80, lo95, hi95 = (f"{p}-%-Intervall {w}" for p in (80, 95) for w in ("von", "bis"))
    assert {"Median", lo80, hi80, lo95, hi95, "Simulationen"} <= set(df.columns)
    # the same simulation as the charts and the brief (issue 17.5)
    assert (df.Simulationen == _model_draws()).all()
    assert (df[lo95] <= df[lo80]).all() and (df[hi80] <= df[hi95]).all()
    r = client.get("/download/trefferquote.csv")
    assert r.status_code == 200
    cov = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", encoding="utf-8-sig")
    assert set(cov.Ebene) == {"Kreis", "Gemeinden"} and set(cov["Sollwert (%)"]) == {80.0, 95.0}


def _model_draws() -> int:
    from dashboard.app import _model

    return _model.UNCERTAINTY_DRAWS


def test_methodik_shows_coverage_table(app):
    from dashboard.app.pages import methodik

    assert {"mt-coverage", "mt-drivers"} <= _ids(methodik.layout())


def test_own_scenario_fan_rescales_the_basis_simulation(app):
    """An own scenario's band is the Basis quantiles times (own path / Basis path), per region and
    year; presets keep their own exact simulation."""
    from dashboard.app import _model
    from dashboard.app.pages import szenarien

    basis = _model.probabilistic(_model.ScenarioSpec()).quantiles
    spec = _model.parse_scenario(_model.CUSTOM, "1.1", "2", "500")
    q, draws, exact = _model.scenario_fan(spec)
    assert not exact and draws == _model.UNCERTAINTY_DRAWS
    det = _model.result(spec).indicators.set_index(["ags", "year"]).population
    det_b = _model.result(_model.ScenarioSpec()).indicators.set_index(["ags", "year"]).population
    pop = q[q.quantity == "population"].set_index(["ags", "year"])
    b = basis[basis.quantity == "population"].set_index(["ags", "year"])
    assert len(pop) == len(b)
    for ags, year in [("05358", 2045), ("05358012", 2035)]:
        r = det.loc[(ags, year)] / det_b.loc[(ags, year)]
        assert r != pytest.approx(1.0, abs=1e-4)  # the scenario really moves the path
        for c in ("q025", "q10", "q50", "q90", "q975"):
            assert pop.loc[(ags, year), c] == pytest.approx(b.loc[(ags, year), c] * r, rel=1e-9)
        assert pop.loc[(ags, year), "q025"] < pop.loc[(ags, year), "q50"] < pop.loc[(ags, year), "q975"]
    # the slider left at the Basis marks gives exactly the Basis band
    q0, _, _ = _model.scenario_fan(szenarien.own_spec(None, None, None))
    p0 = q0[q0.quantity == "population"].set_index(["ags", "year"])
    assert (p0[["q025", "q50", "q975"]] == b[["q025", "q50", "q975"]]).all().all()
    # presets: their own simulation, unchanged
    qp, _, exact_p = _model.scenario_fan(_model.ScenarioSpec("basis"))
    assert exact_p and qp.equals(basis)  # equal, not necessarily the same object (warm-up thread)
    fig, _table = szenarien.fan_view("05358", spec)
    assert max(fig.data[4].y) == pytest.approx(pop.loc["05358"].q50.max())


def test_overview_fan_waits_until_opened(app):
    """On "/" the fan chart sits in a closed section and is computed only once opened."""
    import dash

    from dashboard.app.pages import uebersicht

    for n_clicks in (None, 0, 2, 3):  # not clicked yet; closed and reopened: the chart is there
        with pytest.raises(dash.exceptions.PreventUpdate):
            uebersicht.on_load_fan(n_clicks)
    fig, _ = uebersicht.kreis_fan()
    assert len(fig.data) >= 5
    assert {"ue-fan", "ue-fan-tabelle"} <= _ids(uebersicht.on_load_fan(1))
