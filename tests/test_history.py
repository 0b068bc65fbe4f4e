"""Tests of the municipal history across census breaks."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from dashboard.constants import BASIS_VZ1987, BASIS_Z2011, BASIS_Z2022, KREIS_AGS, MUNICIPALITIES
from dashboard.data import municipal_totals, zensus2022_municipal
from dashboard.data.history import census_breaks, linked_growth, municipal_history


@pytest.fixture(scope="module")
def hist() -> pd.DataFrame:
    return municipal_history()


def test_every_area_is_present_with_kreis(hist: pd.DataFrame) -> None:
    assert set(hist.ags) == set(MUNICIPALITIES) | {KREIS_AGS}
    assert set(hist.basis) == {BASIS_VZ1987, BASIS_Z2011, BASIS_Z2022}
    assert (hist.loc[hist.ags == KREIS_AGS, "municipality"] == "Kreis Düren").all()
    # one primary row per area and date
    prim = hist[hist.primary]
    assert not prim.duplicated(["ags", "reference_date"]).any()
    assert set(zip(prim.ags, prim.reference_date)) == set(zip(hist.ags, hist.reference_date))


def test_levels_keep_their_value_and_basis(hist: pd.DataFrame) -> None:
    m = municipal_totals()
    merged = m.merge(hist, on=["ags", "reference_date", "basis", "source"], suffixes=("_m", "_h"))
    assert len(merged) == len(m)
    np.testing.assert_array_equal(merged.population_m.astype(float), merged.population_h)
    z = hist[(hist.reference_date == pd.Timestamp("2022-05-15")) & (hist.ags != KREIS_AGS)]
    z = z.set_index("ags").population
    zz = zensus2022_municipal().set_index("ags").population
    assert (z[zz.index] == zz.astype(float)).all()
    k = hist[(hist.ags == KREIS_AGS) & (hist.reference_date == pd.Timestamp("2024-12-31")) & hist.primary]
    assert k.population.item() == 279_285 and k.basis.item() == BASIS_Z2022


def test_linked_growth_equals_official_growth_within_a_basis(hist: pd.DataFrame) -> None:
    off = hist[~hist.estimated]
    checked = 0
    for (ags, basis), g in off.groupby(["ags", "basis"]):
        g = g.sort_values("reference_date")
        for (_, a), (_, b) in itertools.pairwise(g.iterrows()):
            assert b.linked_population / a.linked_population == pytest.approx(
                b.population / a.population, rel=1e-12
            ), (ags, basis, a.reference_date, b.reference_date)
            checked += 1
    assert checked > 200


def test_links_remove_the_census_jump(hist: pd.DataFrame) -> None:
    br = census_breaks()
    for r in br.itertuples():
        if r.link_quality.startswith("same date") and r.census == "Zensus 2011":
            rows = hist[
                (hist.ags == r.ags)
                & (hist.reference_date == r.link_date)
                & hist.basis.isin([r.old_basis, r.new_basis])
            ]
            if set(rows.basis) == {r.old_basis, r.new_basis}:
                lp = rows.linked_population.to_numpy()
                assert lp.max() / lp.min() == pytest.approx(1.0, rel=1e-12), r.ags
    # the Kreis on 31.12.2022: both bases official, equal after linking
    k = hist[(hist.ags == KREIS_AGS) & (hist.reference_date == pd.Timestamp("2022-12-31"))]
    assert set(k.basis) == {BASIS_Z2011, BASIS_Z2022}
    assert k.linked_population.max() == pytest.approx(k.linked_population.min(), rel=1e-12)


def test_census_breaks_sizes(hist: pd.DataFrame) -> None:
    br = census_breaks()
    assert len(br) == 2 * 16
    assert br.link_factor.notna().all()
    k11 = br[(br.ags == KREIS_AGS) & (br.census == "Zensus 2011")].iloc[0]
    assert k11.new_level == 258_524 and k11.old_level == 267_100
    assert k11.difference_pct == pytest.approx(-3.2, abs=0.05)  # quoted revision: −3.2 %
    k22 = br[(br.ags == KREIS_AGS) & (br.census == "Zensus 2022")].iloc[0]
    assert (k22.old_level, k22.new_level) == (270_833, 276_675)
    lin = br[(br.ags == "05358036") & (br.census == "Zensus 2011")].iloc[0]
    assert lin.difference_pct == pytest.approx(-6.6, abs=0.05)  # quoted: Linnich −6.6 %
    assert lin.link_quality == "same date"
    # worked example: Zensus 2022 link of Heimbach, old level interpolated to 15.05.2022
    h = br[(br.ags == "05358012") & (br.census == "Zensus 2022")].iloc[0]
    a, b = 4262.0, 4365.0  # Z11 basis 31.12.2021 (GV), 31.12.2022 (BBSR)
    w = (pd.Timestamp("2022-05-15") - pd.Timestamp("2021-12-31")).days / 365
    assert h.old_level == pytest.approx(a * (b / a) ** w)
    assert h.new_level == 4482
    ambiguous = br[br.link_quality == "date ambiguous"]
    assert set(ambiguous.census) == {"Zensus 2011"}


def test_linked_growth_helper(hist: pd.DataFrame) -> None:
    # Kreis 31.12.2011 -> 31.12.2021 within the Zensus 2011 basis: 266,771 / 258,524
    assert linked_growth(KREIS_AGS, "2011-12-31", "2021-12-31") == pytest.approx(266_771 / 258_524)
    # across the 2022 break: official Z11 growth to the link date times Z22 growth after it
    g = linked_growth(KREIS_AGS, "2021-12-31", "2024-12-31")
    assert g == pytest.approx(270_833 / 266_771 * 279_285 / 276_675)


def test_estimated_rows_are_flagged(hist: pd.DataFrame) -> None:
    # estimated Zensus-2022-based levels: 31.12.2022 and 2023 only; 31.12.2024 is official
    e = hist[hist.estimated]
    assert len(e) == 15 * 2 and set(e.year) == {2022, 2023}
    assert (e.basis == BASIS_Z2022).all() and (~e.official_table).all()
    assert municipal_history(include_estimates=False).estimated.sum() == 0


def test_official_2024_municipal_levels_are_primary(hist: pd.DataFrame) -> None:
    r = hist[(hist.reference_date == pd.Timestamp("2024-12-31")) & (hist.ags != KREIS_AGS)]
    assert len(r) == 15 and r.primary.all() and r.official_table.all() and not r.estimated.any()
    assert (r.basis == BASIS_Z2022).all() and "12411-15i" in r.source.iloc[0]
    assert r.set_index("ags").population[["05358008", "05358012", "05358052"]].tolist() == [
        94_568,
        4_487,
        12_131,
    ]
    assert r.population.sum() == 279_285
    h0 = municipal_history(include_estimates=False)
    assert ((h0.reference_date == pd.Timestamp("2024-12-31")) & (h0.ags != KREIS_AGS)).sum() == 15


def test_census_neutral_series_follows_the_zensus_2022_basis_after_the_census(hist: pd.DataFrame) -> None:
    # linked growth from the census day to 31.12.2024 equals the official Zensus-2022-based
    # growth (census result -> IT.NRW 12411-15i), not a mix of the two Fortschreibungen
    g = linked_growth("05358012", "2022-05-15", "2024-12-31")
    assert g == pytest.approx(4_487 / 4_482, rel=1e-12)
    for ags in ["05358008", "05358044", "05358060"]:
        rows = hist[
            (hist.ags == ags) & hist.linked_primary & (hist.reference_date > pd.Timestamp("2022-05-15"))
        ]
        assert (rows.basis == BASIS_Z2022).all(), ags
        # the primary (shown) levels of 2022/2023 stay the official Zensus-2011-based ones
        shown = hist[
            (hist.ags == ags)
            & hist.primary
            & hist.reference_date.isin([pd.Timestamp("2022-12-31"), pd.Timestamp("2023-12-31")])
        ]
        assert len(shown) == 2
        assert (shown.basis == BASIS_Z2011).all() and not shown.estimated.any()
