"""The public API ``dashboard.api`` (``import dashboard.api as kd``): one flat namespace that
re-exports the package's own objects (nothing wrapped, nothing copied) and gives the same
results as the modules behind it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

import dashboard.api as kd


def test_every_public_name_exists_and_nothing_else_is_public():
    assert len(set(kd.__all__)) == len(kd.__all__)
    assert [n for n in kd.__all__ if not hasattr(kd, n)] == []
    public = {n for n in vars(kd) if not n.startswith("_") and n != "annotations"}
    assert public == set(kd.__all__)


def test_names_are_the_objects_of_their_modules():
    from dashboard.data.measures import active_catalogue
    from dashboard.projection import engine, local, measures_link, scenario_file, uncertainty
    from dashboard.projection.accuracy import report_tables
    from dashboard.projection.backtest import backtest

    assert kd.project is engine.project and kd.Scenario is engine.Scenario
    assert kd.backtest is backtest and kd.accuracy_tables is report_tables
    assert kd.measure_coverage is measures_link.coverage and kd.active_catalogue is active_catalogue
    assert kd.project_probabilistic is uncertainty.project_probabilistic
    assert kd.LocalScenario is local.LocalScenario and kd.describe_local is local.describe
    assert kd.scenario_to_json is scenario_file.to_json and kd.scenario_from_json is scenario_file.from_json


def test_analysis_through_the_api_equals_the_model():
    """The Basis, a local scenario and its JSON round trip through the API."""
    from dashboard.projection import project

    basis = kd.project(kd.PRESETS["basis"])
    assert basis.kreis_total(2030) == project(kd.PRESETS["basis"]).kreis_total(2030)
    housing = kd.parse_new_housing("05358044:2026-2030:200")
    own = kd.Scenario("Neubau", local=kd.LocalScenario(new_housing=(housing,)))
    assert kd.format_new_housing(housing) == "05358044:2026-2030:200"
    doc = kd.scenario_from_json(kd.scenario_to_json(own, title="Neubau"))
    assert doc.scenario == own and doc.title == "Neubau"
    with_housing = kd.project(own)
    gain = with_housing.kreis_total(2030) - basis.kreis_total(2030)
    assert gain > 0 and np.isfinite(gain)  # 1,000 dwellings add people to the Kreis


def test_import_loads_no_dash_and_no_flask():
    """Analysts get figures (Plotly) but not the web app."""
    code = (
        "import sys, dashboard.api; "
        "print(sorted(m for m in ('dash', 'flask', 'dashboard.app') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
