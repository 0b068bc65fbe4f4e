"""Local scenarios in the app (issue 13): URL state, panel logic, saving, files, downloads, brief,
Werkzeugkoffer. Functions are called directly or through the Flask test client (no browser)."""

from __future__ import annotations

import base64
import io
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.app import _local_panel, _model, server
from dashboard.app.pages import _measures_components as C
from dashboard.app.pages import kurzbericht, szenarien
from dashboard.projection.local import LocalScenario, NewHousing, OneOffChange, OwnMigration
from dashboard.projection.scenario_file import to_json
from dashboard.projection.scenarios import PRESETS, Scenario
from tests._accounts import signed_in

NIDEGGEN, HEIMBACH = "05358044", "05358012"
LOCAL = LocalScenario(new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200),))


def _text(component) -> str:
    return json.dumps(
        component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
        default=str,
        ensure_ascii=False,
    )


def test_spec_carries_local_inputs_through_the_url_and_the_selection() -> None:
    spec = _model.ScenarioSpec("zuwanderung_hoch").with_local(LOCAL)
    q = spec.query()
    assert q == {"szenario": "zuwanderung_hoch", "neubau": "05358044:2026-2030:200"}
    assert _model.parse_scenario(q["szenario"], local=q) == spec
    assert _model.to_scenario(spec) == Scenario("zuwanderung_hoch", migration_factor=1.5, local=LOCAL)
    assert _model.to_scenario(_model.ScenarioSpec()) is PRESETS["basis"]
    sel = _model.selection(_model.ScenarioSpec())
    assert sel["neubau"] is None and sel["einmalig"] is None and sel["wanderung_gemeinde"] is None
    assert _model.spec_label(spec) == "Hohe Zuwanderung mit lokalen Annahmen"
    assert _model.parse_local({"neubau": "kaputt"}) == LocalScenario()
    assert _model.parse_local(["neubau"]) == LocalScenario()


def test_spec_from_a_saved_scenario() -> None:
    assert _model.spec_from_scenario(Scenario(local=LOCAL)) == _model.ScenarioSpec("basis").with_local(LOCAL)
    own = _model.spec_from_scenario(Scenario("eigenes", tfr=1.6, net_migration=2000.0, local=LOCAL))
    assert own == _model.ScenarioSpec(_model.CUSTOM, 1.6, None, 2000.0).with_local(LOCAL)
    with pytest.raises(ValueError, match="Zieljahr 2030"):
        _model.spec_from_scenario(Scenario("x", tfr=1.6, horizon=2030))
    with pytest.raises(ValueError, match="nicht im erlaubten Bereich"):
        _model.spec_from_scenario(Scenario("x", tfr=2.9))


def test_panel_adds_replaces_and_removes_entries_with_german_messages() -> None:
    local, msg = _local_panel.edit(
        LocalScenario(), ("add", "new_housing"), NIDEGGEN, {"wohnungen": "1.200", "von": 2026, "bis": 2030}
    )
    assert local.new_housing == (NewHousing(NIDEGGEN, 2026, 2030, 1200),) and "Übernommen" in msg
    local, _ = _local_panel.edit(local, ("add", "own_migration"), HEIMBACH, {"saldo": "50"})
    local, _ = _local_panel.edit(local, ("add", "own_migration"), HEIMBACH, {"saldo": "−20", "von": 2030})
    # the new own migration wins for 2030–2045; the old one is dropped (one per municipality and year)
    assert local.own_migration == (OwnMigration(HEIMBACH, -20.0, 2030, 2045),)
    local, _ = _local_panel.edit(
        local,
        ("add", "one_off"),
        NIDEGGEN,
        {"jahr": 2027, "personen": "80", "alter_von": "80", "alter_bis": "", "dauerhaft": ["ja"]},
    )
    assert local.one_off == (OneOffChange(NIDEGGEN, 2027, 80, 80, 100, True),)
    local, msg = _local_panel.edit(local, ("remove", "new_housing", 0), NIDEGGEN, {})
    assert local.new_housing == () and msg.startswith("Entfernt: Nideggen: 1.200 Wohnungen")
    assert _local_panel.edit(local, ("remove", "one_off", 7), NIDEGGEN, {}) == (local, "")
    bad = [
        ({"wohnungen": "", "von": 2026, "bis": 2030}, "Zahl der Wohnungen: bitte eine Zahl eingeben."),
        ({"wohnungen": "zwei", "von": 2026, "bis": 2030}, "'zwei' ist keine ganze Zahl"),
        (
            {"wohnungen": "200", "von": 2030, "bis": 2026},
            "das letzte Jahr (2026) liegt vor dem ersten (2030)",
        ),
        (
            {"wohnungen": "200", "von": 2026, "bis": 2030, "ppw": "9"},
            "Personen je Wohnung muss eine Zahl von 1 bis 6",
        ),
    ]
    for values, needle in bad:
        with pytest.raises(ValueError) as e:
            _local_panel.edit(LocalScenario(), ("add", "new_housing"), NIDEGGEN, values)
        assert needle in str(e.value)
    # a departure is one-time even when the "places stay occupied" box is ticked
    gone = _local_panel.new_entry("one_off", NIDEGGEN, {"jahr": 2028, "personen": "-50", "dauerhaft": ["ja"]})
    assert gone == OneOffChange(NIDEGGEN, 2028, -50, 0, 100, False) and not gone.is_permanent


