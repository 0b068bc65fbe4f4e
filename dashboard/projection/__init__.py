"""Cohort-component projection of Kreis Düren's municipalities (no Dash/Plotly imports).

Public API::

    from dashboard.projection import (Scenario, PRESETS, project, solve_net_migration_for_target,
                                      estimate_assumptions, backtest, ProjectionResult)

Modules: :mod:`~dashboard.projection.kernel` (vectorised one-year step, draw axis
supported), :mod:`~dashboard.projection._reference` (slow loop oracle),
:mod:`~dashboard.projection.assumptions` (rates estimated from official data),
:mod:`~dashboard.projection.scenarios`, :mod:`~dashboard.projection.engine`
(:func:`project`), :mod:`~dashboard.projection.backtest`, :mod:`~dashboard.projection.export`.
statsmodels is imported lazily (first :func:`estimate_assumptions` call).
"""

from dashboard.projection.assumptions import Assumptions, estimate_assumptions
# Imported eagerly: a lazy wrapper named like the submodule would be replaced by the submodule
# object on the first ``import dashboard.projection.backtest`` (the package attribute is rebound).
from dashboard.projection.backtest import backtest
from dashboard.projection.engine import ProjectionResult, project, solve_net_migration_for_target
from dashboard.projection.scenarios import PRESETS, Scenario


__all__ = ["Assumptions", "PRESETS", "ProjectionResult", "Scenario", "backtest", "estimate_assumptions",
           "project", "solve_net_migration_for_target"]
