"""Animated population pyramid (single ages, share of the total population).

Men are drawn to the left (negative x), women to the right. Bars of projected years are
hatched and lighter; estimated bars (the municipal base population) carry "geschätzt" in
the legend and in the hover text. The comparison region (Kreis Düren) is an outline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.constants import KREIS_AGS, OPEN_AGE, PLANNING_AGE_GROUPS, SEXES
from dashboard.figures import _fast as fast
from dashboard.figures.labels import OKABE_ITO, SEX_COLORS, region_name, style
from dashboard.text import SEX_LABELS, fmt_dec


def _arrays(pop: pd.DataFrame) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Years and arrays ``population[year, sex, age]`` and ``share`` (0..1 of the year's total);
    sex index 0 = female, 1 = male (:data:`dashboard.constants.SEXES`)."""
    g = pop.groupby(["year", "sex", "age"])["population"].sum()
    years = sorted(g.index.get_level_values(0).unique())
    idx = pd.MultiIndex.from_product([years, list(SEXES), range(OPEN_AGE + 1)])
    arr = g.reindex(idx, fill_value=0.0).to_numpy(dtype=float).reshape(len(years), 2, OPEN_AGE + 1)
    share = arr / arr.sum(axis=(1, 2), keepdims=True)
    return years, arr, share


def _status(pop: pd.DataFrame, year: int) -> tuple[bool, bool]:
    y = pop[pop.year == year]
    proj = bool(y["projected"].any()) if "projected" in y else False
    est = bool(y["estimated"].any()) if "estimated" in y else False
    return proj, est


def _bar_traces(
    own: tuple, cmp: tuple | None, year: int, projected: bool, estimated: bool, name: str, cmp_name: str
) -> list[go.Bar | go.Scatter]:
    status = "vorausberechnet" if projected else ("geschätzt" if estimated else "amtlich")
    ages = np.arange(OPEN_AGE + 1)
    years, arr, share = own
    i = years.index(year)
    traces: list[go.Bar | go.Scatter] = []
    for sex in ("male", "female"):
        k = SEXES.index(sex)
        sign = -1 if sex == "male" else 1
        traces.append(
            fast.Bar(
                y=ages,
                x=np.round(sign * share[i, k] * 100, 5),
                orientation="h",
                name=f"{SEX_LABELS[sex]} ({status})",
                marker={
                    "color": SEX_COLORS[sex],
                    "opacity": 0.55 if projected else 0.95,
                    "pattern": {
                        "shape": "/" if projected else ("." if estimated else ""),
                        "fgcolor": "#333333",
                        "size": 5,
                        "solidity": 0.25,
                    },
                },
                customdata=np.round(arr[i, k]),
                meta={"table": {"abs": True}},  # the men's bars point left; the table shows shares
                hovertemplate=(
                    f"{SEX_LABELS[sex]}, %{{y}} Jahre: %{{customdata:,.0f}} Personen ({status})"
                    f"<extra>{name}</extra>"
                ),
            )
        )
    if cmp is not None:
        cyears, _, cshare = cmp
        j = cyears.index(year) if year in cyears else None
        for sex in ("male", "female"):
            if j is None:
                break
            k = SEXES.index(sex)
            sign = -1 if sex == "male" else 1
            traces.append(
                fast.Scatter(
                    y=ages,
                    x=np.round(sign * cshare[j, k] * 100, 5),
                    mode="lines",
                    line={"color": OKABE_ITO["black"], "width": 1.3, "shape": "vh"},
                    name=f"{cmp_name} (Vergleich)",
                    showlegend=sex == "female",
                    legendgroup="cmp",
                    meta={"table": {"x": "y", "abs": True, "name": f"{cmp_name}, {SEX_LABELS[sex]}"}},
                    hovertemplate=f"{cmp_name}, %{{y}} Jahre: %{{x:.2f}} %<extra></extra>",
                )
            )
    return traces