def test_effect_view_equals_the_model_and_its_figure_validates() -> None:
    spec = szenarien.own_spec(None, None, None, listed=LOCAL.to_query())
    fig, table = _local_panel.effect_view(spec, NIDEGGEN, 2035)
    go.Figure(fig.to_dict())  # a wrong property name fails here
    eff = _model.local_effect(spec, NIDEGGEN, 2035).set_index("age_group")
    groups = _model.result(spec).age_groups
    g = groups[(groups.ags == NIDEGGEN) & (groups.year == 2035)].set_index("age_group").population
    assert eff.loc["3-5", "with_local"] == pytest.approx(float(g["3-5"]))
    assert list(fig.data[0].y)[::-1][:2] == ["0–2 (Krippe)", "3–5 (Kita)"]
    cells = [c.children for row in table.children[2].children for c in row.children]
    assert "Insgesamt" in cells and f"+{eff.loc['total', 'difference']:,.0f}".replace(",", ".") in cells
    assert "gegenüber Basis" in fig.layout.title.text


def test_fan_note_and_band_follow_the_local_inputs() -> None:
    spec = szenarien.own_spec(None, None, None, listed=LOCAL.to_query())
    assert "lokalen Annahmen selbst gelten dabei als sicher" in szenarien.fan_note(spec)
    assert "lokalen" not in szenarien.fan_note(szenarien.own_spec(None, None, None))
    q, draws, exact = _model.scenario_fan(spec)
    base, _, _ = _model.scenario_fan(szenarien.own_spec(None, None, None))
    sel = lambda f: f[(f.ags == NIDEGGEN) & (f.year == 2030) & (f.quantity == "population")].iloc[0]  # noqa: E731
    det = _model.result(spec).indicators.set_index(["ags", "year"]).population[NIDEGGEN, 2030]
    assert not exact and draws == _model.UNCERTAINTY_DRAWS
    assert sel(q).q10 < det < sel(q).q90 and sel(q).q50 > sel(base).q50 + 300


def test_upload_accepts_a_scenario_file_and_names_every_problem() -> None:
    doc = to_json(Scenario("eigenes", tfr=1.6, local=LOCAL), title="T")
    url = "data:application/json;base64," + base64.b64encode(doc.encode()).decode()
    msg, spec = _local_panel.upload(url, "s.json")
    assert spec == _model.ScenarioSpec(_model.CUSTOM, 1.6).with_local(LOCAL) and "s.json" in msg
    cases = [
        ("data:application/json;base64,!!!", "beschädigt"),
        ("data:application/json,{}", "kein base64"),
        (
            "data:application/json;base64," + base64.b64encode(b"{nope").decode(),
            "kein gültiges JSON (Zeile 1",
        ),
        ("data:application/json;base64," + base64.b64encode(b"x" * 70_000).decode(), "höchstens 64 KB"),
        (
            "data:application/json;base64,"
            + base64.b64encode(to_json(Scenario("x", horizon=2030)).encode()).decode(),
            "Zieljahr 2030",
        ),
        (None, "keine Datei"),
    ]
    for contents, needle in cases:
        msg, spec = _local_panel.upload(contents, "s.json")
        assert spec is None and needle in _text(msg), (needle, _text(msg))
    dl = _local_panel.download(szenarien.own_spec(None, None, None, listed=LOCAL.to_query()))
    assert (
        dl["filename"] == "szenario.json"
        and json.loads(dl["content"])["local"]["new_housing"][0]["dwellings"] == 200
    )


