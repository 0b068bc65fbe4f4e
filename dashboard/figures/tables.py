"""Text alternatives: a tidy table behind every chart, built from the figure itself.

``figure_table(fig)`` reads the (x, y) pairs of every visible trace, so the table always
matches what is drawn (screen readers get the same numbers as the chart).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def figure_table(fig: go.Figure, *, max_rows: int = 400) -> pd.DataFrame:
    """Long table ``series, x, y`` (or ``series, region, value`` for maps) of a figure.

    Bars of horizontal pyramids are reported with positive values. Traces without a name
    or drawn as helper (no legend, no hover) are skipped. At most ``max_rows`` rows.
    """
    rows: list[dict] = []
    for tr in fig.data:
        if tr.type == "choropleth":
            rows += [{"Reihe": "Wert", "x": loc, "y": z} for loc, z in zip(tr.locations, tr.z)]
            continue
        if tr.type not in ("scatter", "bar") or not tr.name or tr.hoverinfo == "skip":
            continue
        if getattr(tr, "fill", None) == "toself" and tr.customdata is not None:  # map polygon
            rows.append({"Reihe": tr.name, "x": "", "y": tr.customdata[0][1]})
            continue
        horizontal = getattr(tr, "orientation", None) == "h"
        xs, ys = (tr.y, tr.x) if horizontal else (tr.x, tr.y)
        if xs is None or ys is None:
            continue
        for x, y in zip(xs, ys):
            rows.append({"Reihe": tr.name, "x": _x(x), "y": abs(y) if horizontal and y is not None else y})
    return pd.DataFrame(rows[:max_rows], columns=["Reihe", "x", "y"])


def _x(x):
    if isinstance(x, pd.Timestamp):
        return x.date()
    try:
        return pd.Timestamp(x).date() if isinstance(x, str) and len(x) >= 10 else x
    except ValueError:
        return x
