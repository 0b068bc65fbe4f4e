"""Cohort-component projection of Kreis Düren's municipalities (no Dash/Plotly imports).

Public API::

    from dashboard.projection import (Scenario, PRESETS, project, solve_net_migration_for_target,
                                      estimate_assumptions, backtest, ProjectionResult,
                                      LocalScenario, NewHousing, OwnMigration, OneOffChange)

Modules: :mod:`~dashboard.projection.kernel` (vectorised one-year step, draw axis
supported), :mod:`~dashboard.projection._reference` (slow loop oracle),
:mod:`~dashboard.projection.assumptions` (rates estimated from official data),
:mod:`~dashboard.projection.scenarios`, :mod:`~dashboard.projection.local` (a municipality's
own plans: Neubau, own net migration, one-off changes), :mod:`~dashboard.projection.engine`
(:func:`project`), :mod:`~dashboard.projection.backtest`. Files (Excel/CSV) of a result are
written by :mod:`dashboard.export`; the model opens no file.
statsmodels is imported lazily (first :func:`estimate_assumptions` call).
"""

from dashboard.projection.assumptions import Assumptions, estimate_assumptions, method_text_de

# The function shadows its module's name in this package namespace on purpose; it must be
# imported here (not lazily), or a later ``import dashboard.projection.backtest`` would
# replace the package attribute ``backtest`` by the module.
from dashboard.projection.backtest import BacktestResult, backtest  # noqa: E402
from dashboard.projection.engine import ProjectionResult, project, solve_net_migration_for_target
from dashboard.projection.local import LocalScenario, NewHousing, OneOffChange, OwnMigration
from dashboard.projection.scenarios import PRESETS, Scenario

__all__ = [
    "Assumptions",
    "BacktestResult",
    "LocalScenario",
    "NewHousing",
    "OneOffChange",
    "OwnMigration",
    "PRESETS",
    "ProjectionResult",
    "Scenario",
    "backtest",
    "estimate_assumptions",
    "method_text_de",
    "project",
    "solve_net_migration_for_target",
]
