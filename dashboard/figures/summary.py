"""Summary tables of the indicators (now vs. 2030 vs. 2045) — pure pandas, used by the
overview page and the brief."""

from __future__ import annotations

import pandas as pd

from dashboard.constants import AGS_LIST, KREIS_AGS
from dashboard.figures.labels import CHANGE_KEY, region_name
from dashboard.text import GROUP_PHRASES, HEADLINE, INDICATORS, fmt_int, fmt_signed_pct

SUMMARY_INDICATORS = [
    "population",
    "n_65plus",
    "share_65plus",
    "n_80plus",
    "share_80plus",
    "median_age",
    "old_age_dependency",
]


def key_years(frame: pd.DataFrame) -> tuple[int, ...]:
    """The key years of a projection frame: its base year (first year), 2030 and 2045."""
    base = int(frame.year.min())
    return (base,) + tuple(y for y in (2030, 2045) if y > base)


def indicator_at(indicators: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """``ags, value`` of an indicator in a year; ``indicator="change"`` gives the relative
    population change from the base year (the first year of ``indicators``) to ``year`` (fraction)."""
    base = int(indicators.year.min())
    d = indicators[indicators.year.isin([base, year])]
    if indicator == CHANGE_KEY:
        p = d.pivot(index="ags", columns="year", values="population")
        v = p[year] / p[base] - 1
    else:
        v = d[d.year == year].set_index("ags")[indicator]
    return v.rename("value").reset_index()


def region_table(
    indicators: pd.DataFrame, indicator: str, years: tuple[int, ...] | None = None
) -> pd.DataFrame:
    """Kreis + 15 municipalities × years for one indicator, plus change columns.

    ``years`` default: the base year (first year of ``indicators``), 2030, 2045.

    Returns ``ags, region, <year>..., change_<year> (relative for counts, absolute for
    shares/ages)`` with the Kreis first.
    """
    years = key_years(indicators) if years is None else years
    key = "population" if indicator == CHANGE_KEY else indicator
    w = indicators[indicators.year.isin(years)].pivot(index="ags", columns="year", values=key)
    w = w.reindex([KREIS_AGS] + list(AGS_LIST))
    out = pd.DataFrame({"ags": w.index, "region": [region_name(a) for a in w.index]})
    for y in years:
        out[str(y)] = w[y].to_numpy()
    kind = INDICATORS[key][1]
    for y in years[1:]:
        out[f"change_{y}"] = (
            (w[y] / w[years[0]] - 1).to_numpy() if kind == "int" else (w[y] - w[years[0]]).to_numpy()
        )
    return out.reset_index(drop=True)


def key_numbers(indicators: pd.DataFrame, ags: str, years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """The summary indicators of one region in rows, years in columns (``indicator, label, kind, <year>…``)."""
    years = key_years(indicators) if years is None else years
    d = indicators[(indicators.ags == ags) & indicators.year.isin(years)].set_index("year")
    rows = []
    for ind in SUMMARY_INDICATORS:
        label, kind, _ = INDICATORS[ind]
        rows.append(
            {
                "indicator": ind,
                "label": label,
                "kind": kind,
                **{str(y): float(d.at[y, ind]) if y in d.index else float("nan") for y in years},
            }
        )
    return pd.DataFrame(rows)


#: Relative population change to the target year that counts as "kaum" / "leicht" / "deutlich".
FLAT, STRONG = 0.01, 0.03
#: Groups smaller than this in the base year are not named in the headline (a few persons
#: give large percentages that say little).
MIN_GROUP = 50


def headline_sentence(
    indicators: pd.DataFrame, age_groups: pd.DataFrame, *, ags: str, year: int = 2030
) -> str:
    """One plain German sentence from the numbers, for the top of a brief.

    "Heimbach (Stadt) verändert sich kaum bis 2030 (−0,4 %; 4.521 → 4.503 Einwohnerinnen und
    Einwohner); die Zahl der Menschen ab 80 Jahren steigt um 48 (+12,3 %), die Zahl der 3- bis
    5-Jährigen (Kita-Alter) sinkt um 11 (−10,4 %)."

    The trend word follows the relative change to ``year`` (|change| < 1 %: "verändert sich kaum",
    < 3 %: "wächst/schrumpft leicht", else "deutlich"). The groups named are the planning age
    groups (at least :data:`MIN_GROUP` persons in the base year) with the largest relative rise
    and the largest relative fall; if all move the same way, the two largest moves.

    Parameters
    ----------
    indicators : ``ags, year, population`` (the projection's indicators).
    age_groups : ``ags, year, age_group, population``.
    """
    base = int(indicators.year.min())
    pop = indicators[indicators.ags == ags].set_index("year").population
    now, then = float(pop[base]), float(pop[year])
    change = then / now - 1
    trend = (
        "flat"
        if abs(change) < FLAT
        else ("grows" if change > 0 else "shrinks") + ("_strongly" if abs(change) >= STRONG else "")
    )
    ag = age_groups[(age_groups.ags == ags) & age_groups.year.isin([base, year])]
    p = ag.assign(age_group=ag.age_group.astype(str)).pivot(
        index="age_group", columns="year", values="population"
    )
    p = p[p[base] >= MIN_GROUP]
    rel = (p[year] / p[base] - 1).sort_values()
    ups, downs = rel[rel > 0], rel[rel < 0]
    if len(ups) and len(downs):
        picks = [ups.index[-1], downs.index[0]]
    else:
        picks = list(rel.abs().sort_values().index[-2:][::-1])
    clauses = []
    for g in picks:
        d = float(p.loc[g, year] - p.loc[g, base])
        clauses.append(
            HEADLINE["up" if d > 0 else "down"].format(
                group=GROUP_PHRASES.get(g, g), n=fmt_int(abs(d)), pct=fmt_signed_pct(rel[g])
            )
        )
    return HEADLINE["sentence"].format(
        name=region_name(ags),
        trend=HEADLINE[trend],
        year=year,
        change=fmt_signed_pct(change),
        now=fmt_int(now),
        later=fmt_int(then),
        groups=HEADLINE["and"].join(clauses),
    )
