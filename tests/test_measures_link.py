"""Linking rules measures <-> projected planning age groups.

Worked examples use a SYNTHETIC age-group frame and a SYNTHETIC catalogue (labelled as such,
numbers invented for the arithmetic only); the invariants also run on the real catalogue.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from dashboard.constants import AGS_LIST, KREIS_AGS
from dashboard.data import measures as M
from dashboard.projection import measures_link as L
from tests._synthetic_measures import (
    DUEREN,
    HEIMBACH,
    NIDEGGEN,
    TITZ,
    F,
    synthetic_age_groups,
    synthetic_catalogue,
)


@pytest.mark.parametrize(
    "lo, hi, group, expected",
    [
        (65, None, "80+", True),
        (65, None, "65-79", True),
        (65, None, "45-64", False),
        (0, 6, "6-9", True),
        (0, 5, "6-9", False),
        (0, 6, "0-2", True),
        (13, 27, "10-15", True),
        (13, 27, "25-44", True),
        (13, 27, "45-64", False),
        (14, 17, "19-24", False),
        (14, 17, "16-18", True),
        (20, 64, "65-79", False),
        (80, 80, "80+", True),
        (0, None, "80+", True),
    ],
)
def test_overlap_rule_worked_examples(lo, hi, group, expected):
    assert L.overlaps(lo, hi, group) is expected


def test_group_changes_worked_example_and_identity():
    ag = synthetic_age_groups()
    ch = L.group_changes(ag, NIDEGGEN, include_total=True)
    row = ch[(ch.age_group == "80+") & (ch.year == 2030)].iloc[0]
    assert (row.population_base, row.population, row.change) == (400, 480, 80)
    assert row.change_pct == pytest.approx(20.0)
    r45 = ch[(ch.age_group == "80+") & (ch.year == 2045)].iloc[0]
    assert r45.change == 160 and r45.change_pct == pytest.approx(40.0)
    # the groups' changes add up to the total change, for every horizon
    for year in (2030, 2045):
        sub = ch[ch.year == year]
        groups = sub[sub.age_group != L.TOTAL_LABEL]
        total = sub[sub.age_group == L.TOTAL_LABEL].iloc[0]
        assert groups.change.sum() == total.change
        assert len(groups) == 10
    with pytest.raises(ValueError, match="2040"):
        L.group_changes(ag, NIDEGGEN, years=(2040,))
    with pytest.raises(ValueError, match="05358999"):
        L.group_changes(ag, "05358999")


def test_linked_measures_serve_the_municipality_and_overlap():
    ag, cat = synthetic_age_groups(), synthetic_catalogue()
    nid = L.linked_measures(cat, ag, NIDEGGEN, years=(2030,))
    # Nideggen: S1 (its own), S2 and S3 (district-wide); not S4 (Düren only)
    assert list(dict.fromkeys(nid.measure_id)) == ["S1", "S2", "S3"]
    assert nid[nid.measure_id == "S1"].age_group.astype(str).tolist() == ["65-79", "80+"]
    assert nid[nid.measure_id == "S2"].age_group.astype(str).tolist() == ["0-2", "3-5", "6-9"]
    assert len(nid[nid.measure_id == "S3"]) == 10 and nid[nid.measure_id == "S3"].all_ages.all()
    s1_80 = nid[(nid.measure_id == "S1") & (nid.age_group == "80+")].iloc[0]
    assert (s1_80.change, s1_80.change_pct, bool(s1_80.active)) == (80, pytest.approx(20.0), True)
    due = L.linked_measures(cat, ag, DUEREN, years=(2030,))
    assert set(due.measure_id) == {"S2", "S3", "S4"}
    kreis = L.linked_measures(cat, ag, KREIS_AGS, years=(2030,))
    assert list(dict.fromkeys(kreis.measure_id)) == ["S1", "S2", "S3", "S4"]
    k80 = kreis[(kreis.measure_id == "S4") & (kreis.age_group == "80+")].iloc[0]
    assert k80.population_base == 15 * 400 and k80.change == 80 + 120  # Nideggen + Titz
    with pytest.raises(ValueError):
        L.linked_measures(cat, ag, "05358999")


def test_gaps_worked_example():
    ag, cat = synthetic_age_groups(), synthetic_catalogue()
    table = L.growth_coverage(cat, ag)
    assert len(table) == 150
    strong = {(r.ags, str(r.age_group)) for r in table[table.strongly_growing].itertuples()}
    # Düren 0-2 (+5 %) and Heimbach 3-5 (+10 persons) are not strongly growing
    assert strong == {(NIDEGGEN, "80+"), (NIDEGGEN, "0-2"), (TITZ, "80+")}
    g = L.gaps(cat, ag)
    # Nideggen 80+ is answered by S1; Nideggen 0-2 only by the ended S2 and the all-ages S3;
    # Titz 80+ by nothing (S1 serves Nideggen, S4 Düren)
    assert {(r.ags, str(r.age_group)) for r in g.itertuples()} == {(NIDEGGEN, "0-2"), (TITZ, "80+")}
    # Nideggen 80+ is answered by S1, which names Nideggen: not "district-wide only"
    assert not table.district_wide_only.any()
    nid80 = table[(table.ags == NIDEGGEN) & (table.age_group == "80+")].iloc[0]
    assert (nid80.n_active, nid80.n_active_local, nid80.measure_ids, nid80.n_active_all_ages) == (
        1,
        1,
        "S1",
        1,
    )
    # counting all-ages measures closes every gap (S3 serves the whole district) but leaves
    # Nideggen 0-2 and Titz 80+ answered by district-wide measures only
    assert L.gaps(cat, ag, count_all_ages=True).empty
    t2 = L.growth_coverage(cat, ag, count_all_ages=True)
    assert {(r.ags, str(r.age_group)) for r in t2[t2.district_wide_only].itertuples()} == {
        (NIDEGGEN, "0-2"),
        (TITZ, "80+"),
    }
    # a lower threshold or persons floor widens the set
    assert (HEIMBACH, "3-5") in {
        (r.ags, str(r.age_group)) for r in L.gaps(cat, ag, min_persons=5).itertuples()
    }
    assert L.gaps(cat, ag, horizon=2045).pipe(lambda d: set(zip(d.ags, d.age_group.astype(str)))) == {
        (TITZ, "80+")
    }  # Nideggen 0-2 is back at 400 in 2045


def test_coverage_worked_example():
    cat = synthetic_catalogue()
    cov = L.coverage(cat)
    assert len(cov) == 75
    c = cov.set_index(["ags", "field_of_action"]).n_measures
    assert c[(NIDEGGEN, F[4])] == 1 and c[(TITZ, F[4])] == 0  # S1 only in Nideggen
    assert all(c[(a, F[3])] == 1 for a in AGS_LIST)  # S3 everywhere
    assert all(c[(a, F[1])] == 0 for a in AGS_LIST)  # S2 ended: not active
    assert (
        L.coverage(cat, active_only=False).set_index(["ags", "field_of_action"]).n_measures[(TITZ, F[1])] == 1
    )
    assert cov.set_index(["ags", "field_of_action"]).n_local[(DUEREN, F[2])] == 1


def test_real_catalogue_coverage_accounting():
    cat = M.build_catalogue()[0]
    cov = L.coverage(cat)
    flat = cat.flat()
    active_ids = set(flat[flat.active].id)
    served = cat.served()
    assert cov.n_measures.sum() == served.measure_id.isin(active_ids).sum()
    assert (cov.n_local <= cov.n_measures).all()
    # every measure overlaps at least one planning group
    assert set(L.measure_groups(cat).measure_id) == set(cat.measures.id)


def test_real_catalogue_on_synthetic_projection_runs_for_every_municipality():
    ag, cat = synthetic_age_groups(), M.build_catalogue()[0]
    for ags in AGS_LIST:
        lm = L.linked_measures(cat, ag, ags)
        served_ids = set(cat.served().query("ags == @ags").measure_id)
        assert set(lm.measure_id) == served_ids
        assert lm.change.notna().all()


def test_linking_layer_imports_without_dash_or_plotly():
    code = (
        "import sys, dashboard.projection.measures_link; "
        "print([m for m in sys.modules if m.split('.')[0] in ('dash', 'plotly')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_filter_measures_on_synthetic_and_real_catalogue():
    cat = synthetic_catalogue()
    ids = lambda **kw: L.filter_measures(cat, **kw).id.tolist()  # noqa: E731
    assert ids() == ["S1", "S2", "S3", "S4"]
    assert ids(ags=NIDEGGEN) == ["S1", "S2", "S3"]  # local first
    assert ids(ags=DUEREN) == ["S4", "S2", "S3"]
    assert ids(age_group="80+") == ["S1", "S3", "S4"]
    assert ids(age_group="3-5", status="aktiv") == ["S3"]
    assert ids(field=F[2]) == ["S4"]
    assert ids(status="abgeschlossen") == ["S2"]
    real = M.build_catalogue()[0]
    r = L.filter_measures(real, ags=NIDEGGEN, text="dorfladen")
    assert r.id.tolist() == ["M36"] and bool(r.local.iloc[0])
    r = L.filter_measures(real, ags="05358004", age_group="80+", status="aktiv")
    assert not r.local.any() and len(r) > 0  # Aldenhoven: only district-wide active 80+ measures