@pytest.mark.store
def test_save_needs_a_signed_in_user_and_the_permalink_opens_the_same_scenario(fresh_store) -> None:
    spec = szenarien.own_spec(1.6, None, None, listed=LOCAL.to_query())
    with server.test_request_context("/"):
        anonymous = _local_panel.save(spec, "Neubau", "")
    assert "melden Sie sich bitte an" in _text(anonymous) and fresh_store.scenarios() == []
    with signed_in("planung") as user:
        msg = _local_panel.save(spec, "Neubau Nideggen", "200 Wohnungen")
        empty = _local_panel.save(spec, "  ", "")
    assert "1 bis 120 Zeichen" in _text(empty)
    (saved,) = fresh_store.scenarios(ags=NIDEGGEN)
    assert saved.created_by == user.name and f"/szenarien?id={saved.key}" in _text(msg)
    loaded, opened = _model.load_saved(saved.key)
    assert opened == spec and loaded.title == "Neubau Nideggen"
    with server.test_request_context("/"):
        page = szenarien.layout(id=saved.key)
    text = _text(page)
    assert "Gespeichertes Szenario „Neubau Nideggen“" in text and user.name in text
    assert "Nideggen: 200 Wohnungen 2026–2030" in text
    with pytest.raises(ValueError, match="gibt es nicht"):
        _model.load_saved("AAAAAAAA")
    listed = _local_panel.saved_list(NIDEGGEN, list_id="x")
    assert "Neubau Nideggen" in _text(listed) and saved.key in _text(listed)


def test_page_guard_names_bad_local_values_in_german() -> None:
    import dash

    reg = {p["path"]: p for p in dash.page_registry.values()}
    with server.test_request_context("/"):
        page = reg["/szenarien"]["layout"](neubau="05358044:2026-2030:zwei", id="../etc")
        gem = reg["/gemeinde"]["layout"](ags=NIDEGGEN, einmalig="05358044:2027:0")
    text = _text(page)
    assert "„neubau=05358044:2026-2030:zwei“ ist ungültig" in text and "'zwei' ist keine ganze Zahl" in text
    assert "„id=../etc“ ist ungültig" in text
    assert "darf nicht 0 sein" in _text(gem)


def test_downloads_and_brief_use_the_local_scenario() -> None:
    c = server.test_client()
    base = c.get("/download/kennzahlen.csv?szenario=basis")
    loc = c.get("/download/kennzahlen.csv?szenario=basis&neubau=05358044:2026-2030:200")
    assert base.status_code == loc.status_code == 200

    def nid(resp) -> float:
        df = pd.read_csv(
            io.BytesIO(resp.data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str}
        )  # German download (issue 17.6): AGS, Jahr, Personen
        return float(df[(df.AGS == NIDEGGEN) & (df.Jahr == 2030)].Personen.iloc[0])

    assert nid(loc) > nid(base) + 400
    bad = c.get("/download/kennzahlen.csv?neubau=05358044:2026-2030:zwei")
    assert bad.status_code == 400 and "zwei" in bad.data.decode()
    twice = c.get("/download/kennzahlen.csv?neubau=05358044:2026:5&neubau=05358044:2027:5")
    assert twice.status_code == 400
    with server.test_request_context("/"):
        brief = kurzbericht.layout(ags=NIDEGGEN, szenario="basis", neubau="05358044:2026-2030:200")
    text = _text(brief)
    assert "Lokal: Nideggen: 200 Wohnungen 2026–2030." in text and "neubau=05358044" in text


