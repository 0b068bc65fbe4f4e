"""Summary tables of the indicators (now vs. 2030 vs. 2045) — pure pandas, used by the
overview page and the brief."""

from __future__ import annotations

import pandas as pd

from dashboard.constants import AGS_LIST, KREIS_AGS
from dashboard.figures.labels import CHANGE_KEY, INDICATORS, region_name

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
