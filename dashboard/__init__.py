"""Kreis Düren 2030 — demographic analytics for the 15 municipalities of Kreis Düren.

Layers (imports go one way only)::

    dashboard.data        official files -> tidy tables, validation, provenance
    dashboard.projection  cohort-component model, assumptions, scenarios, backtest
    dashboard.figures     pure Plotly figure builders, German labels/number formats
    dashboard.app         the Dash app (pages, thin callbacks)
"""

__version__ = "0.1.0"