def pyramid_figure(
    population: pd.DataFrame,
    *,
    ags: str,
    year: int,
    comparison: pd.DataFrame | None = None,
    comparison_ags: str = KREIS_AGS,
    comparison_label: str | None = None,
    animate: bool = True,
    controls: bool = True,
) -> go.Figure:
    """Population pyramid of ``ags`` in ``year`` with frames for every year in the data.

    Parameters
    ----------
    population : DataFrame ``ags, year, sex, age, population`` and optional ``projected``,
        ``estimated`` (bool). Rows of ``ags`` are drawn.
    year : year shown first (the active frame).
    comparison : frame of the same shape for the comparison outline (e.g. all municipalities,
        summed to the Kreis); drawn as a black outline of shares.
    comparison_label : legend name of the outline (default: name of ``comparison_ags``).
    animate : add a Plotly frame for every year in the data.
    controls : with ``animate``, draw Plotly's own play/pause buttons and year slider inside
        the chart (for notebooks). The app passes False: its play button and year slider are
        Dash controls outside the chart (reachable by keyboard) and it switches years with
        :func:`at_year`.
    """
    own_rows = population[population.ags == ags]
    own = _arrays(own_rows)
    cmp = _arrays(comparison) if comparison is not None else None
    name = region_name(ags)
    cmp_name = comparison_label or region_name(comparison_ags)
    years = own[0]
    proj, est = _status(own_rows, year)
    frames = []
    if animate and len(years) > 1:
        for y in years:
            p, e = _status(own_rows, y)
            frames.append(
                fast.Frame(
                    name=str(y),
                    data=_bar_traces(own, cmp, y, p, e, name, cmp_name),
                    layout={"title": {"text": _title(name, y, p, e)}},
                )
            )
    fig = fast.with_frames(fast.Figure(data=_bar_traces(own, cmp, year, proj, est, name, cmp_name)), frames)
    controls = bool(frames) and controls
    if controls:
        fig.update_layout(
            updatemenus=[
                {
                    "type": "buttons",
                    "showactive": False,
                    "x": 0,
                    "y": -0.13,
                    "xanchor": "left",
                    "yanchor": "top",
                    "direction": "right",
                    "buttons": [
                        {
                            "label": "▶ Abspielen",
                            "method": "animate",
                            "args": [
                                None,
                                {
                                    "frame": {"duration": 400, "redraw": True},
                                    "fromcurrent": True,
                                    "transition": {"duration": 0},
                                },
                            ],
                        },
                        {
                            "label": "❚❚ Anhalten",
                            "method": "animate",
                            "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
                        },
                    ],
                }
            ],
            sliders=[
                {
                    "active": years.index(year) if year in years else 0,
                    "x": 0.28,
                    "len": 0.72,
                    "y": -0.12,
                    "yanchor": "top",
                    "currentvalue": {"prefix": "Jahr: "},
                    "steps": [
                        {
                            "label": str(y),
                            "method": "animate",
                            "args": [
                                [str(y)],
                                {"mode": "immediate", "frame": {"duration": 0, "redraw": True}},
                            ],
                        }
                        for y in years
                    ],
                }
            ],
        )
    xmax = max(float(own[2].max()), float(cmp[2].max()) if cmp is not None else 0.0) * 100 * 1.1
    style(fig, title=_title(name, year, proj, est), height=680 if controls else 560)
    ticks = [v for v in (-1.5, -1.0, -0.5, 0, 0.5, 1.0, 1.5) if abs(v) <= xmax] or [0]
    fig.update_layout(
        barmode="overlay",
        bargap=0.05,
        margin={"b": 170 if controls else 60, "t": 95},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"},
    )
    fig.update_xaxes(
        range=[-xmax, xmax],
        tickvals=ticks,
        ticktext=[fmt_dec(abs(v), 1) + " %" for v in ticks],
        title="Anteil an der Bevölkerung je Altersjahr (links Männer, rechts Frauen)",
    )
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
    d = population[(population.ags == ags) & (population.year == year)]
    proj, est = _status(population[population.ags == ags], year)
    rows = []
    total = float(d.population.sum())
    for label, (lo, hi) in PLANNING_AGE_GROUPS.items():
        g = d[(d.age >= lo) & (d.age <= hi)]
        f = float(g.loc[g.sex == "female", "population"].sum())
        m = float(g.loc[g.sex == "male", "population"].sum())
        rows.append(
            {
                "age_group": label,
                "female": f,
                "male": m,
                "total": f + m,
                "share": (f + m) / total if total else float("nan"),
            }
        )
    out = pd.DataFrame(rows)
    out["status"] = "vorausberechnet" if proj else ("geschätzt" if est else "amtlich")
    return out


def at_year(animated: dict, year: int) -> dict:
    """The pyramid of ``year`` from an animated pyramid (a plain figure dict with a frame per
    year): that frame's data and title. Without Plotly controls (``controls=False``) the frames
    are left out (nothing in the browser would play them); with controls they are shared, not
    copied, and the slider shows ``year``.

    Lets the app build the 22-frame figure once per municipality and switch years cheaply.
    """
    names = [f["name"] for f in animated["frames"]]
    i = names.index(str(year))
    frame = animated["frames"][i]
    layout = dict(animated["layout"])
    layout["title"] = dict(layout["title"], text=frame["layout"]["title"]["text"])
    if not layout.get("sliders"):
        return {"data": frame["data"], "layout": layout}
    layout["sliders"] = [dict(layout["sliders"][0], active=i)]
    return {"data": frame["data"], "layout": layout, "frames": animated["frames"]}
