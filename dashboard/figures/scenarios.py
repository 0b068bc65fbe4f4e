"""Scenario comparison: one curve per scenario against the base scenario ("Basis")."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import _fast as fast
from dashboard.figures.labels import OKABE_ITO, SEQUENCE, region_name, style
from dashboard.figures.trends import _hover, _tickformat, add_bands, value_range
from dashboard.text import GROUP_INDICATORS, INDICATORS


def scenario_figure(
    results: dict[str, pd.DataFrame],
    *,
    ags: str,
    indicator: str = "population",
    base_label: str = "Basis",
    bands: pd.DataFrame | None = None,
) -> go.Figure:
    """Curves of ``indicator`` for several scenarios; the base scenario is black and thick.

    Parameters
    ----------
    results : scenario label -> ``indicators`` frame (``ags, year, <indicator>, projected``).
        The entry named ``base_label`` is drawn as the reference. ``indicator`` is a key of
        :data:`~dashboard.text.INDICATORS` or of :data:`~dashboard.text.GROUP_INDICATORS`
        (persons of a planning age group, column ``alter_3-5`` etc.).
    bands : optional uncertainty band frame for the base scenario (see
        :func:`dashboard.figures.trends.add_bands`).
    """
    label, kind, _ = {**INDICATORS, **GROUP_INDICATORS}[indicator]
    fig = fast.Figure()
    shown = []
    add_bands(fig, bands, ags=ags, color=OKABE_ITO["black"])
    others = [k for k in results if k != base_label]
    dashes = ["dash", "dot", "dashdot", "longdash", "longdashdot"]
    order = ([base_label] if base_label in results else []) + others
    for i, name in enumerate(order):
        d = results[name]
        d = d[d.ags == ags].sort_values("year")
        is_base = name == base_label
        shown.append(d[indicator])
        color = OKABE_ITO["black"] if is_base else SEQUENCE[(i - 1) % len(SEQUENCE)]
        fig.add_trace(
            fast.Scatter(
                x=d.year,
                y=d[indicator],
                mode="lines",
                name=name,
                line={
                    "color": color,
                    "width": 3.5 if is_base else 2.2,
                    "dash": "solid" if is_base else dashes[(i - 1) % len(dashes)],
                },
                hovertemplate=f"%{{x}}: {_hover(kind)}<extra>{name}</extra>",
            )
        )
    style(fig, title=f"{label}: {region_name(ags)} – Szenarien im Vergleich", height=430)
    fig.update_xaxes(tickformat="d", title=None)
    values = pd.concat(shown) if shown else pd.Series(dtype=float)
    fig.update_yaxes(tickformat=_tickformat(kind), title=None, range=value_range(values, kind))
    return fig
