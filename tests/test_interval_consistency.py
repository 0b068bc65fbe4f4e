"""The interval numbers are a pure function of (data version, scenario, draws, seed).

Whether the app's background warm-up has run, is running or never ran, and whatever release is
served meanwhile (a publish; in tests, another test serving its own tables while a background
thread computes), the brief, the fan charts, ``intervalle.csv`` and the PDF show the numbers of
the calibrated simulation of the data version they are keyed on.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data import imports, load_population
from dashboard.projection import uncertainty as unc

ROOT = Path(__file__).resolve().parents[1]

#: Run in a fresh interpreter right after the app's import, which starts the background warm-up
#: thread: ``cold`` asks at once (the warm-up still runs), ``warm`` once the warm-up has finished.
_PROBE = """
import hashlib, json, sys, threading
import dashboard.app
from dashboard.app import _model
from dashboard.figures.fan import interval_text
if sys.argv[1] == "warm":
    for t in threading.enumerate():
        if t.name.startswith("warm-up"):
            t.join()
specs = [_model.ScenarioSpec(), _model.parse_scenario("zuwanderung_hoch"),
         _model.parse_scenario("eigenes", wanderung=1000)]
out = {"tables": [hashlib.sha256(_model.interval_table(s).to_csv().encode()).hexdigest() for s in specs],
       "brief": [interval_text(_model.scenario_fan(specs[0])[0], ags=a, year=y)
                 for a in ("05358008", "05358012") for y in (2030, 2045)],
       "scale": repr(_model.probabilistic(specs[0]).driver_scale)}
print(json.dumps(out))
"""


def _start_probe(mode: str) -> subprocess.Popen:
    env = {**os.environ, "DASHBOARD_WARM_UP": "background", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", _PROBE, mode],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def test_cold_and_warm_processes_show_the_same_intervals():
    """The brief's interval numbers (the same quantiles as the fan charts and ``intervalle.csv``)
    asked while the app's background warm-up runs equal those asked after it finished."""
    cold, warm = _start_probe("cold"), _start_probe("warm")
    cold, warm = _result(cold), _result(warm)
    assert cold == warm
    assert "DriverScale(" in cold["scale"]  # the calibrated spread, not None
    assert cold["brief"][3].startswith("2045: ") and "80 %-Intervall" in cold["brief"][3]


# ----------------------------------------------------------------------------- one data version


@pytest.fixture
def other_release(monkeypatch):
    """``switch(table)`` makes the site serve another release from now on, in every thread (as a
    publish in another thread would); ``table``: its SYNTHETIC official table for Düren (40 women
    moved from age 30 to 31 — test data, not official figures). Undone after the test."""

    def switch(table: bool = False) -> tuple:
        frames = ()
        if table:
            d = load_population(2024).query("ags == '05358008'")
            women = d.sex == "female"
            shift = 40 * ((women & (d.age == 31)).astype(int) - (women & (d.age == 30)).astype(int))
            frames = (
                pd.DataFrame(
                    {
                        "ags": d.ags,
                        "year": 2024,
                        "sex": d.sex,
                        "age_min": d.age,
                        "age_max": d.age,
                        "population": d.population + shift,
                        "table": "SYNTHETIC test fixture (not official data)",
                    }
                ).reset_index(drop=True),
            )
        fake = imports.Served(99_001 + len(frames), 0, frames)
        monkeypatch.setattr(imports, "served", lambda refresh=False: fake)
        return ("tables", fake.release, ())

    return switch


def test_a_cached_view_keeps_the_version_it_was_computed_with(other_release, monkeypatch):
    from dashboard.app import _model, _viewcache

    @_model.per_data_version(maxsize=4)
    def model_view():
        other_release()  # published while the body computes
        return _model.data_version()

    @_viewcache.view_cache(maxsize=4)
    def page_view():
        other_release()
        return _model.data_version()

    for view in (model_view, page_view):
        before = _model.data_version()
        assert view() == before  # computed with the version of its key, not the new one
        assert _model.data_version() == ("tables", 99_001, ())
        monkeypatch.undo()  # the old release again: its entry is still right
        assert view() == before


