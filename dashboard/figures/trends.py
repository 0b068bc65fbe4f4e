"""Line charts over time: history across census breaks, indicator trends, small multiples,
planning age groups and the demographic components.

All builders are pure: ``figure(frame, *, ags, ...) -> go.Figure``. Frames follow the
projection contract (``dashboard.projection.ProjectionResult``):

* ``indicators``: ``ags, year, population, median_age, old_age_dependency, n_65plus,
  share_65plus, n_80plus, share_80plus, projected, estimated`` (one row per ags × year,
  Kreis rows under ``"05358"``); shares are fractions 0..1.
* ``age_groups``: ``ags, year, age_group, population, share``.
* ``components``: ``ags, year, sex, births, deaths, net_migration`` (persons per year).

Optional ``bands=`` arguments take a frame ``ags, year, lower, upper, level`` (e.g. 0.8)
for uncertainty fans; they are drawn under the central line when given.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.constants import AGS_LIST, KREIS_AGS
from dashboard.figures import _fast as fast
from dashboard.figures.labels import AXIS, OKABE_ITO, SEQUENCE, base_layout, region_name, style
from dashboard.text import COMPONENT_LABELS, INDICATORS, PLANNING_GROUP_LABELS, fmt_date, fmt_signed_int

BASIS_COLORS = {
    "VZ 1987": OKABE_ITO["grey"],
    "Zensus 2011": OKABE_ITO["blue"],
    "Zensus 2022": OKABE_ITO["vermillion"],
}


def _hover(kind: str) -> str:
    return {"int": "%{y:,.0f}", "pct": "%{y:.1%}", "ratio": "%{y:.1f}", "dec1": "%{y:.1f}"}[kind]


def _tickformat(kind: str) -> str:
    return {"int": ",.0f", "pct": ".0%", "ratio": ".0f", "dec1": ".0f"}[kind]


#: Smallest span of a value axis, by kind: counts and ratios 10 % of the largest value, shares
#: 5 percentage points. A nearly flat line (Heimbach: 17 persons on 4.500) then looks flat.
MIN_SPAN = {"int": 0.10, "ratio": 0.10, "dec1": 0.10, "pct": 0.05}


def value_range(values, kind: str) -> list[float] | None:
    """Y-axis range for lines of ``kind``: the data plus 5 % padding, widened symmetrically to at
    least :data:`MIN_SPAN` (relative for counts and ratios, absolute for shares); counts never go
    below zero through the widening. None when there is nothing finite to show."""
    import numpy as np

    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v)]
    if not v.size:
        return None
    lo, hi = float(v.min()), float(v.max())
    pad = 0.05 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    rel = MIN_SPAN.get(kind, 0.10)
    need = rel if kind == "pct" else rel * max(abs(lo), abs(hi))
    if hi - lo < need:
        mid = (hi + lo) / 2
        lo, hi = mid - need / 2, mid + need / 2
        if kind != "pct" and lo < 0 <= min(v):
            lo, hi = 0.0, need
    return [lo, hi]


def add_bands(
    fig: go.Figure,
    bands: pd.DataFrame | None,
    *,
    ags: str,
    color: str,
    row: int | None = None,
    col: int | None = None,
) -> None:
    """Draw uncertainty bands (``ags, year, lower, upper, level``) as filled areas.

    Reserved for the uncertainty work; does nothing when ``bands`` is None or empty.
    """
    if bands is None or bands.empty:
        return
    b = bands[bands.ags == ags]
    for level, g in sorted(b.groupby("level"), key=lambda kv: -kv[0]):
        g = g.sort_values("year")
        kw = {"row": row, "col": col} if row else {}
        fig.add_trace(
            fast.Scatter(
                x=g.year, y=g.upper, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
            ),
            **kw,
        )
        fig.add_trace(
            fast.Scatter(
                x=g.year,
                y=g.lower,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_rgba(color, 0.15 if level > 0.85 else 0.25),
                name=f"{round(level * 100)}-%-Intervall",
                hoverinfo="skip",
            ),
            **kw,
        )


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def history_figure(
    history: pd.DataFrame, *, ags: str, breaks: list[tuple[str, str]], projection: pd.DataFrame | None = None
) -> go.Figure:
    """Population since 1983 for one region, one line per census basis, breaks marked.

    Parameters
    ----------
    history : DataFrame ``ags, reference_date (datetime64), population, basis`` and optional
        ``estimated`` (bool); one row per published figure.
    ags : region key.
    breaks : ``[(ISO date, label), ...]`` of census reference dates, drawn as vertical lines
        (e.g. ``("2011-05-09", "Zensus 2011")``).
    projection : optional ``indicators`` frame; its projected populations of ``ags`` are
        appended as a dashed line.
    """
    h = history[history.ags == ags].sort_values("reference_date")
    fig = fast.Figure()
    for basis, g in h.groupby("basis", sort=False):
        est = g["estimated"] if "estimated" in g else pd.Series(False, index=g.index)
        label = f"Fortschreibung auf Basis {basis}" if basis != "Zensus 2022" else "Basis Zensus 2022"
        fig.add_trace(
            fast.Scatter(
                x=g.reference_date,
                y=g.population,
                mode="lines+markers",
                name=label,
                line={"color": BASIS_COLORS.get(basis, OKABE_ITO["black"]), "width": 2.5},
                marker={"symbol": ["circle-open" if e else "circle" for e in est], "size": 7},
                customdata=[
                    [fmt_date(d), "geschätzt" if e else "amtlich"] for d, e in zip(g.reference_date, est)
                ],
                hovertemplate="%{customdata[0]}: %{y:,.0f} (%{customdata[1]})<extra>" + label + "</extra>",
            )
        )
    if projection is not None:
        p = projection[(projection.ags == ags)].sort_values("year")
        fig.add_trace(
            fast.Scatter(
                x=pd.to_datetime(p.year.astype(str) + "-12-31"),
                y=p.population,
                mode="lines",
                name="Vorausberechnung",
                line={"color": OKABE_ITO["black"], "dash": "dash", "width": 2},
                hovertemplate="31.12.%{x|%Y}: %{y:,.0f} (vorausberechnet)<extra></extra>",
            )
        )
    for iso, label in breaks:
        x = pd.Timestamp(iso)
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": OKABE_ITO["black"], "width": 1.5, "dash": "dot"},
        )
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            text=f"{label}<br>({fmt_date(iso)})",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            xshift=4,
            font={"size": 12},
            align="left",
            bgcolor="rgba(255,255,255,0.8)",
        )
    style(
        fig,
        title=f"Bevölkerung {region_name(ags)} seit {h.reference_date.dt.year.min() if len(h) else ''}",
        height=420,
    )
    fig.update_yaxes(title="Personen", tickformat=",.0f", rangemode="normal")
    fig.update_xaxes(title=None, tickformat="%Y")
    return fig


def indicator_trend(
    indicators: pd.DataFrame,
    *,
    ags: str,
    indicator: str,
    compare: str | None = KREIS_AGS,
    bands: pd.DataFrame | None = None,
) -> go.Figure:
    """One indicator over time for a region (solid observed, dashed projected) and a comparison."""
    label, kind, _ = INDICATORS[indicator]
    fig = fast.Figure()
    regions = [ags] + ([compare] if compare and compare != ags else [])
    add_bands(fig, bands, ags=ags, color=SEQUENCE[0])
    for i, a in enumerate(regions):
        d = indicators[indicators.ags == a].sort_values("year")
        color = SEQUENCE[i]
        for projected, g in d.groupby("projected"):
            if projected:  # connect projected line to the last observed point
                last = d[~d.projected].tail(1)
                g = pd.concat([last, g])
            fig.add_trace(
                fast.Scatter(
                    x=g.year,
                    y=g[indicator],
                    mode="lines+markers" if not projected else "lines",
                    name=f"{region_name(a)} – {'vorausberechnet' if projected else 'Basisjahr/amtlich'}",
                    line={
                        "color": color,
                        "dash": "dash" if projected else "solid",
                        "width": 2.5 if i == 0 else 1.8,
                    },
                    hovertemplate=f"%{{x}}: {_hover(kind)}<extra>{region_name(a)}</extra>",
                )
            )
    style(fig, title=f"{label}: {region_name(ags)}", height=360)
    fig.update_xaxes(tickformat="d", title=None)
    ys = indicators.loc[indicators.ags.isin(regions), indicator]
    fig.update_yaxes(tickformat=_tickformat(kind), title=None, range=value_range(ys, kind))
    return fig


def small_multiples(
    indicators: pd.DataFrame, *, indicator: str, index_to_base: bool = False, highlight: str | None = None
) -> go.Figure:
    """Trend of one indicator in 16 small panels (Kreis + 15 municipalities), shared y axis.

    ``index_to_base=True`` shows ``value / value(base year) * 100`` (base year: the first year of
    ``indicators``) so sizes compare.
    The panel grid is laid out directly (axes ``x1…x16``, ``y1…y16``; 4 columns), which is
    much faster than ``make_subplots``.
    """
    label, kind, _ = INDICATORS[indicator]
    first = int(indicators.year.min())
    regions = [KREIS_AGS] + list(AGS_LIST)
    cols = 4
    rows = math.ceil(len(regions) / cols)
    hgap, vgap = 0.03, 0.07
    w = (1 - hgap * (cols - 1)) / cols
    h = (1 - vgap * (rows - 1)) / rows
    traces = []
    layout = base_layout(
        title=(f"{label} – Index {first} = 100" if index_to_base else label), height=190 * rows + 40
    )
    annotations = []
    ymin, ymax = float("inf"), float("-inf")
    for i, a in enumerate(regions):
        r, c = divmod(i, cols)
        n = "" if i == 0 else str(i + 1)
        x0 = c * (w + hgap)
        y1 = 1 - r * (h + vgap)
        d = indicators[indicators.ags == a].sort_values("year")
        y = d[indicator].to_numpy(dtype=float)
        if index_to_base:
            base = d.loc[d.year == first, indicator]
            y = y / float(base.iloc[0]) * 100 if len(base) else y * float("nan")
        ymin, ymax = min(ymin, float(y.min())), max(ymax, float(y.max()))
        color = (
            OKABE_ITO["vermillion"]
            if a == highlight
            else (OKABE_ITO["black"] if a == KREIS_AGS else OKABE_ITO["blue"])
        )
        hover = "%{y:.1f}" if index_to_base else _hover(kind)
        traces.append(
            fast.Scatter(
                x=d.year.to_numpy(),
                y=y,
                mode="lines",
                name=region_name(a),
                showlegend=False,
                xaxis=f"x{n}",
                yaxis=f"y{n}",
                line={"color": color, "width": 2},
                hovertemplate=f"%{{x}}: {hover}<extra>{region_name(a)}</extra>",
            )
        )
        layout[f"xaxis{n}"] = {
            **AXIS,
            "domain": [x0, x0 + w],
            "anchor": f"y{n}",
            "tickformat": "d",
            "tickvals": [first, 2035, 2045],
            "tickfont": {"size": 11},
            "showticklabels": r == rows - 1,
            **({"matches": "x"} if n else {}),
        }
        layout[f"yaxis{n}"] = {
            **AXIS,
            "domain": [y1 - h, y1],
            "anchor": f"x{n}",
            "tickfont": {"size": 11},
            "tickformat": ".0f" if index_to_base else _tickformat(kind),
            "showticklabels": c == 0,
            **({"matches": "y"} if n else {}),
        }
        annotations.append(
            {
                "text": region_name(a),
                "x": x0 + w / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    pad = 0.05 * ((ymax - ymin) or 1.0)
    layout["yaxis"]["range"] = [ymin - pad, ymax + pad]
    layout["annotations"] = annotations
    layout["margin"] = {"l": 50, "r": 10, "t": 70, "b": 30}
    return fast.Figure(data=traces, layout=layout)


def age_groups_figure(
    age_groups: pd.DataFrame, *, ags: str, groups: list[str] | None = None, index_to_base: bool = True
) -> go.Figure:
    """Planning age groups of one region over time (index base year = 100, or persons)."""
    d = age_groups[age_groups.ags == ags]
    groups = groups or list(PLANNING_GROUP_LABELS)
    fig = fast.Figure()
    palette = SEQUENCE + ["#444488", "#7a4a00"]
    dashes = ["solid", "dash", "dot", "dashdot"]
    for i, grp in enumerate(groups):
        g = d[d.age_group.astype(str) == grp].sort_values("year")
        y = g.population
        if index_to_base:
            base = g.loc[g.year == g.year.min(), "population"]
            y = y / float(base.iloc[0]) * 100 if len(base) and float(base.iloc[0]) > 0 else y * float("nan")
        name = PLANNING_GROUP_LABELS.get(grp, grp)
        fig.add_trace(
            fast.Scatter(
                x=g.year,
                y=y,
                mode="lines",
                name=name,
                line={"color": palette[i % len(palette)], "dash": dashes[i % len(dashes)], "width": 2},
                customdata=g.population,
                hovertemplate=f"%{{x}}: %{{y:.1f}} (%{{customdata:,.0f}} Personen)<extra>{name}</extra>"
                if index_to_base
                else f"%{{x}}: %{{y:,.0f}}<extra>{name}</extra>",
            )
        )
    title = (
        f"Planungsaltersgruppen {region_name(ags)} – Index {int(d.year.min())} = 100"
        if index_to_base
        else f"Planungsaltersgruppen {region_name(ags)} (Personen)"
    )
    style(fig, title=title, height=420)
    fig.update_xaxes(tickformat="d", title=None)
    fig.update_yaxes(tickformat=".0f" if index_to_base else ",.0f", title=None)
    fig.add_hline(y=100 if index_to_base else 0, line={"color": OKABE_ITO["grey"], "width": 1})
    return fig


def components_figure(
    components: pd.DataFrame, *, ags: str, observed: pd.DataFrame | None = None
) -> go.Figure:
    """Births, deaths and net migration per year (sum over sexes) of one region.

    ``observed`` (optional): official Kreis events ``year, births, deaths, net_migration``;
    drawn with markers so official and modelled values stay distinguishable.
    """
    d = components[components.ags == ags].groupby("year")[["births", "deaths", "net_migration"]].sum()
    d = d.reset_index()
    colors = {
        "births": OKABE_ITO["green"],
        "deaths": OKABE_ITO["black"],
        "net_migration": OKABE_ITO["vermillion"],
    }
    dashes = {"births": "dash", "deaths": "dot", "net_migration": "dashdot"}
    fig = fast.Figure()
    for c in ("births", "deaths", "net_migration"):
        fig.add_trace(
            fast.Scatter(
                x=d.year,
                y=d[c],
                mode="lines",
                name=f"{COMPONENT_LABELS[c]} (Modell)",
                line={"color": colors[c], "dash": dashes[c], "width": 2.5},
                hovertemplate=f"%{{x}}: %{{y:,.0f}}<extra>{COMPONENT_LABELS[c]}</extra>",
            )
        )
        if observed is not None and c in observed:
            fig.add_trace(
                fast.Scatter(
                    x=observed.year,
                    y=observed[c],
                    mode="lines+markers",
                    name=f"{COMPONENT_LABELS[c]} (amtlich)",
                    line={"color": colors[c], "width": 2.5},
                    marker={"size": 8},
                    hovertemplate=f"%{{x}}: %{{y:,.0f}} (amtlich)<extra>{COMPONENT_LABELS[c]}</extra>",
                )
            )
    style(fig, title=f"Geburten, Sterbefälle und Wanderungen: {region_name(ags)}", height=400)
    fig.update_xaxes(tickformat="d", title=None)
    fig.update_yaxes(tickformat=",.0f", title="Personen je Jahr")
    fig.add_hline(y=0, line={"color": OKABE_ITO["grey"], "width": 1})
    return fig


def age_group_change_figure(
    age_groups: pd.DataFrame, *, ags: str, year: int, base_year: int | None = None
) -> go.Figure:
    """Change of each planning age group from ``base_year`` to ``year`` in persons (bars).

    ``base_year`` default: the first year of ``age_groups`` (the projection's base).

    Decline is orange, growth blue (colour-blind safe); values are written on the bars.
    """
    base_year = int(age_groups.year.min()) if base_year is None else base_year
    d = age_groups[(age_groups.ags == ags) & age_groups.year.isin([base_year, year])]
    p = d.pivot_table(index="age_group", columns="year", values="population", aggfunc="sum", observed=True)
    groups = [g for g in PLANNING_GROUP_LABELS if g in p.index.astype(str)]
    p.index = p.index.astype(str)
    change = p.loc[groups, year] - p.loc[groups, base_year]
    labels = [PLANNING_GROUP_LABELS[g] for g in groups]
    fig = fast.Figure(
        fast.Bar(
            y=labels,
            x=change,
            orientation="h",
            name=f"Veränderung {base_year}–{year}",
            marker={"color": [OKABE_ITO["blue"] if v >= 0 else OKABE_ITO["vermillion"] for v in change]},
            text=[fmt_signed_int(v) for v in change],
            textposition="auto",
            cliponaxis=False,
            textfont={"size": 10},
            insidetextfont={"color": "white"},
            outsidetextfont={"color": "#1a1a1a"},
            hovertemplate="%{y}: %{x:+,.0f} Personen<extra></extra>",
        )
    )
    style(fig, title=f"Altersgruppen: Veränderung {base_year} bis {year}", height=360)
    fig.update_yaxes(autorange="reversed", title=None)
    lo, hi = min(0.0, float(change.min())), max(0.0, float(change.max()))
    pad = 0.35 * ((hi - lo) or 1.0)
    fig.update_xaxes(
        tickformat="+,.0f",
        title="Personen",
        zeroline=True,
        zerolinecolor=OKABE_ITO["black"],
        range=[lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0)],
    )
    fig.update_layout(showlegend=False, margin={"l": 150, "r": 50})
    return fig
