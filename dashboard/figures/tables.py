"""Text alternatives: a tidy table behind every chart, built from the figure itself.

``figure_table(fig)`` reads the (x, y) pairs of every named trace from the figure's
plain dict, so the table always matches what is drawn (screen readers get the same
numbers as the chart); ``wide_table`` pivots it to one row per x and one column per series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go


def _values(v) -> list:
    if v is None:
        return []
    if isinstance(v, dict) and "bdata" in v:  # plotly's base64 typed arrays
        import base64

        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return arr.reshape(v["shape"]).tolist() if "shape" in v else arr.tolist()
    return list(v.tolist() if hasattr(v, "tolist") else v)


def figure_table(fig: go.Figure, *, max_rows: int = 5000) -> pd.DataFrame:
    """Long table ``Reihe, x, y`` of a figure's named traces.

    Horizontal bars (pyramids) report positive values with the age as x. Map polygons
    report their value (``customdata[0][1]``) with an empty x. Helper traces (no name or
    ``hoverinfo="skip"``) are left out.
    """
    rows: list[dict] = []
    for tr in fig.to_dict()["data"]:
        if (
            tr.get("type", "scatter") not in ("scatter", "bar")
            or not tr.get("name")
            or tr.get("hoverinfo") == "skip"
        ):
            continue
        if tr.get("fill") == "toself" and tr.get("customdata") is not None:  # map polygon
            rows.append({"Reihe": tr["name"], "x": "", "y": _values(tr["customdata"])[0][1]})
            continue
        horizontal = tr.get("orientation") == "h"
        xs, ys = _values(tr.get("x")), _values(tr.get("y"))
        if horizontal:
            xs, ys = ys, [abs(v) if v is not None else v for v in xs]
        rows += [{"Reihe": tr["name"], "x": _x(x), "y": y} for x, y in zip(xs, ys)]
    return pd.DataFrame(rows[:max_rows], columns=["Reihe", "x", "y"])


def wide_table(fig: go.Figure) -> pd.DataFrame:
    """One row per x value, one column per series (first-seen order), from :func:`figure_table`."""
    t = figure_table(fig)
    if t.empty:
        return t
    order = list(dict.fromkeys(t.Reihe))
    w = t.drop_duplicates(["Reihe", "x"]).pivot(index="x", columns="Reihe", values="y")
    return w.reindex(columns=order).reset_index()


def _x(x):
    if isinstance(x, pd.Timestamp):
        return x.date()
    if isinstance(x, str) and len(x) >= 10 and x[4] == "-":
        try:
            return pd.Timestamp(x).date()
        except ValueError:
            return x
    return x