def test_pinned_thread_sees_one_release_others_see_the_new_one(other_release):
    import threading

    from dashboard.data import data_version, one_data_version, served_state

    seen = {}
    with one_data_version() as v:
        new = other_release()
        assert data_version() == v and served_state() is not imports.served()
        t = threading.Thread(target=lambda: seen.setdefault("other", data_version()))
        t.start()
        t.join()
        with one_data_version() as inner:  # nested: the outer version
            assert inner == v
    assert seen["other"] == new and data_version() == new


def test_probabilistic_projection_is_keyed_on_the_data_it_used(other_release, monkeypatch):
    """A release published while a cold simulation reads its inputs: the result stored under the
    old key is the old data's (before the fix: the new release's numbers under the old key)."""
    from dashboard.data import data_version

    key = data_version()
    real_inputs = unc.kernel_inputs
    monkeypatch.setattr(unc, "kernel_inputs", lambda sc: (other_release(table=True), real_inputs(sc))[1])
    args = dict(draws=24, seed=97_531)  # a key no other test computes
    got = unc.project_probabilistic(**args)
    monkeypatch.undo()  # the old release is served again
    assert data_version() == key and unc.project_probabilistic(**args) is got
    ref = unc._project_probabilistic.__wrapped__(
        unc.PRESETS["basis"],
        24,
        97_531,
        unc.fitted_municipal_error(),
        1.0,
        "fast",
        key,
        driver_scale=unc.fitted_driver_scale(),
    )
    pd.testing.assert_frame_equal(got.quantiles, ref.quantiles)


# ----------------------------------------------------------------------------- every app entry


def test_every_app_entry_shows_the_calibrated_simulation():
    """Brief, fan chart data, ``intervalle.csv`` and the PDF's brief: the quantiles of the seeded
    simulation with the calibrated driver scale (recomputed here independently of every cache)."""
    from dashboard.app import _model, _pdf, app
    from dashboard.app.pages import kurzbericht
    from dashboard.data import data_version
    from dashboard.figures.fan import interval_text

    spec = _model.ScenarioSpec("zuwanderung_hoch")
    scale = unc.fitted_driver_scale()
    assert scale.nu > 0

    def simulation(driver_scale):
        return unc._project_probabilistic.__wrapped__(
            spec.scenario(),
            _model.UNCERTAINTY_DRAWS,
            unc.DEFAULT_SEED,
            unc.fitted_municipal_error(),
            1.0,
            "fast",
            data_version(),
            driver_scale=driver_scale,
        ).quantiles

    ref, uncalibrated = simulation(scale), simulation(None)
    assert not ref[list(unc.QUANTILES)].equals(
        uncalibrated[list(unc.QUANTILES)]
    )  # the test can tell them apart

    assert _model.probabilistic(spec).driver_scale == scale
    fan, draws, exact = _model.scenario_fan(spec)
    assert exact and draws == _model.UNCERTAINTY_DRAWS
    pd.testing.assert_frame_equal(fan.reset_index(drop=True), ref.reset_index(drop=True))

    table = _model.interval_table(spec)
    for col, q in (("median", "q50"), ("lower_80", "q10"), ("upper_80", "q90"), ("lower_95", "q025")):
        assert table[col].tolist() == ref[q].tolist()

    r = app.server.test_client().get("/download/intervalle.csv?szenario=zuwanderung_hoch&exakt=ja")
    assert r.status_code == 200
    csv = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})
    assert csv["Median"].to_numpy() == pytest.approx(ref.q50.to_numpy(), rel=1e-12)

    ags = "05358012"
    expected = "; ".join(interval_text(ref, ags=ags, year=y) for y in (2030, 2045))
    assert expected in kurzbericht.interval_line(ags, spec).children
    assert expected in _pdf.brief_document(ags, spec, public_url=None)
