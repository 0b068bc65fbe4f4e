"""Text alternatives: a tidy table behind every chart, built from the figure itself.

``figure_table(fig)`` reads the (x, y) pairs of every named trace from the figure's
plain dict, so the table always matches what is drawn (screen readers get the same
numbers as the chart); ``wide_table`` pivots it to one row per x and one column per series.

Values keep their sign (a decline of 17 persons is −17 in the table as on the bar). The only
exception is declared by the figure: a trace with ``meta={"table": {"abs": True}}`` (the
pyramid's men, drawn to the left) reports absolute values. ``meta={"table": {"x": "y"}}``
says that the category of a (vertical) line trace is its y value (the pyramid's outline);
``meta={"table": {"name": …}}`` names the table column when the legend name is shared.
Categories keep the order in which the figure draws them (age groups in age order); numbers
and dates are sorted.
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
        if "shape" not in v:
            return arr.tolist()
        shape = v["shape"]  # plotly writes "15, 5" (text) for 2-d arrays
        shape = (
            tuple(int(n) for n in str(shape).split(",")) if not isinstance(shape, (list, tuple)) else shape
        )
        return arr.reshape(shape).tolist()
    return list(v.tolist() if hasattr(v, "tolist") else v)


def figure_table(fig: go.Figure, *, max_rows: int = 5000) -> pd.DataFrame:
    """Long table ``Reihe, x, y`` of a figure's named traces.

    Horizontal bars report their category (y) as x and their length as y, sign kept unless
    the trace is marked ``meta.table.abs``. Map polygons report their value
    (``customdata[0][1]``) with an empty x. Helper traces (no name or ``hoverinfo="skip"``)
    are left out.
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
        meta = tr.get("meta") if isinstance(tr.get("meta"), dict) else {}
        how = meta.get("table", {}) if isinstance(meta.get("table"), dict) else {}
        xs, ys = _values(tr.get("x")), _values(tr.get("y"))
        if tr.get("orientation") == "h" or how.get("x") == "y":
            xs, ys = ys, xs
        if how.get("abs"):
            ys = [abs(v) if v is not None else v for v in ys]
        name = how.get("name", tr["name"])
        rows += [{"Reihe": name, "x": _x(x), "y": y} for x, y in zip(xs, ys)]
    return pd.DataFrame(rows[:max_rows], columns=["Reihe", "x", "y"])


def wide_table(fig: go.Figure) -> pd.DataFrame:
    """One row per x value, one column per series (first-seen order), from :func:`figure_table`.

    Rows: numbers and dates ascending; categories (text) in the order the figure draws them.
    """
    t = figure_table(fig)
    if t.empty:
        return t
    order = list(dict.fromkeys(t.Reihe))
    rows = list(dict.fromkeys(t.x))
    if all(_sortable(x) for x in rows):
        rows = sorted(rows)
    w = t.drop_duplicates(["Reihe", "x"]).pivot(index="x", columns="Reihe", values="y")
    return w.reindex(index=rows, columns=order).rename_axis("x").reset_index()


def _sortable(x) -> bool:
    import datetime as dt

    return isinstance(x, (int, float, dt.date)) and not isinstance(x, bool)


def _x(x):
    if isinstance(x, pd.Timestamp):
        return x.date()
    if isinstance(x, str) and len(x) >= 10 and x[4] == "-":
        try:
            return pd.Timestamp(x).date()
        except ValueError:
            return x
    return x
