"""Choropleth map of the 15 municipalities (VG250 polygons, © GeoBasis-DE / BKG).

Drawn as filled polygons on plain x/y axes (longitude scaled by cos(latitude)), so the map
needs no base map, tiles or topojson from the internet (works offline and in print).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard.figures import _fast as fast
from dashboard.figures.labels import DIVERGING_SCALE, MAP_SCALE, region_name, style
from dashboard.text import fmt_value


def _rings(geometry: dict) -> list[list]:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [poly[0] for poly in polys]  # outer rings (the 15 polygons have no holes that matter here)


def choropleth(
    values: pd.DataFrame, geojson: dict, *, title: str, kind: str, diverging: bool = False
) -> go.Figure:
    """Municipalities coloured by ``value``.

    Parameters
    ----------
    values : DataFrame ``ags, value`` (one row per municipality; shares as fractions).
    geojson : FeatureCollection whose features carry ``properties.AGS`` and ``name``.
    kind : formatter kind of :func:`dashboard.text.fmt_value` (``int``, ``pct`` …).
    diverging : centre the colour scale on 0 (for changes).

    Returns a figure with one filled trace per municipality (named after it), a text
    layer of names and values, and an invisible trace carrying the colour bar.
    """
    v = values.set_index("ags")["value"]
    if diverging:
        m = float(v.abs().max()) or 1.0
        lo, hi, scale = -m, m, DIVERGING_SCALE
    else:
        lo, hi, scale = float(v.min()), float(v.max()), MAP_SCALE
    span = (hi - lo) or 1.0
    lat0 = sum(c[1] for f in geojson["features"] for r in _rings(f["geometry"]) for c in r) / max(
        1, sum(len(r) for f in geojson["features"] for r in _rings(f["geometry"]))
    )
    kx = math.cos(math.radians(lat0))
    fig = fast.Figure()
    lx, ly, lt = [], [], []
    for f in sorted(geojson["features"], key=lambda f: f["properties"]["AGS"]):
        ags = f["properties"]["AGS"]
        if ags not in v.index:
            continue
        val = float(v[ags])
        color = sample_colorscale(scale, [(val - lo) / span])[0]
        xs, ys = [], []
        for ring in _rings(f["geometry"]):
            xs += [c[0] * kx for c in ring] + [None]
            ys += [c[1] for c in ring] + [None]
        text = f"{region_name(ags)}: {fmt_value(val, kind)}"
        fig.add_trace(
            fast.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=color,
                mode="lines",
                line={"color": "white", "width": 1.2},
                name=region_name(ags),
                hoveron="fills",
                text=text,
                hovertemplate="%{text}<extra></extra>",
                showlegend=False,
                customdata=[[ags, val]],
            )
        )
        big = max(_rings(f["geometry"]), key=len)
        lx.append(sum(c[0] for c in big[:-1]) / max(1, len(big) - 1) * kx)
        ly.append(sum(c[1] for c in big[:-1]) / max(1, len(big) - 1))
        lt.append(f"{f['properties'].get('name', ags)}<br>{fmt_value(val, kind)}")
    fig.add_trace(
        fast.Scatter(
            x=lx,
            y=ly,
            text=lt,
            mode="text",
            hoverinfo="skip",
            showlegend=False,
            textfont={
                "size": 10,
                "color": "#111111",
                "shadow": "0 0 2px white, 0 0 3px white, 0 0 4px white",
            },
        )
    )
    tick = {"pct": ".0%", "int": ",.0f"}.get(kind, ".1f")
    fig.add_trace(
        fast.Scatter(
            x=[lx[0], lx[0]] if lx else [0, 0],
            y=[ly[0], ly[0]] if ly else [0, 0],
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker={
                "size": 0.1,
                "opacity": 0,
                "color": [lo, hi],
                "colorscale": scale,
                "cmin": lo,
                "cmax": hi,
                "showscale": True,
                "colorbar": {"tickformat": tick, "thickness": 14, "len": 0.8},
            },
        )
    )
    style(fig, title=title, height=520)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 50, "b": 0}, plot_bgcolor="white")
    return fig
