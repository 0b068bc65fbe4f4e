"""Issue 13.1: every scenario parameter is declared once (``scenarios.PARAMETERS``) and every
consumer handles each declared key: links (URL), validation (model, page query, download),
CLI flags, sliders and input boxes, downloads, the assumptions table, the navigation.

The test enumerates the declaration; a new parameter needs only an example value below.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from werkzeug.datastructures import MultiDict

from dashboard.app import _model, _nav, _query
from dashboard.projection import scenarios as S
from dashboard.text import (
    SCENARIO,
    SCENARIO_LABELS,
    SCENARIO_PARAMETERS,
    UNITS,
    fmt_input,
    fmt_num,
    parse_number,
)

#: One usable value per parameter, as a person would type it (German), and one it must refuse.
EXAMPLES = {
    "tfr": ("1,6", "2,9"),  # 2,9: inside the model's range, outside the slider's
    "e0_gain": ("1,5", "7"),
    "net_migration": ("2.500", "9.000"),
    "new_housing": ("05358044:2026-2030:200", "05358044:2026-2030:-5"),
    "own_migration": ("05358012:50", "05358012:abc"),
    "one_off": ("05358044:2027:80:80+", "99999999:2027:80"),
}
SCENARIO_PAGES = ("/szenarien", "/kurzbericht", "/werkzeugkoffer")


def test_every_preset_has_its_german_name_in_the_text_module():
    assert set(SCENARIO_LABELS) == set(S.PRESETS)
    for key, scenario in S.PRESETS.items():
        assert scenario.label == S.ScenarioSpec(key).label == SCENARIO_LABELS[key]
    spec, problems = S.spec_from_query(
        {"szenario": "eigenes", "tfr": "1.6", "neubau": "05358044:2026-2030:200"}
    )
    assert not problems
    local = spec.scenario()
    assert local.label == SCENARIO["own"] + " mit lokalen Annahmen"


def test_every_parameter_has_an_example_and_german_texts():
    assert set(EXAMPLES) == set(S.PARAMETER), "add an example for a new parameter"
    assert len({p.url_key for p in S.PARAMETERS}) == len(S.PARAMETERS)
    assert len({p.cli_flag for p in S.PARAMETERS}) == len(S.PARAMETERS)
    for p in S.PARAMETERS:
        texts = SCENARIO_PARAMETERS[p.key]
        assert texts["label"] and texts["help"] and p.unit in UNITS
        if not p.many:
            lo, hi = p.ui_range
            mlo, mhi = p.model_range
            assert mlo <= lo < hi <= mhi and p.step > 0
            assert all(lo <= m <= hi for m in p.marks)
        else:
            assert p.parse_item and p.format_item and p.target == "local"


def _spec_with(p, value) -> S.ScenarioSpec:
    return S.ScenarioSpec(S.CUSTOM if p.target == "scenario" else "basis", **{p.key: value})


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_links_carry_the_parameter_exactly(key):
    p = S.PARAMETER[key]
    good, _ = EXAMPLES[key]
    value = p.parse(good)
    spec = _spec_with(p, value)
    q = spec.query()
    assert p.url_key in q
    assert S.spec_from_query(q) == (spec, [])  # exact round trip
    # German and plain forms of a number read the same
    if not p.many:
        assert S.spec_from_query({**q, p.url_key: fmt_num(value)})[0] == spec
        assert S.spec_from_query({**q, p.url_key: str(value)})[0] == spec
    # the selection names the key even when unset, so an old value is forgotten
    assert S.ScenarioSpec().selection()[p.url_key] is None
    for path in SCENARIO_PAGES:
        assert p.url_key in _nav._PAGE_KEYS[path]
        href = _nav.nav_href(path, {"ags": "05358012", **q})
        assert f"{p.url_key}=" in href


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_invalid_values_are_refused_everywhere_with_a_german_message(key):
    p = S.PARAMETER[key]
    _, bad = EXAMPLES[key]
    base = {"szenario": S.CUSTOM} if p.target == "scenario" else {}
    spec, problems = S.spec_from_query({**base, p.url_key: bad})
    assert problems and p.url_key in problems[0] and not p.is_set(getattr(spec, p.key))
    # the page-query guard of every page that reads a scenario checks the key
    for path in SCENARIO_PAGES:
        check = _query._page_checks(path)[p.url_key]
        assert check(bad) and check(EXAMPLES[key][0]) is None
    # downloads refuse it (never the Basis under the scenario's name)
    assert _query.scenario_problems(MultiDict({**base, p.url_key: bad}))
    assert _query.scenario_problems(MultiDict({**base, p.url_key: EXAMPLES[key][0]})) == []
    if not p.many:  # the model refuses values outside its range, naming the parameter
        lo, hi = p.model_range
        with pytest.raises(ValueError, match=p.label):
            S.Scenario(**{p.key: hi + 1})
        # own values beside a preset are a problem, not silently dropped
        assert S.spec_from_query({"szenario": "basis", p.url_key: EXAMPLES[key][0]})[1]


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_cli_flag(key):
    from dashboard.cli import build_parser

    p = S.PARAMETER[key]
    good, bad = EXAMPLES[key]
    args = build_parser().parse_args(["project", p.cli_flag, good, "--out", "x.xlsx"])
    raw = getattr(args, S.cli_dest(p))
    assert raw == ([good] if p.many else good)
    s = S.scenario_from_flags(S.PRESETS["basis"], {p.key: raw})
    expected = p.parse(good)
    got = getattr(s.local, p.key) if p.target == "local" else getattr(s, p.key)
    assert got == expected
    if not p.many:  # the CLI takes the model's range: 2,9 children is allowed there
        assert S.scenario_from_flags(S.PRESETS["basis"], {p.key: bad}) is not None
        with pytest.raises(ValueError, match=p.cli_flag):
            S.scenario_from_flags(S.PRESETS["basis"], {p.key: "abc"})
    else:
        with pytest.raises(ValueError, match=p.cli_flag):
            S.scenario_from_flags(S.PRESETS["basis"], {p.key: [bad]})


@pytest.mark.parametrize("key", [p.key for p in S.PARAMETERS if not p.many])
def test_sliders_and_input_boxes(key):
    """/szenarien has a slider and a German input box per Kreis-wide parameter, from the
    declaration (range, step, Basis value); a value in the link sets both."""
    from dashboard.app.pages import szenarien
    from tests.test_app_layouts import find

    p = S.PARAMETER[key]
    good, bad = EXAMPLES[key]
    value = p.parse(good)
    lay = szenarien.layout(ags="05358012", **{p.url_key: S.fmt_query_number(value)})
    slider, box = find(lay, szenarien.slider_id(p)), find(lay, szenarien.box_id(p))
    assert (slider.min, slider.max, slider.step) == (*p.ui_range, p.step)
    assert slider.value == value and box.value == fmt_input(value, 6)
    assert slider.allow_direct_input is False  # the slider's own box reads no German numbers
    basis = _model.basis_defaults()[key]
    assert fmt_num(basis, p.digits) in str(lay)  # the label states the Basis value
    assert basis == round(p.default(_assumptions()), p.digits)  # from Assumptions, not a table
    # the box: German text applies, a bad value is named beside it and not applied
    out = szenarien.sync_values(p, szenarien.box_id(p), basis, good, None)
    assert out[0] == value and parse_number(out[1]) == value and out[2] == ""
    out = szenarien.sync_values(p, szenarien.box_id(p), basis, bad, None)
    assert out[0] is szenarien.dash.no_update and p.label in out[2] and "Nicht übernommen" in out[2]


@pytest.mark.parametrize("key", [p.key for p in S.PARAMETERS if p.many])
def test_local_panel_carries_the_list_parameter(key):
    """The list-valued (local) parameters have no slider: on /szenarien and /gemeinde a value in
    the link is in the panel's store (``sz-lokal`` / ``gm-lokal``, the exact link text) and listed
    as an entry; the controls' spec and the panel's JSON download carry it."""
    from dashboard.app import _local_panel
    from dashboard.app.pages import gemeinde, szenarien
    from dashboard.projection.local import describe
    from dashboard.projection.scenario_file import from_json
    from tests.test_app_layouts import find

    p = S.PARAMETER[key]
    good, _ = EXAMPLES[key]
    value = p.parse(good)
    text, ags = p.to_text(value), value[0].ags
    entry = describe(S.ScenarioSpec(**{p.key: value}).local)[0]
    for page, prefix in ((szenarien, "sz"), (gemeinde, "gm")):
        lay = page.layout(ags=ags, **{p.url_key: good})
        assert find(lay, f"{prefix}-lokal").data == {p.url_key: text}
        assert entry in str(find(lay, f"{prefix}-lokal-liste"))
    spec = szenarien.own_spec(*[None] * len(szenarien.CONTROLLED), listed={p.url_key: text})
    assert getattr(spec, p.key) == value and getattr(spec.scenario().local, p.key) == value
    doc = from_json(_local_panel.download(spec)["content"])
    assert getattr(doc.scenario.local, p.key) == value


def _assumptions():
    from dashboard.projection import estimate_assumptions

    return estimate_assumptions()


@pytest.fixture(scope="module")
def client():
    from dashboard.app import server

    return server.test_client()


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_downloads_and_assumptions_table_follow_the_parameter(client, key):
    p = S.PARAMETER[key]
    good, _ = EXAMPLES[key]
    spec = _spec_with(p, p.parse(good))
    res = _model.result(spec)
    # the assumptions table of the result shows the parameter's value
    a = res.assumptions
    if p.many:
        assert (a.component == "local").any()
    else:
        row = a[(a.component == "scenario") & (a.parameter == p.key)]
        assert len(row) == 1 and row.value.iloc[0] == pytest.approx(getattr(spec, p.key))
        assert row.unit.iloc[0] == p.unit
    # downloads of that scenario are the result of that scenario, not the Basis
    query = spec.query()
    r = client.get("/download/kennzahlen.csv", query_string={**query, "exakt": "ja"})  # unrounded
    assert r.status_code == 200
    df = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})
    want = res.indicators.set_index(["ags", "year"]).population
    got = df.set_index(["AGS", "Jahr"]).Personen  # German headers (issue 17.6)
    pd.testing.assert_series_equal(got.loc[want.index], want, check_names=False, rtol=1e-9)
    basis = _model.result(S.ScenarioSpec()).indicators.set_index(["ags", "year"]).population
    assert (got.loc[want.index] - basis).abs().max() > 0.5  # the parameter changed the numbers
    r = client.get("/download/annahmen.csv", query_string=query)
    assert r.status_code == 200 and len(r.data) > 100


def test_assumptions_table_rows_are_the_declared_parameters_and_their_basis_values():
    """The Basis value each control starts from (``Parameter.default`` of the estimated
    assumptions) is the value the Basis projection used (its assumptions table)."""
    from dashboard.projection.scenarios import parameter_defaults

    a = _model.result(S.ScenarioSpec()).assumptions
    rows = a[(a.component == "scenario") & (a.parameter != "scenario")].set_index("parameter")
    scalars = [p for p in S.PARAMETERS if not p.many]
    assert list(rows.index) == [p.key for p in scalars]
    d = parameter_defaults()
    for p in scalars:
        assert rows.loc[p.key, "value"] == pytest.approx(d[p.key], rel=1e-12)
        assert rows.loc[p.key, "unit"] == p.unit
