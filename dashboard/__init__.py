"""Kreis Düren 2030 — demographic analytics for the 15 municipalities of Kreis Düren.

Layers (imports go one way only)::

    dashboard.data        official files -> tidy tables, validation, provenance
    dashboard.projection  cohort-component model, assumptions, scenarios, backtest
    dashboard.figures     pure Plotly figure builders, palette and house style
    dashboard.app         the Dash app (pages, thin callbacks)
    dashboard.text        the floor: German number/date formatter and message catalogue
                          (imported by every layer, imports nothing of the project)
"""

import os

# The model's matrices are small (at most a few thousand cells); multi-threaded BLAS only adds
# synchronisation overhead, which made the statsmodels fits 10-20x slower on a busy 2-core
# machine (measured: 17-35 s vs 1.7 s). Must be set before numpy loads; an explicit setting in
# the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

__version__ = "0.1.0"
