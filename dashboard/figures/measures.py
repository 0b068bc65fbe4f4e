"""Figures and German texts for the Werkzeugkoffer (measures linked to projected groups).

Pure functions of the tidy frames of :mod:`dashboard.projection.measures_link`; reused by
the page ``/werkzeugkoffer``, notebooks and the brief. Numbers go through the formatters of
:mod:`dashboard.figures.labels`; ``change_pct`` columns are percent (12.3 = 12,3 %).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.constants import KREIS_AGS, KREIS_NAME, MUNICIPALITIES, PLANNING_AGE_GROUPS
from dashboard.data.measures import FIELDS_OF_ACTION
from dashboard.figures.labels import DIVERGING_SCALE, MAP_SCALE, style
from dashboard.text import count_noun, fmt_int, fmt_signed_int, fmt_signed_pct

#: German labels of the age band basis.
AGE_BAND_BASIS_DE: dict[str, str] = {
    "source": "laut Quelle",
    "convention": "nach Konvention",
    "all ages": "alle Altersgruppen",
}
#: Short German names of the fields of action (chart axes).
FIELD_SHORT: dict[str, str] = dict(
    zip(FIELDS_OF_ACTION, ("Fachkräfte", "Bildung", "Teilhabe", "Mobilität & Versorgung", "Leben & Wohnen"))
)


def signed_pct(pct: float, digits: int = 1) -> str:
    """A change given in percent as German signed percent: ``12.34 -> "+12,3 %"``, ``-0.04 -> "±0,0 %"``."""
    if pct is None or pd.isna(pct):
        return fmt_signed_pct(None, digits)
    if round(float(pct), digits) == 0:  # no "−0 %" / "+0,0 %": unchanged at this precision
        return "±" + fmt_signed_pct(0.0, digits).lstrip("+")
    return fmt_signed_pct(pct / 100.0, digits)


def area_name(ags: str) -> str:
    """Municipality short name or ``"Kreis Düren"``."""
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


def indicator_text(
    age_group: str,
    ags: str,
    base_year: int,
    year: int,
    population_base: float,
    population: float,
    change: float,
    change_pct: float,
) -> str:
    """The indicator line of a card: ``"80+ in Nideggen 2024 → 2030: +85 (+12,3 %; 690 → 775)"``.

    ``age_group`` may be ``"insgesamt"`` for the whole population. Persons are rounded.
    """
    where = "im Kreis Düren" if ags == KREIS_AGS else f"in {area_name(ags)}"
    label = "Bevölkerung insgesamt" if age_group == "insgesamt" else age_group
    return (
        f"{label} {where} {base_year} → {year}: {fmt_signed_int(change)} "
        f"({signed_pct(change_pct)}; {fmt_int(population_base)} → {fmt_int(population)})"
    )


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
    piv = t.pivot(index="municipality", columns="age_group", values="change_pct").reindex(
        index=munis, columns=groups
    )
    cells: dict[tuple[str, str], tuple[str, str]] = {}
    for r in t.itertuples(index=False):
        wide = bool(getattr(r, "district_wide_only", False))
        cell = signed_pct(r.change_pct, 0)
        if r.gap:
            cell += "<br><b>Lücke</b>"
        elif wide:
            cell += "<br>nur kreisweit"
        elif r.strongly_growing:
            cell += f"<br>{int(r.n_active)} Maßn."
        hov = (
            f"{r.municipality}, {r.age_group}: {fmt_signed_int(r.change)} Personen "
            f"({signed_pct(r.change_pct)}), {int(r.n_active)} aktive passende Maßnahmen"
            + (" – Lücke" if r.gap else "")
            + (" – nur kreisweite Maßnahmen" if wide else "")
        )
        cells[(r.municipality, r.age_group)] = (cell, hov)
    text = [[cells[(m, g)][0] for g in groups] for m in munis]
    hover = [[cells[(m, g)][1] for g in groups] for m in munis]
    vmax = float(max(abs(piv.min().min()), abs(piv.max().max()), 1.0))
    base_year, year = int(t.base_year.iloc[0]), int(t.year.iloc[0])
    fig = go.Figure(
        go.Heatmap(
            z=piv.values,
            x=groups,
            y=munis,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            textfont=dict(size=11),
            colorscale=DIVERGING_SCALE,
            zmid=0,
            zmin=-vmax,
            zmax=vmax,
            colorbar=dict(title=dict(text="Veränderung in %"), ticksuffix=" %"),
            xgap=2,
            ygap=2,
            name="Veränderung",
        )
    )
    style(
        fig,
        title=title or f"Veränderung der Altersgruppen {base_year} → {year} und Lücken",
        height=130 + 36 * len(munis),
    )
    fig.update_layout(
        xaxis=dict(side="top", type="category"),
        yaxis=dict(autorange="reversed", title=None),
        margin=dict(l=10, r=10, t=95, b=10),
    )
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
        index=munis, columns=fields
    )
    loc = c.pivot(index="municipality", columns="field_of_action", values="n_local").reindex(
        index=munis, columns=fields
    )
    text = [[f"{int(piv.loc[m, f])} ({int(loc.loc[m, f])} namentl.)" for f in fields] for m in munis]
    short = [FIELD_SHORT[f] for f in fields]
    fig = go.Figure(
        go.Heatmap(
            z=piv.values,
            x=short,
            y=munis,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=11),
            customdata=[
                [[f, count_noun(int(piv.loc[m, f]), "aktive Maßnahme", "aktive Maßnahmen")] for f in fields]
                for m in munis
            ],
            hovertemplate="%{y} – %{customdata[0]}: %{customdata[1]}<extra></extra>",
            colorscale=MAP_SCALE,
            reversescale=True,
            zmin=0,
            colorbar=dict(title=dict(text="aktive Maßnahmen")),
            xgap=2,
            ygap=2,
            name="aktive Maßnahmen",
        )
    )
    style(fig, title=title or "Aktive Maßnahmen je Handlungsfeld und Gemeinde", height=130 + 36 * len(munis))
    fig.update_layout(
        xaxis=dict(side="top"), yaxis=dict(autorange="reversed"), margin=dict(l=10, r=10, t=95, b=10)
    )
    return fig
