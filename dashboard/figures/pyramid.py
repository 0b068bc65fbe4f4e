"""Animated population pyramid (single ages, share of the total population).

Men are drawn to the left (negative x), women to the right. Bars of projected years are
hatched and lighter; estimated bars (the municipal base population) carry "geschätzt" in
the legend and in the hover text. The comparison region (Kreis Düren) is an outline.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.constants import KREIS_AGS
from dashboard.figures.labels import OKABE_ITO, SEX_COLORS, SEX_LABELS, fmt_int, region_name, style


def _shares(pop: pd.DataFrame) -> pd.DataFrame:
    """``year, sex, age, population, share`` with share of the year's total (0..1)."""
    g = pop.groupby(["year", "sex", "age"], as_index=False)["population"].sum()
    g["share"] = g.population / g.groupby("year").population.transform("sum")
    return g


def _status(pop: pd.DataFrame, year: int) -> tuple[bool, bool]:
    y = pop[pop.year == year]
    proj = bool(y["projected"].any()) if "projected" in y else False
    est = bool(y["estimated"].any()) if "estimated" in y else False
    return proj, est


def _bar_traces(own: pd.DataFrame, cmp: pd.DataFrame | None, year: int, projected: bool,
                estimated: bool, name: str, cmp_name: str) -> list[go.Bar | go.Scatter]:
    status = "vorausberechnet" if projected else ("geschätzt" if estimated else "amtlich")
    traces: list[go.Bar | go.Scatter] = []
    for sex in ("male", "female"):
        d = own[(own.year == year) & (own.sex == sex)].sort_values("age")
        sign = -1 if sex == "male" else 1
        traces.append(go.Bar(
            y=d.age, x=sign * d.share * 100, orientation="h", name=f"{SEX_LABELS[sex]} ({status})",
            marker={"color": SEX_COLORS[sex], "opacity": 0.55 if projected else 0.95,
                    "pattern": {"shape": "/" if projected else ("." if estimated else ""),
                                "fgcolor": "#333333", "size": 5, "solidity": 0.25}},
            customdata=list(zip(d.population.round().astype(int).map(fmt_int), [status] * len(d))),
            hovertemplate=(f"{SEX_LABELS[sex]}, %{{y}} Jahre: %{{customdata[0]}} Personen "
                           "(%{customdata[1]})<extra>" + name + "</extra>")))
    if cmp is not None:
        for sex in ("male", "female"):
            c = cmp[(cmp.year == year) & (cmp.sex == sex)].sort_values("age")
            sign = -1 if sex == "male" else 1
            traces.append(go.Scatter(
                y=c.age, x=sign * c.share * 100, mode="lines", line={"color": OKABE_ITO["black"], "width": 1.3,
                                                                     "shape": "vh"},
                name=f"{cmp_name} (Vergleich)", showlegend=sex == "female", legendgroup="cmp",
                hovertemplate=f"{cmp_name}, %{{y}} Jahre: %{{x:.2f}} %<extra></extra>"))
    return traces


def pyramid_figure(population: pd.DataFrame, *, ags: str, year: int,
                   comparison: pd.DataFrame | None = None, comparison_ags: str = KREIS_AGS,
                   comparison_label: str | None = None, animate: bool = True) -> go.Figure:
    """Population pyramid of ``ags`` in ``year`` with frames for every year in the data.

    Parameters
    ----------
    population : DataFrame ``ags, year, sex, age, population`` and optional ``projected``,
        ``estimated`` (bool). Rows of ``ags`` are drawn.
    year : year shown first (the active frame).
    comparison : frame of the same shape for the comparison outline (e.g. all municipalities,
        summed to the Kreis); drawn as a black outline of shares.
    comparison_label : legend name of the outline (default: name of ``comparison_ags``).
    animate : add Plotly frames, a play button and a year slider.
    """
    own_rows = population[population.ags == ags]
    own = _shares(own_rows)
    cmp = _shares(comparison) if comparison is not None else None
    name = region_name(ags)
    cmp_name = comparison_label or region_name(comparison_ags)
    years = sorted(own.year.unique())
    proj, est = _status(own_rows, year)
    fig = go.Figure(data=_bar_traces(own, cmp, year, proj, est, name, cmp_name))
    if animate and len(years) > 1:
        frames = []
        for y in years:
            p, e = _status(own_rows, y)
            frames.append(go.Frame(name=str(y), data=_bar_traces(own, cmp, y, p, e, name, cmp_name),
                                   layout={"title": {"text": _title(name, y, p, e)}}))
        fig.frames = frames
        fig.update_layout(
            updatemenus=[{"type": "buttons", "showactive": False, "x": 0, "y": -0.08, "xanchor": "left",
                          "buttons": [{"label": "▶ Abspielen", "method": "animate",
                                       "args": [None, {"frame": {"duration": 400, "redraw": True},
                                                       "fromcurrent": True, "transition": {"duration": 0}}]},
                                      {"label": "❚❚ Anhalten", "method": "animate",
                                       "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}]}]}],
            sliders=[{"active": years.index(year) if year in years else 0, "x": 0.22, "len": 0.78,
                      "y": -0.05, "currentvalue": {"prefix": "Jahr: "},
                      "steps": [{"label": str(y), "method": "animate",
                                 "args": [[str(y)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}]}
                                for y in years]}])
    xmax = max(float((own.share * 100).max()), float((cmp.share * 100).max()) if cmp is not None else 0) * 1.1
    style(fig, title=_title(name, year, proj, est), height=620)
    ticks = [v for v in (-1.5, -1.0, -0.5, 0, 0.5, 1.0, 1.5) if abs(v) <= xmax] or [0]
    fig.update_layout(barmode="overlay", bargap=0.05, margin={"b": 130, "t": 95},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"})
    fig.update_xaxes(range=[-xmax, xmax], tickvals=ticks,
                     ticktext=[f"{abs(v):.1f}".replace(".", ",") + " %" for v in ticks],
                     title="Anteil an der Bevölkerung je Altersjahr (links Männer, rechts Frauen)")
    fig.update_yaxes(title="Alter in Jahren", range=[-0.5, 100.5], dtick=10)
    return fig


def _title(name: str, year: int, projected: bool, estimated: bool) -> str:
    what = "vorausberechnet" if projected else ("geschätzt" if estimated else "amtlich")
    return f"Altersaufbau {name} am 31.12.{year} ({what})"


def pyramid_table(population: pd.DataFrame, *, ags: str, year: int) -> pd.DataFrame:
    """Text alternative of the pyramid: planning age groups × sex for one year.

    Returns ``age_group, female, male, total, share`` (share of the year's total, 0..1) plus
    ``status`` (amtlich / geschätzt / vorausberechnet).
    """
    from dashboard.constants import PLANNING_AGE_GROUPS
    d = population[(population.ags == ags) & (population.year == year)]
    proj, est = _status(population[population.ags == ags], year)
    rows = []
    total = float(d.population.sum())
    for label, (lo, hi) in PLANNING_AGE_GROUPS.items():
        g = d[(d.age >= lo) & (d.age <= hi)]
        f = float(g.loc[g.sex == "female", "population"].sum())
        m = float(g.loc[g.sex == "male", "population"].sum())
        rows.append({"age_group": label, "female": f, "male": m, "total": f + m,
                     "share": (f + m) / total if total else float("nan")})
    out = pd.DataFrame(rows)
    out["status"] = "vorausberechnet" if proj else ("geschätzt" if est else "amtlich")
    return out
