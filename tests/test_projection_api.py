"""The public projection API keeps its names bound to the right objects."""

from __future__ import annotations

import subprocess
import sys


def test_backtest_name_stays_a_function_after_submodule_import():
    code = (
        "import sys, types, importlib; importlib.import_module('dashboard.projection.backtest'); "
        "m = sys.modules['dashboard.projection.backtest']; "
        "from dashboard.projection import backtest; "
        "assert not isinstance(backtest, types.ModuleType), type(backtest); "
        "assert backtest is m.backtest"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_projection_imports_without_dash_plotly_or_statsmodels_api():
    code = (
        "import sys, dashboard.projection, dashboard.projection.uncertainty, "
        "dashboard.projection.calibration, dashboard.projection.coverage, dashboard.projection.drivers; "
        "bad = [m for m in ('dash', 'plotly', 'statsmodels.api') if m in sys.modules]; "
        "assert not bad, bad"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
