"""Link the measures catalogue to projected planning age groups (pure functions, no Dash).

Input contracts
---------------
``age_groups`` : DataFrame
    Long frame of a projection's planning age groups (``ProjectionResult.age_groups``):
    ``ags`` (8-char, or ``"05358"`` for the Kreis), ``municipality``, ``year`` (int, 31 Dec),
    ``age_group`` (labels of :data:`dashboard.constants.PLANNING_AGE_GROUPS`), ``population``
    (persons). Other columns are ignored.
``catalogue`` : :class:`dashboard.data.measures.Catalogue`

Rules (documented constants)
----------------------------
*Overlap*: a measure with age band ``[age_min, age_max]`` (``age_max`` empty = open, i.e.
:data:`~dashboard.constants.OPEN_AGE`) answers a planning group ``[g_min, g_max]`` when
``age_min <= g_max and age_max >= g_min`` (inclusive single years).

*Serves*: the catalogue's ``Gemeinden`` table; ``"05358"`` (Kreis Düren) serves all 15.

*Active*: status in :data:`dashboard.data.measures.ACTIVE_STATUSES` (``"laufend"``).

*Strongly growing*: a group grows from the base year to the horizon by at least
:data:`STRONG_GROWTH_PCT` percent **and** at least :data:`STRONG_GROWTH_MIN_PERSONS` persons
(the second condition keeps tiny groups in small municipalities from flagging on a handful
of people).

*Named*: a measure whose ``Gemeinden`` rows name the municipality itself (not only via
``"05358"``); counted as ``n_active_local``.

*Gap*: a strongly growing group in a municipality with no active measure that serves that
municipality and is *targeted* at the group's ages. Measures for all ages (basis
``"all ages"``) count for coverage but do not close a gap by default (``count_all_ages``):
otherwise a single district-wide bus network would close every gap everywhere. A strongly
growing group answered only by district-wide measures is flagged ``district_wide_only``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from dashboard.constants import KREIS_AGS, MUNICIPALITIES, OPEN_AGE, PLANNING_AGE_GROUPS
from dashboard.data.measures import ACTIVE_STATUSES, CORE_COLUMNS, FIELDS_OF_ACTION, Catalogue

#: Minimum growth (percent, base year -> horizon) for a group to count as strongly growing.
STRONG_GROWTH_PCT: float = 10.0
#: Minimum growth in persons for a group to count as strongly growing.
STRONG_GROWTH_MIN_PERSONS: int = 25
#: Default horizon of gaps and coverage views.
DEFAULT_HORIZON: int = 2030
#: Label of the whole population in :func:`group_changes` (``include_total=True``).
TOTAL_LABEL: str = "insgesamt"

_REQUIRED = ("ags", "municipality", "year", "age_group", "population")


def _check_frame(age_groups: pd.DataFrame) -> None:
    missing = [c for c in _REQUIRED if c not in age_groups.columns]
    if missing:
        raise ValueError(f"age_groups lacks columns {missing}; needs {list(_REQUIRED)}")
    unknown = set(age_groups.age_group.astype(str)) - set(PLANNING_AGE_GROUPS)
    if unknown:
        raise ValueError(f"unknown planning age groups {sorted(unknown)}")


def overlaps(age_min: int, age_max: int | None, group: str) -> bool:
    """Whether the band ``[age_min, age_max]`` (``None`` = open) overlaps a planning group.

    Examples
    --------
    >>> overlaps(65, None, "80+"), overlaps(65, None, "45-64"), overlaps(0, 6, "6-9")
    (True, False, True)
    """
    g_lo, g_hi = PLANNING_AGE_GROUPS[group]
    hi = OPEN_AGE if age_max is None or pd.isna(age_max) else int(age_max)
    return int(age_min) <= g_hi and hi >= g_lo


def measure_groups(catalogue: Catalogue) -> pd.DataFrame:
    """Measure × planning age group pairs that overlap (projection-independent).

    Returns
    -------
    DataFrame
        ``measure_id``, ``age_group`` (categorical in planning order), ``all_ages`` (bool).
    """
    rows = []
    for r in catalogue.measures.itertuples(index=False):
        for g in PLANNING_AGE_GROUPS:
            if overlaps(r.age_min, r.age_max, g):
                rows.append((r.id, g, r.age_band_basis == "all ages"))
    out = pd.DataFrame(rows, columns=["measure_id", "age_group", "all_ages"])
    out["age_group"] = pd.Categorical(out.age_group, categories=list(PLANNING_AGE_GROUPS), ordered=True)
    return out


def group_changes(
    age_groups: pd.DataFrame,
    ags: str | Sequence[str] | None = None,
    *,
    base_year: int | None = None,
    years: Iterable[int] = (2030, 2045),
    include_total: bool = False,
) -> pd.DataFrame:
    """Projected change of each planning age group from ``base_year`` to each of ``years``.

    Parameters
    ----------
    age_groups : DataFrame
        See module docstring.
    ags : str, sequence of str or None
        Area(s); ``None`` = every area in the frame (municipalities and Kreis).
    base_year : int, optional (default: the first year of ``age_groups``, the projection's base)
        Reference year (31 Dec) of the change.
    years : iterable of int
        Horizons.
    include_total : bool
        Add the whole population as group :data:`TOTAL_LABEL`.

    Returns
    -------
    DataFrame
        ``ags``, ``municipality``, ``age_group``, ``base_year``, ``year``,
        ``population_base`` and ``population`` (persons), ``change`` (persons),
        ``change_pct`` (percent of ``population_base``; NaN if that is 0).

    Raises
    ------
    ValueError
        If a column, an area or a year is missing from ``age_groups``.
    """
    _check_frame(age_groups)
    years = [int(y) for y in years]
    df = age_groups
    if base_year is None:  # the projection's base year: the first year of the frame
        base_year = int(df.year.min())
    if ags is not None:
        wanted = [ags] if isinstance(ags, str) else list(ags)
        missing = sorted(set(wanted) - set(df.ags))
        if missing:
            raise ValueError(f"age_groups has no rows for ags {missing}")
        df = df[df.ags.isin(wanted)]
    missing_years = sorted({base_year, *years} - set(df.year.astype(int)))
    if missing_years:
        raise ValueError(f"age_groups does not cover the years {missing_years}")
    df = df[df.year.isin([base_year, *years])][
        ["ags", "municipality", "year", "age_group", "population"]
    ].copy()
    df["age_group"] = df.age_group.astype(str)
    if include_total:
        tot = df.groupby(["ags", "municipality", "year"], as_index=False, sort=False).population.sum()
        tot["age_group"] = TOTAL_LABEL
        df = pd.concat([df, tot], ignore_index=True)
    base = df[df.year == base_year].rename(columns={"population": "population_base"}).drop(columns="year")
    out = df[df.year.isin(years)].merge(
        base, on=["ags", "municipality", "age_group"], how="left", validate="many_to_one"
    )
    out["base_year"] = base_year
    out["change"] = out.population - out.population_base
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * out.change / out.population_base.where(out.population_base != 0)
    out["change_pct"] = pct.astype(float)
    order = list(PLANNING_AGE_GROUPS) + ([TOTAL_LABEL] if include_total else [])
    out["age_group"] = pd.Categorical(out.age_group, categories=order, ordered=True)
    out = out.sort_values(["ags", "year", "age_group"], ignore_index=True)
    return out[
        [
            "ags",
            "municipality",
            "age_group",
            "base_year",
            "year",
            "population_base",
            "population",
            "change",
            "change_pct",
        ]
    ]


def _served_measures(catalogue: Catalogue) -> pd.DataFrame:
    flat = catalogue.flat()[
        [
            *CORE_COLUMNS,
            "age_band_basis",
            "status",
            "active",
            "district_wide",
        ]
    ]
    served = catalogue.served()
    return served.merge(
        flat.rename(columns={"id": "measure_id"}), on="measure_id", how="left", validate="many_to_one"
    )


def linked_measures(
    catalogue: Catalogue,
    age_groups: pd.DataFrame,
    ags: str,
    *,
    base_year: int | None = None,
    years: Iterable[int] = (2030, 2045),
) -> pd.DataFrame:
    """Measures serving a municipality, each with the projected change of the groups it answers.

    Parameters
    ----------
    catalogue : Catalogue
    age_groups : DataFrame
        See module docstring.
    ags : str
        8-char municipal key, or ``"05358"``: every measure in the catalogue with the
        Kreis-level changes.
    base_year, years : int, iterable of int
        See :func:`group_changes`.

    Returns
    -------
    DataFrame
        One row per (measure, overlapped planning group, horizon year): ``ags``,
        ``municipality``, ``measure_id``, ``title``, ``field_of_action``, ``target_group``,
        ``age_min``, ``age_max``, ``age_band_basis``, ``status``, ``active``,
        ``district_wide``, ``all_ages``, ``age_group``, ``base_year``, ``year``,
        ``population_base``, ``population``, ``change``, ``change_pct``. Measures for all ages
        overlap every group (``all_ages`` True); :func:`group_changes` with
        ``include_total=True`` gives their headline figure.
    """
    if ags not in MUNICIPALITIES and ags != KREIS_AGS:
        raise ValueError(f"{ags!r} is neither one of the 15 municipal keys nor {KREIS_AGS!r}")
    changes = group_changes(age_groups, ags, base_year=base_year, years=years)
    served = _served_measures(catalogue)
    if ags == KREIS_AGS:  # every measure serves (part of) the district
        served = served.drop_duplicates("measure_id").assign(ags=KREIS_AGS)
    served = served[served.ags == ags].drop(columns="municipality")
    links = measure_groups(catalogue)
    links["age_group"] = links.age_group.astype(str)
    out = served.merge(links, on="measure_id", how="inner", validate="one_to_many")
    changes = changes.assign(age_group=changes.age_group.astype(str))
    out = out.merge(changes, on=["ags", "age_group"], how="left", validate="many_to_many")
    out["age_group"] = pd.Categorical(out.age_group, categories=list(PLANNING_AGE_GROUPS), ordered=True)
    order = {mid: k for k, mid in enumerate(catalogue.measures.id)}
    out = out.sort_values(
        ["measure_id", "year", "age_group"],
        key=lambda s: s.map(order) if s.name == "measure_id" else s,
        ignore_index=True,
    )
    cols = [
        "ags",
        "municipality",
        "measure_id",
        "title",
        "field_of_action",
        "target_group",
        "age_min",
        "age_max",
        "age_band_basis",
        "status",
        "active",
        "district_wide",
        "all_ages",
        "age_group",
        "base_year",
        "year",
        "population_base",
        "population",
        "change",
        "change_pct",
    ]
    return out[cols]


def growth_coverage(
    catalogue: Catalogue,
    age_groups: pd.DataFrame,
    *,
    horizon: int = DEFAULT_HORIZON,
    base_year: int | None = None,
    threshold_pct: float = STRONG_GROWTH_PCT,
    min_persons: float = STRONG_GROWTH_MIN_PERSONS,
    count_all_ages: bool = False,
) -> pd.DataFrame:
    """Every municipality × planning group: growth, strong-growth flag, active measures, gap.

    Returns
    -------
    DataFrame
        ``ags``, ``municipality``, ``age_group``, ``base_year``, ``year`` (= horizon),
        ``population_base``, ``population``, ``change``, ``change_pct``,
        ``strongly_growing`` (bool), ``n_active`` (active measures serving the municipality
        whose band overlaps the group; all-ages measures only if ``count_all_ages``),
        ``n_active_local`` (of those, listed for the municipality itself, not district-wide),
        ``n_active_all_ages`` (active all-ages measures serving it), ``measure_ids``
        (``;``-joined ids counted in ``n_active``), ``gap`` (strongly growing and
        ``n_active == 0``), ``district_wide_only`` (strongly growing, answered only by
        district-wide measures, none that names the municipality). 15 × 10 rows,
        municipalities in AGS order.
    """
    ch = group_changes(age_groups, list(MUNICIPALITIES), base_year=base_year, years=[horizon])
    ch["age_group"] = ch.age_group.astype(str)
    served = _served_measures(catalogue)
    served = served[served.active]
    links = measure_groups(catalogue)
    links["age_group"] = links.age_group.astype(str)
    pairs = served.merge(links.drop(columns="all_ages"), on="measure_id", validate="many_to_many")
    targeted = pairs if count_all_ages else pairs[pairs.age_band_basis != "all ages"]
    key = ["ags", "age_group"]
    n = targeted.groupby(key).agg(
        n_active=("measure_id", "size"),
        n_active_local=("district_wide", lambda s: int((~s).sum())),
        measure_ids=("measure_id", ";".join),
    )
    allages = served[served.age_band_basis == "all ages"].groupby("ags").size().rename("n_active_all_ages")
    out = ch.merge(n, left_on=key, right_index=True, how="left")
    out = out.merge(allages, left_on="ags", right_index=True, how="left")
    for c in ("n_active", "n_active_local", "n_active_all_ages"):
        out[c] = out[c].fillna(0).astype(int)
    out["measure_ids"] = out.measure_ids.fillna("").astype(str)
    out["strongly_growing"] = (out.change_pct >= threshold_pct) & (out.change >= min_persons)
    out["gap"] = out.strongly_growing & (out.n_active == 0)
    out["district_wide_only"] = out.strongly_growing & (out.n_active > 0) & (out.n_active_local == 0)
    out["age_group"] = pd.Categorical(out.age_group, categories=list(PLANNING_AGE_GROUPS), ordered=True)
    out["ags"] = pd.Categorical(out.ags, categories=list(MUNICIPALITIES), ordered=True)
    out = out.sort_values(["ags", "age_group"], ignore_index=True)
    out["ags"] = out.ags.astype(str)
    return out


def filter_measures(
    catalogue: Catalogue,
    *,
    ags: str | None = None,
    field: str | None = None,
    status: str | None = None,
    age_group: str | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Measures matching the Werkzeugkoffer filters (``None``/empty = no filter).

    Parameters
    ----------
    ags : str, optional
        Municipal key: measures serving it (``"05358"`` = no filter).
    field : str, optional
        One of the five fields of action.
    status : str, optional
        A status value, or ``"aktiv"`` for :data:`ACTIVE_STATUSES`.
    age_group : str, optional
        Planning age group: measures whose band overlaps it (the overlap rule).
    text : str, optional
        Case-insensitive substring of target group, title or description.

    Returns
    -------
    DataFrame
        :meth:`Catalogue.flat` rows (catalogue order) plus ``local`` (bool: the measure lists
        ``ags`` itself rather than serving it as district-wide), sorted local first when
        ``ags`` is a municipality.
    """
    flat = catalogue.flat()
    keep = pd.Series(True, index=flat.index)
    flat["local"] = False
    if ags and ags != KREIS_AGS:
        served = catalogue.served()
        ids = set(served[served.ags == ags].measure_id)
        keep &= flat.id.isin(ids)
        listed = set(catalogue.municipalities[catalogue.municipalities.ags == ags].measure_id)
        flat["local"] = flat.id.isin(listed)
    if field:
        keep &= flat.field_of_action == field
    if status == "aktiv":
        keep &= flat.active
    elif status:
        keep &= flat.status == status
    if age_group:
        keep &= pd.Series(
            [overlaps(lo, hi, age_group) for lo, hi in zip(flat.age_min, flat.age_max)],
            index=flat.index,
            dtype=bool,
        )
    if text and text.strip():
        needle = text.strip().casefold()
        hay = (flat.target_group + " " + flat.title + " " + flat.description).str.casefold()
        keep &= hay.str.contains(needle, regex=False)
    out = flat[keep]
    if ags and ags != KREIS_AGS:
        out = out.sort_values("local", ascending=False, kind="stable")
    return out.reset_index(drop=True)


def gaps(catalogue: Catalogue, age_groups: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Rows of :func:`growth_coverage` that are gaps (same columns and keywords)."""
    g = growth_coverage(catalogue, age_groups, **kwargs)
    return g[g.gap].reset_index(drop=True)


def coverage(catalogue: Catalogue, *, active_only: bool = True) -> pd.DataFrame:
    """Which fields of action are active where: municipality × field of action counts.

    Returns
    -------
    DataFrame
        15 × 5 rows (zeros included): ``ags``, ``municipality``, ``field_of_action``
        (categorical in official order), ``n_measures`` (measures serving the municipality,
        active ones only if ``active_only``), ``n_local`` (of those, listed for the
        municipality itself rather than district-wide).
    """
    served = _served_measures(catalogue)
    if active_only:
        served = served[served.active]
    grid = pd.MultiIndex.from_product(
        [list(MUNICIPALITIES), list(FIELDS_OF_ACTION)], names=["ags", "field_of_action"]
    )
    n = served.groupby(["ags", "field_of_action"]).agg(
        n_measures=("measure_id", "size"), n_local=("district_wide", lambda s: int((~s).sum()))
    )
    out = n.reindex(grid, fill_value=0).reset_index()
    out.insert(1, "municipality", out.ags.map(MUNICIPALITIES))
    out["field_of_action"] = pd.Categorical(
        out.field_of_action, categories=list(FIELDS_OF_ACTION), ordered=True
    )
    out["n_measures"] = out.n_measures.astype(int)
    out["n_local"] = out.n_local.astype(int)
    return out


__all__ = [
    "STRONG_GROWTH_PCT",
    "STRONG_GROWTH_MIN_PERSONS",
    "DEFAULT_HORIZON",
    "TOTAL_LABEL",
    "ACTIVE_STATUSES",
    "KREIS_AGS",
    "overlaps",
    "measure_groups",
    "group_changes",
    "linked_measures",
    "growth_coverage",
    "gaps",
    "coverage",
    "filter_measures",
]