def test_werkzeugkoffer_gap_view_uses_the_local_scenario() -> None:
    spec = _model.ScenarioSpec().with_local(
        LocalScenario(new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 3000),))
    )
    view = C.gaps_view(ags=NIDEGGEN, year=2030, spec=spec)
    assert "mit lokalen Annahmen" in _text(view["rule"])
    ag_local = C.age_groups_for(spec)
    ag_base = C.age_groups_for(_model.ScenarioSpec())

    def pick(ag) -> float:
        return float(
            ag[(ag.ags == NIDEGGEN) & (ag.year == 2030) & (ag.age_group == "3-5")].population.iloc[0]
        )

    assert pick(ag_local) > pick(ag_base) + 50
    from dashboard.app.pages import werkzeugkoffer

    assert werkzeugkoffer._spec("basis", spec.query()) == spec


def test_nav_links_carry_local_inputs() -> None:
    from dashboard.app._nav import nav_href

    sel = {"ags": NIDEGGEN, **_model.selection(_model.ScenarioSpec().with_local(LOCAL))}
    for path in ("/szenarien", "/kurzbericht", "/werkzeugkoffer", "/gemeinde"):
        assert "neubau=05358044%3A2026-2030%3A200" in nav_href(path, sel)
    assert "neubau" not in nav_href(
        "/szenarien", {"ags": NIDEGGEN, **_model.selection(_model.ScenarioSpec())}
    )


def _spec_strategy():
    from hypothesis import strategies as st

    from tests.test_local import _housing, _once, _own

    kreis = st.sampled_from(
        [_model.ScenarioSpec(k) for k in PRESETS] + [_model.ScenarioSpec(_model.CUSTOM, 1.6, 1.5, 2500.0)]
    )
    local = st.builds(
        lambda h, m, c: LocalScenario(tuple(h), tuple(m), tuple(c)),
        st.lists(_housing, max_size=3),
        st.lists(_own, max_size=1),
        st.lists(_once, max_size=3),
    )
    return st.builds(lambda s, loc: s.with_local(loc), kreis, local)


def test_scenario_spec_with_local_inputs_round_trips_exactly_through_link_and_file() -> None:
    """The whole scenario (Kreis preset or own values + local entries): link values ->
    ``spec_from_query`` and the JSON scenario file -> ``spec_from_scenario`` give the same spec."""
    from urllib.parse import parse_qsl, urlencode

    from hypothesis import HealthCheck, given, settings

    from dashboard.projection.scenario_file import from_json
    from dashboard.projection.scenarios import spec_from_query

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(spec=_spec_strategy())
    def check(spec) -> None:
        assert spec_from_query(spec.query()) == (spec, [])
        assert spec_from_query(dict(parse_qsl(urlencode(spec.query())))) == (spec, [])
        doc = from_json(to_json(spec.scenario(), title="T"))
        assert _model.spec_from_scenario(doc.scenario) == spec
        assert doc.scenario == spec.scenario()

    check()


@pytest.mark.parametrize(
    "spec",
    [
        _model.ScenarioSpec(_model.CUSTOM, 1.6, None, 2500.0),
        _model.ScenarioSpec("zuwanderung_hoch").with_local(LOCAL),
        _model.ScenarioSpec(_model.CUSTOM, None, 1.5).with_local(LOCAL),
    ],
    ids=["own", "preset-local", "own-local"],
)
def test_rescaled_fan_equals_the_join_of_quantiles_and_path_ratios(spec) -> None:
    """The fast rescaled band (index arrays computed once per reference) is exactly the inner
    join of the reference quantiles with the ratio of the deterministic paths (the reference)."""
    q, draws, exact = _model.scenario_fan(spec)
    reference = _model.ScenarioSpec(spec.key if spec.key != _model.CUSTOM else "basis")
    base = _model.probabilistic(reference)
    cols = ["population", "n_65plus", "n_80plus"]
    det_b = _model.result(reference).indicators.set_index(["ags", "year"])[cols]
    det_s = _model.result(spec).indicators.set_index(["ags", "year"])[cols]
    ratio = (
        (det_s / det_b.where(det_b > 0))
        .reset_index()
        .melt(["ags", "year"], var_name="quantity", value_name="ratio")
    )
    want = base.quantiles.merge(ratio, on=["ags", "year", "quantity"], how="inner", validate="one_to_one")
    want = want.assign(**{c: want[c] * want["ratio"] for c in ("q025", "q10", "q50", "q90", "q975")})
    pd.testing.assert_frame_equal(q, want.drop(columns="ratio"), check_exact=True)
    assert draws == base.draws and exact is False and len(q) > 0
