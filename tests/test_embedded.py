"""Invariants of the embedded official tables (real data, no fixtures)."""

import pytest

from dashboard.constants import AGE_GROUPS_17, MUNICIPALITIES
from dashboard.data import (
    DataFormatError,
    embedded,
    grid_age_shares,
    kreis_age_groups,
    life_table,
    municipal_boundaries,
    municipal_totals,
    nrw_tfr,
    vital_events,
    zensus2022_municipal,
)
from dashboard.data.integrity import verify_all, verify_raw_file


def test_kreis_age_table_totals_match_published_quick_reference():
    k = kreis_age_groups()
    totals = k.groupby("year").population.sum()
    # Quick reference of shared/data/README.md (official 12411 figures).
    assert totals[2015] == 262_828
    assert totals[2021] == 266_771
    assert totals[2024] == 279_285
    assert set(k.age_group.astype(str)) == set(AGE_GROUPS_17)
    assert (k.groupby(["year", "sex"]).size() == 17).all()
    assert set(k[k.year >= 2022].basis) == {"Zensus 2022"}
    assert set(k[k.year <= 2021].basis) == {"Zensus 2011"}


def test_vital_events_match_quick_reference():
    v = vital_events()
    tot = v[(v.sex == "total") & (v.age_group == "total")].pivot(
        index="year", columns="event", values="value"
    )
    assert tot.births.tolist() == [2581, 2634, 2551, 2443, 2377]
    assert tot.deaths.tolist() == [3397, 3357, 3657, 3585, 3474]
    net = (tot.in_migration - tot.out_migration).tolist()
    assert net == [1365, 2323, 5178, 2914, 1898]
    # sexes add up to the total for every event and year
    s = v[v.age_group == "total"].pivot_table(index=["year", "event"], columns="sex", values="value")
    assert ((s.female + s.male) == s.total).all()


def test_municipal_tables_cover_all_15():
    assert zensus2022_municipal().population.sum() == 275_392
    m = municipal_totals(year_end_only=True, official_only=True)
    assert set(m.ags) == set(MUNICIPALITIES)
    gv2021 = m[(m.year == 2021)].population.sum()
    assert gv2021 == 266_771  # GV Auszug municipal sum equals the Kreis table of 31.12.2021
    shares = grid_age_shares().groupby("ags").share.sum()
    assert ((shares - 1).abs() < 1e-12).all() and len(shares) == 15


def test_life_table_and_tfr():
    lt = life_table()
    assert lt.groupby("sex").age.agg(["min", "max"]).values.tolist() == [[0, 100], [0, 100]]
    tfr = nrw_tfr()
    assert tfr.year.is_unique and tfr.tfr.between(1.0, 2.0).all()
    assert len(municipal_boundaries()["features"]) == 15
    assert len(municipal_boundaries(nrw=True)["features"]) == 396


def test_every_raw_file_matches_its_recorded_hash():
    names = verify_all(embedded.RAW_DIR)
    assert len(names) >= 20


def test_modified_raw_file_is_refused(tmp_path):
    raw = tmp_path / "raw"
    (raw / "x").mkdir(parents=True)
    (raw / "x" / "a.csv").write_text("a\n1\n")
    (raw / "SHA256SUMS").write_text("0" * 64 + "  ./x/a.csv\n")
    with pytest.raises(DataFormatError) as err:
        verify_raw_file(raw, "x/a.csv")
    assert "verändert" in str(err.value) and "x/a.csv" in str(err.value)
