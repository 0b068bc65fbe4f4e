"""Figures and German texts for the Werkzeugkoffer (measures linked to projected groups).

Pure functions of the tidy frames of :mod:`dashboard.projection.measures_link`; reused by
the page ``/werkzeugkoffer``, notebooks and the brief.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.constants import KREIS_AGS, KREIS_NAME, MUNICIPALITIES, PLANNING_AGE_GROUPS
from dashboard.data.measures import FIELDS_OF_ACTION

#: German labels of the planning age groups ("80+" -> "80 Jahre und älter").
AGE_GROUP_LABELS_DE: dict[str, str] = {
    g: (f"{lo} bis {hi} Jahre" if not g.endswith("+") else f"{lo} Jahre und älter")
    for g, (lo, hi) in PLANNING_AGE_GROUPS.items()
}
#: German labels of the age band basis.
AGE_BAND_BASIS_DE: dict[str, str] = {
    "source": "laut Quelle", "convention": "nach Konvention", "all ages": "alle Altersgruppen",
}
#: Colour-blind-safe diverging scale (ColorBrewer BrBG): brown = shrinking, teal = growing.
CHANGE_COLORSCALE = "BrBG"
#: Sequential scale for counts (ColorBrewer YlGnBu, colour-blind safe).
COUNT_COLORSCALE = "YlGnBu"


def fmt_number(x: float, decimals: int = 0, *, sign: bool = False) -> str:
    """German number format: ``1234.5 -> "1.234,5"``; ``sign`` adds ``+`` to positives."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{abs(x):,.{decimals}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    if x < 0 and s.strip("0,.") != "":
        return "−" + s
    return ("+" + s) if sign and x > 0 else s


def fmt_pct(x: float, decimals: int = 1, *, sign: bool = True) -> str:
    """German percent: ``12.34 -> "+12,3 %"`` (narrow no-break space before %)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return fmt_number(x, decimals, sign=sign) + "\u202f%"


def area_name(ags: str) -> str:
    """Municipality name or ``"Kreis Düren"``."""
    return KREIS_NAME if ags == KREIS_AGS else MUNICIPALITIES[ags]


def age_band_text(age_min: int, age_max: int | None, basis: str) -> str:
    """E.g. ``"65 Jahre und älter (nach Konvention)"``, ``"alle Altersgruppen"``."""
    if basis == "all ages":
        return "alle Altersgruppen"
    if age_max is None or pd.isna(age_max):
        band = f"{int(age_min)} Jahre und älter"
    elif int(age_min) == 0:
        band = f"bis {int(age_max)} Jahre"
    else:
        band = f"{int(age_min)} bis {int(age_max)} Jahre"
    return f"{band} ({AGE_BAND_BASIS_DE.get(basis, basis)})"


def indicator_text(age_group: str, ags: str, base_year: int, year: int, population_base: float,
                   population: float, change: float, change_pct: float) -> str:
    """The indicator line of a card: ``"80+ in Nideggen 2024 → 2030: +85 (+12,3 %)"``.

    ``age_group`` may be :data:`~dashboard.projection.measures_link.TOTAL_LABEL` for the
    whole population. Populations are rounded to whole persons.
    """
    where = "im Kreis Düren" if ags == KREIS_AGS else f"in {area_name(ags)}"
    label = "Bevölkerung insgesamt" if age_group == "insgesamt" else age_group
    return (f"{label} {where} {base_year} → {year}: {fmt_number(round(change), sign=True)} "
            f"({fmt_pct(change_pct)}; {fmt_number(round(population_base))} → "
            f"{fmt_number(round(population))})")


def gap_heatmap(table: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Municipality × planning group heatmap of projected change (percent), gaps marked.

    Parameters
    ----------
    table : DataFrame
        :func:`dashboard.projection.measures_link.growth_coverage` output (columns ``ags``,
        ``municipality``, ``age_group``, ``base_year``, ``year``, ``change``, ``change_pct``,
        ``n_active``, ``strongly_growing``, ``gap``).
    title : str, optional

    Returns
    -------
    go.Figure
        One heatmap trace (z = ``change_pct``); the cell text reads ``"+12 %"`` plus
        ``"Lücke"`` for gaps, ``"nur kreisweit"`` for strongly growing groups answered only by
        district-wide measures, else the count of active targeted measures.
    """
    groups = list(PLANNING_AGE_GROUPS)
    munis = list(dict.fromkeys(table.municipality))
    t = table.assign(age_group=table.age_group.astype(str))
    piv = t.pivot(index="municipality", columns="age_group", values="change_pct").reindex(index=munis,
                                                                                          columns=groups)
    idx = t.set_index(["municipality", "age_group"])
    text, hover = [], []
    for m in munis:
        trow, hrow = [], []
        for g in groups:
            r = idx.loc[(m, g)]
            cell = fmt_pct(r.change_pct, 0)
            if r.gap:
                cell += "<br><b>Lücke</b>"
            elif getattr(r, "district_wide_only", False):
                cell += "<br>nur kreisweit"
            elif r.strongly_growing:
                cell += f"<br>{int(r.n_active)} Maßn."
            trow.append(cell)
            hrow.append(f"{m}, {g}: {fmt_number(round(r.change), sign=True)} Personen "
                        f"({fmt_pct(r.change_pct)}), {int(r.n_active)} aktive passende Maßnahmen"
                        + (" – Lücke" if r.gap else "")
                        + (" – nur kreisweite Maßnahmen" if getattr(r, "district_wide_only", False) else ""))
        text.append(trow)
        hover.append(hrow)
    vmax = float(max(abs(piv.min().min()), abs(piv.max().max()), 1.0))
    base_year, year = int(t.base_year.iloc[0]), int(t.year.iloc[0])
    fig = go.Figure(go.Heatmap(
        z=piv.values, x=groups, y=munis, text=text, texttemplate="%{text}", hovertext=hover,
        hoverinfo="text", textfont=dict(size=11), colorscale=CHANGE_COLORSCALE, zmid=0, zmin=-vmax, zmax=vmax,
        colorbar=dict(title=dict(text="Veränderung in %"), ticksuffix=" %"), xgap=2, ygap=2,
        name="Veränderung"))
    fig.update_layout(
        title=title or f"Veränderung der Altersgruppen {base_year} → {year} und Lücken",
        separators=",.", xaxis=dict(side="top", type="category"),
        yaxis=dict(autorange="reversed", title=None), margin=dict(l=10, r=10, t=90, b=10),
        height=120 + 34 * len(munis))
    return fig


