"""Local scenarios (issue 13): Neubau, own net migration, one-off changes — model, codecs, data.

The household sizes are the published Zensus 2022 figures (Regionaltabelle Haushalte,
Nideggen: 4,933 households; 1,623 / 1,828 / 686 / 559 / 153 / 80 of 1 … 6+ persons).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.constants import AGS_LIST, KREIS_AGS, OPEN_AGE
from dashboard.data import embedded, official, zensus2022_households
from dashboard.figures.labels import assumptions_de
from dashboard.projection import engine
from dashboard.projection.local import (
    KINDS,
    LIMITS,
    QUERY_KEYS,
    LocalScenario,
    NewHousing,
    OneOffChange,
    OwnMigration,
    default_persons_per_dwelling,
    parse_new_housing,
    parse_one_off,
    parse_own_migration,
)
from dashboard.projection.scenarios import Scenario
from dashboard.projection.uncertainty import project_probabilistic

NIDEGGEN, HEIMBACH, DUEREN = "05358044", "05358012", "05358008"


def _total(res, ags: str, year: int) -> float:
    i = res.indicators
    return float(i.loc[(i.ags == ags) & (i.year == year), "population"].iloc[0])


def _group(res, ags: str, year: int, group: str) -> float:
    g = res.age_groups
    return float(g.loc[(g.ags == ags) & (g.year == year) & (g.age_group == group), "population"].iloc[0])


def _local(**kw) -> Scenario:
    return Scenario(local=LocalScenario(**kw))


# ---------------------------------------------------------------------------------------
# data: Zensus 2022 household sizes
# ---------------------------------------------------------------------------------------


def test_household_table_contract_and_the_published_nideggen_row() -> None:
    h = zensus2022_households()
    assert list(h.ags) == list(AGS_LIST) and not h.estimated.any()
    assert h[["basis", "table", "publisher", "licence", "source", "origin"]].notna().all().all()
    n = h.set_index("ags").loc[NIDEGGEN]
    assert n.households == 4933
    sizes = [n.size_1, n.size_2, n.size_3, n.size_4, n.size_5, n.size_6plus]
    assert sizes == [1623, 1828, 686, 559, 153, 80]
    assert n.mean_size == pytest.approx((1623 + 2 * 1828 + 3 * 686 + 4 * 559 + 5 * 153 + 6 * 80) / 4929)
    assert default_persons_per_dwelling(NIDEGGEN) == n.mean_size
    k = zensus2022_households(include_kreis=True).set_index("ags").loc[KREIS_AGS]
    assert k.households == 125_813 and abs(h.households.sum() - k.households) <= 15 * 10
    assert h.mean_size.between(2.0, 2.4).all()  # 2.02 (Jülich) … 2.32 (Niederzier)


def test_damaged_household_file_is_named_with_row_and_column(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(embedded.RAW_DIR, raw)
    f = raw / official.ZENSUS22_HOUSEHOLDS_FILE
    text = f.read_text(encoding="utf-8").replace(",4933,1623,", ",4933,16x3,", 1)
    f.write_text(text, encoding="utf-8")
    problems = [str(p) for p in official.validate_official_files(raw)]
    assert any(
        "Spalte 'HH_SIZE_NAT__1': erwartet eine ganze Zahl ≥ 0, gefunden '16x3'" in p
        and official.ZENSUS22_HOUSEHOLDS_FILE in p
        for p in problems
    )


# ---------------------------------------------------------------------------------------
# model
# ---------------------------------------------------------------------------------------


def test_empty_local_scenario_equals_basis_bit_for_bit() -> None:
    base = engine._build(Scenario(horizon=2030))
    empty = engine._build(Scenario(horizon=2030, local=LocalScenario()))
    # entries after the horizon: the local code path runs, adds nothing
    late = engine._build(
        Scenario(
            horizon=2030,
            local=LocalScenario(
                new_housing=(NewHousing(NIDEGGEN, 2035, 2040, 300),),
                own_migration=(OwnMigration(HEIMBACH, 80.0, 2031, 2040),),
                one_off=(OneOffChange(NIDEGGEN, 2033, 80, 80, OPEN_AGE),),
            ),
        )
    )
    for other in (empty, late):
        for k, v in base.arrays.items():
            assert np.array_equal(v, other.arrays[k]), k
        assert base.indicators.equals(other.indicators)


def test_200_dwellings_in_nideggen_raise_nideggen_its_children_and_not_the_kreis_more() -> None:
    base = engine.project(Scenario())
    res = engine.project(_local(new_housing=(parse_new_housing("05358044:2026-2030:200"),)))
    ppd = default_persons_per_dwelling(NIDEGGEN)
    movers = 200 * ppd  # 438.95 persons
    gain = _total(res, NIDEGGEN, 2030) - _total(base, NIDEGGEN, 2030)
    # the movers, minus their deaths, plus their children born 2026–2030, plus a slightly
    # larger share of the Kreis net migration for a larger town: within 10 % of the movers
    assert abs(gain - movers) < 0.10 * movers
    # the movers of 2026 arrive mid-year: they meet half a year of mortality
    first = _total(res, NIDEGGEN, 2026) - _total(base, NIDEGGEN, 2026)
    assert movers / 5 * 0.99 < first < movers / 5 * 1.02
    for g in ("0-2", "3-5"):
        assert _group(res, NIDEGGEN, 2030, g) > _group(base, NIDEGGEN, 2030, g) + 5
    kreis_gain = _total(res, KREIS_AGS, 2030) - _total(base, KREIS_AGS, 2030)
    assert 0 < kreis_gain <= gain + 1e-6


def test_movers_from_the_kreis_are_withdrawn_from_the_other_municipalities() -> None:
    base = engine.project(Scenario())
    half = engine.project(
        _local(new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200, share_from_kreis_pct=50.0),))
    )
    zero = engine.project(_local(new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200),)))
    movers = 200 * default_persons_per_dwelling(NIDEGGEN)
    g_half = _total(half, NIDEGGEN, 2030) - _total(base, NIDEGGEN, 2030)
    k_half = _total(half, KREIS_AGS, 2030) - _total(base, KREIS_AGS, 2030)
    k_zero = _total(zero, KREIS_AGS, 2030) - _total(base, KREIS_AGS, 2030)
    others = k_half - g_half
    assert others < 0 and abs(others + 0.5 * movers) < 0.05 * movers
    assert abs(k_zero - k_half - 0.5 * movers) < 0.05 * movers
    # every other municipality loses, in proportion to its size (Düren most)
    losses = {a: _total(half, a, 2026) - _total(base, a, 2026) for a in AGS_LIST if a != NIDEGGEN}
    assert all(v < 0 for v in losses.values()) and min(losses, key=losses.get) == DUEREN


def test_own_net_migration_replaces_the_share_of_the_kreis_level() -> None:
    base = engine.project(Scenario())
    res = engine.project(_local(own_migration=(parse_own_migration("05358012:50"),)))
    c, cb = res.components, base.components
    net = c[c.ags == HEIMBACH].groupby("year").net_migration.sum()
    assert np.allclose(net.to_numpy(), 50.0)  # every projected year, no floors
    # the other municipalities keep their targets: the Kreis changes by the difference
    for a in (DUEREN, NIDEGGEN):
        n1 = c[(c.ags == a) & (c.year == 2025)].net_migration.sum()
        n0 = cb[(cb.ags == a) & (cb.year == 2025)].net_migration.sum()
        assert n1 == pytest.approx(n0, abs=1e-9)
    kb = cb[(cb.ags == KREIS_AGS) & (cb.year == 2025)].net_migration.sum()
    hb = cb[(cb.ags == HEIMBACH) & (cb.year == 2025)].net_migration.sum()
    kr = c[(c.ags == KREIS_AGS) & (c.year == 2025)].net_migration.sum()
    assert kr == pytest.approx(kb - hb + 50.0)
    # limited years
    lim = engine.project(_local(own_migration=(OwnMigration(HEIMBACH, -30.0, 2030, 2032),)))
    n = lim.components.query("ags == @HEIMBACH").groupby("year").net_migration.sum()
    assert np.allclose(n.loc[2030:2032], -30.0) and not np.isclose(n.loc[2029], -30.0)


def test_permanent_care_home_keeps_its_places_occupied_one_time_arrivals_fade() -> None:
    base = engine.project(Scenario())
    perm = engine.project(_local(one_off=(parse_one_off("05358044:2027:80:80+"),)))
    once = engine.project(_local(one_off=(parse_one_off("05358044:2027:80:80+:einmalig"),)))
    d_perm = [_group(perm, NIDEGGEN, y, "80+") - _group(base, NIDEGGEN, y, "80+") for y in (2027, 2035, 2045)]
    d_once = [_group(once, NIDEGGEN, y, "80+") - _group(base, NIDEGGEN, y, "80+") for y in (2027, 2035, 2045)]
    # arrivals mid-year (half a year of the high mortality of the 80+) then kept at 80
    assert 70 < d_perm[0] < 80 and all(abs(d - 80) < 8 for d in d_perm[1:])
    assert d_once[0] == pytest.approx(d_perm[0]) and d_once[2] < 20
    # departures: a shelter with 120 persons of all ages closes in 2028
    out = engine.project(_local(one_off=(OneOffChange(DUEREN, 2028, -120),)))
    d = _total(out, DUEREN, 2028) - _total(base, DUEREN, 2028)
    assert -120 < d < -110


def test_balance_identity_holds_in_every_cell_of_a_local_scenario() -> None:
    s = _local(
        new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200, 2.5, 30.0), NewHousing(DUEREN, 2025, 2025, 1000)),
        own_migration=(OwnMigration(HEIMBACH, -400.0),),  # strong emigration: floors
        one_off=(
            OneOffChange(NIDEGGEN, 2027, 80, 80, OPEN_AGE, None, 40.0),
            OneOffChange(DUEREN, 2028, -300),
        ),
    )
    r = engine.project(s)
    P, B, D, M = (r.arrays[k] for k in ("population", "births", "deaths", "net_migration"))
    aged = np.zeros_like(P[:-1])
    aged[..., 1:] = P[:-1, ..., :-1]
    aged[..., -1] += P[:-1, ..., -1]
    rhs = aged - D + M
    rhs[..., 0] += B
    assert np.abs(P[1:] - rhs).max() < 1e-8
    assert (P >= 0).all()


def test_local_bands_are_centred_on_the_local_projection_fast_and_kernel_agree() -> None:
    s = _local(
        new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200, share_from_kreis_pct=30.0),),
        own_migration=(OwnMigration(HEIMBACH, 50.0),),
        one_off=(OneOffChange(NIDEGGEN, 2027, 80, 80, OPEN_AGE),),
    )
    det = engine.project(s)
    for eng in ("fast", "kernel"):
        p = project_probabilistic(s, draws=4, spread=0.0, municipal_error=False, engine=eng)
        for a in (NIDEGGEN, HEIMBACH, DUEREN, KREIS_AGS):
            assert p.interval(a, 2040)["q50"] == pytest.approx(_total(det, a, 2040), rel=2e-6)
    wide = project_probabilistic(s, draws=200)
    base = project_probabilistic(Scenario(), draws=200)
    lo, hi = wide.interval(NIDEGGEN, 2030)["q10"], wide.interval(NIDEGGEN, 2030)["q90"]
    assert lo < _total(det, NIDEGGEN, 2030) < hi
    assert wide.interval(NIDEGGEN, 2030)["q50"] > base.interval(NIDEGGEN, 2030)["q50"] + 300


def test_assumptions_table_names_the_local_inputs_and_their_sources() -> None:
    r = engine.project(_local(new_housing=(parse_new_housing("05358044:2026-2030:200"),)))
    t = r.assumptions
    loc = assumptions_de(t[t.component == "local"])
    assert len(loc) >= 1 and set(loc.parameter_de) == {"Neubau Nideggen"}
    text = " ".join(loc.astype(str).to_numpy().ravel())
    assert "Nideggen" in text and "Zensus 2022" in text and "12711-01-03-4" in text
    assert "2,19" in text  # persons per dwelling, German format


# ---------------------------------------------------------------------------------------
# validation and codecs
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("05358044:2026-2030", "falsches Format"),
        ("05358999:2026-2030:200", "'05358999' ist keine Gemeinde"),
        ("05358044:2026/2030:200", "'2026/2030' ist kein Jahr"),
        ("05358044:2026-2030:zwei", "'zwei' ist keine ganze Zahl"),
        ("05358044:2026-2030:2,5", "'2,5' ist keine ganze Zahl"),
        ("05358044:2030-2026:200", "das letzte Jahr (2026) liegt vor dem ersten (2030)"),
        ("05358044:2020-2026:200", "das erste Jahr muss eine ganze Zahl von 2025 bis 2045 sein"),
        ("05358044:2026-2030:0", "die Zahl der Wohnungen muss eine ganze Zahl von 1 bis 10.000 sein"),
        ("05358044:2026-2030:200:9", "Personen je Wohnung muss eine Zahl von 1 bis 6 sein"),
        ("05358044:2026-2030:200::120", "der Anteil aus dem Kreis muss eine Zahl von 0 bis 100 % sein"),
    ],
)
def test_malformed_new_housing_is_named_in_german(text: str, needle: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_new_housing(text)
    assert needle in str(e.value) and repr(text) in str(e.value)


@pytest.mark.parametrize(
    ("parse", "text", "needle"),
    [
        (parse_own_migration, "05358012", "falsches Format"),
        (parse_own_migration, "05358012:viel", "'viel' ist keine Zahl"),
        (parse_own_migration, "05358012:9000", "von −5.000 bis 5.000"),
        (parse_one_off, "05358044:2027:0:80+", "darf nicht 0 sein"),
        (parse_one_off, "05358044:2027:80:90-80", "Höchstalter (80) liegt unter dem Mindestalter (90)"),
        (parse_one_off, "05358044:2027:-80:0-100:dauerhaft", "immer einmalig"),
        (parse_one_off, "05358044:2027:80:80+:manchmal", "'dauerhaft' oder 'einmalig'"),
    ],
)
def test_malformed_migration_and_one_off_are_named_in_german(parse, text: str, needle: str) -> None:
    with pytest.raises(ValueError) as e:
        parse(text)
    assert needle in str(e.value) and repr(text) in str(e.value)


def test_names_and_german_numbers_are_accepted() -> None:
    n = parse_new_housing("Nideggen:2026–2030:1.200:2,4:30 %")
    assert n == NewHousing(NIDEGGEN, 2026, 2030, 1200, 2.4, 30.0)
    assert parse_new_housing("05358044:2027:40:2.4") == NewHousing(NIDEGGEN, 2027, 2027, 40, 2.4)
    assert parse_own_migration("heimbach:−20") == OwnMigration(HEIMBACH, -20.0)
    assert parse_one_off("05358044:2027:80:80+") == OneOffChange(NIDEGGEN, 2027, 80, 80, OPEN_AGE)


def test_duplicate_own_migration_years_and_too_many_entries_are_refused() -> None:
    with pytest.raises(ValueError, match="zwei Angaben für das Jahr 2030"):
        LocalScenario(own_migration=(OwnMigration(HEIMBACH, 10.0), OwnMigration(HEIMBACH, 20.0, 2030, 2031)))
    LocalScenario(
        own_migration=(OwnMigration(HEIMBACH, 10.0, 2025, 2029), OwnMigration(HEIMBACH, 20.0, 2030, 2031))
    )
    with pytest.raises(ValueError, match="höchstens 20 Einträge"):
        LocalScenario(new_housing=tuple(NewHousing(NIDEGGEN, 2026, 2026, k + 1) for k in range(21)))
    with pytest.raises(ValueError, match="LocalScenario erwartet"):
        Scenario(local={"new_housing": []})  # type: ignore[arg-type]


def test_json_errors_name_the_path_of_the_bad_field() -> None:
    bad = {
        "new_housing": [{"ags": NIDEGGEN, "first_year": 2026, "last_year": 2030, "dwellings": "200"}],
        "one_off": [{"ags": NIDEGGEN, "year": 2027}],
        "extra": [],
    }
    with pytest.raises(ValueError) as e:
        LocalScenario.from_dict(bad)
    msg = str(e.value)
    assert "local.new_housing[0]" in msg and "Zahl der Wohnungen" in msg and "'200'" in msg
    assert "local.one_off[0]: es fehlen die Felder ['persons']" in msg
    assert "local.extra: unbekannter Schlüssel" in msg
    with pytest.raises(ValueError, match="kein gültiges JSON"):
        LocalScenario.from_json("{nicht json")


# hypothesis strategies for valid entries
_ags = st.sampled_from(AGS_LIST)
_year = st.integers(2025, 2045)
_pct = st.none() | st.floats(0, 100, allow_nan=False)
_housing = st.builds(
    lambda a, y1, dy, n, ppd, s: NewHousing(a, y1, min(y1 + dy, 2045), n, ppd, s),
    _ags,
    _year,
    st.integers(0, 10),
    st.integers(*LIMITS["dwellings"]),
    st.none() | st.floats(1.0, 6.0, allow_nan=False),
    _pct,
)
_own = st.builds(
    lambda a, net, yrs: OwnMigration(a, net, *(yrs or (None, None))),
    _ags,
    st.floats(-5000, 5000, allow_nan=False),
    st.none() | st.tuples(_year, _year).map(sorted).map(tuple),
)
_once = st.builds(
    lambda a, y, n, lo, span, perm, s: OneOffChange(
        a, y, n, lo, min(lo + span, OPEN_AGE), perm if (perm is not True or n > 0) else None, s
    ),
    _ags,
    _year,
    st.integers(-5000, 5000).filter(lambda n: n != 0),
    st.integers(0, OPEN_AGE),
    st.integers(0, OPEN_AGE),
    st.none() | st.booleans(),
    _pct,
)


def test_the_kinds_table_declares_each_list_of_a_local_scenario_once() -> None:
    assert list(KINDS) == [f.name for f in dataclasses.fields(LocalScenario)]
    assert [k.item for k in KINDS.values()] == [NewHousing, OwnMigration, OneOffChange]
    assert QUERY_KEYS == {
        "new_housing": "neubau",
        "own_migration": "wanderung_gemeinde",
        "one_off": "einmalig",
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(h=_housing, m=_own, c=_once)
def test_text_forms_round_trip_exactly(h: NewHousing, m: OwnMigration, c: OneOffChange) -> None:
    for x in (h, m, c):
        kind = next(k for k in KINDS.values() if type(x) is k.item)
        y = kind.parse(kind.format(x))
        assert type(y) is kind.item and y == x
        for f in dataclasses.fields(x):  # exact, not only ==: same floats bit for bit
            assert repr(getattr(x, f.name)) == repr(getattr(y, f.name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hs=st.lists(_housing, max_size=4),
    ms=st.lists(_own, max_size=1),
    cs=st.lists(_once, max_size=4),
)
def test_url_and_json_round_trips_are_exact(hs, ms, cs) -> None:
    local = LocalScenario(tuple(hs), tuple(ms), tuple(cs))
    assert LocalScenario.from_query(local.to_query()) == local
    assert LocalScenario.from_json(local.to_json()) == local
    assert LocalScenario.from_json(local.to_json()).to_json() == local.to_json()
    from urllib.parse import parse_qs, urlencode

    q = {k: v[0] for k, v in parse_qs(urlencode(local.to_query())).items()}
    assert LocalScenario.from_query(q) == local