def coverage_heatmap(cov: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Municipality × field of action heatmap of active measure counts.

    Parameters
    ----------
    cov : DataFrame
        :func:`dashboard.projection.measures_link.coverage` output (``municipality``,
        ``field_of_action``, ``n_measures``, ``n_local``).
    """
    fields = list(FIELDS_OF_ACTION)
    munis = list(dict.fromkeys(cov.municipality))
    c = cov.assign(field_of_action=cov.field_of_action.astype(str))
    piv = c.pivot(index="municipality", columns="field_of_action", values="n_measures").reindex(
        index=munis, columns=fields)
    loc = c.pivot(index="municipality", columns="field_of_action", values="n_local").reindex(
        index=munis, columns=fields)
    text = [[f"{int(piv.loc[m, f])} ({int(loc.loc[m, f])} namentl.)" for f in fields] for m in munis]
    short = [f.split(" ")[0] if not f.startswith("gesellschaftliche") else "Teilhabe" for f in fields]
    fig = go.Figure(go.Heatmap(
        z=piv.values, x=short, y=munis, text=text, texttemplate="%{text}", textfont=dict(size=11),
        customdata=[[f for f in fields] for _ in munis],
        hovertemplate="%{y} – %{customdata}: %{z} aktive Maßnahmen<extra></extra>",
        colorscale=COUNT_COLORSCALE, zmin=0, colorbar=dict(title=dict(text="aktive Maßnahmen")),
        xgap=2, ygap=2, name="aktive Maßnahmen"))
    fig.update_layout(title=title or "Aktive Maßnahmen je Handlungsfeld und Gemeinde",
                      separators=",.", xaxis=dict(side="top"),
                      yaxis=dict(autorange="reversed"), margin=dict(l=10, r=10, t=90, b=10),
                      height=120 + 34 * len(munis))
    return fig
