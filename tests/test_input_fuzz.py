"""Property-based tests (hypothesis): no request built from hostile values answers 500.

Every server-side callback registered in the app and every page query is driven with values
of every JSON type (text, numbers as text, huge and non-finite numbers, lists, objects, null,
booleans) and with repeated query keys. The answer must be 200/204, or 400 with a German
message — never 500, and never a traceback. (The app's error handler turns an unexpected
exception into 500, so a 500 here is a missing validation.)"""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import _query, app, server

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["", "05358008", "05358", "2030", "1e308", "nan", "inf", "basis", "eigenes", "-1", "ä" * 300]
    ),
    st.text(max_size=30),
    st.lists(st.one_of(st.text(max_size=8), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.one_of(st.text(max_size=5), st.integers()), max_size=3),
)

SERVER_CALLBACKS = sorted(k for k, v in app.callback_map.items() if "callback" in v)


def _outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        ident, _, prop = part.rpartition(".")
        try:
            ident = json.loads(ident)
        except ValueError:
            pass
        out.append({"id": ident, "property": prop.split("@")[0]})
    return out


def _item(dep: dict, value):
    ident = dep["id"]
    if ident.startswith("{"):  # pattern-matching (ALL): no component of that kind on the page
        return []
    return {"id": ident, "property": dep["property"], "value": value}


def _post(client, output: str, values: list, state_values: list):
    spec = app.callback_map[output]
    inputs = [_item(d, v) for d, v in zip(spec["inputs"], values)]
    states = [_item(d, v) for d, v in zip(spec["state"], state_values)]
    outs = _outputs(output)
    body = {
        "output": output,
        "outputs": outs if len(outs) > 1 else outs[0],
        "inputs": inputs,
        "state": states,
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs if isinstance(i, dict)][:1],
    }
    return client.post(
        "/_dash-update-component",
        data=json.dumps(body, allow_nan=True),
        content_type="application/json",
    )


def _ok(resp) -> None:
    assert resp.status_code in (200, 204, 400), (resp.status_code, resp.get_data(as_text=True)[:300])
    if resp.status_code == 400:
        text = resp.get_data(as_text=True)
        assert "Ungültig" in text and "Traceback" not in text, text[:300]


@pytest.fixture(scope="module")
def client():
    from dashboard.app import _model

    _model.warm_up()  # figures of valid inputs come from the cache: the test is about validation
    return server.test_client()


@pytest.mark.parametrize("output", SERVER_CALLBACKS, ids=[o[:40] for o in SERVER_CALLBACKS])
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_callback_answers_hostile_inputs_without_500(client, output, data):
    spec = app.callback_map[output]
    values = [data.draw(VALUES) for _ in spec["inputs"]]
    states = [data.draw(VALUES) for _ in spec["state"]]
    _ok(_post(client, output, values, states))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=20),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.sampled_from(["output", "inputs", "state", "outputs"]), VALUES, max_size=4),
    )
)
def test_malformed_callback_envelopes_are_400(client, body):
    resp = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 400, resp.get_data(as_text=True)[:200]


PAGES = ["/", "/gemeinde", "/szenarien", "/kurzbericht", "/werkzeugkoffer", "/methodik", "/verwaltung"]
KEYS = [
    "ags",
    "jahr",
    "kennzahl",
    "szenario",
    "tfr",
    "e0",
    "wanderung",
    "vergleich",
    "feld",
    "gruppe",
    "status",
    "suche",
    "massnahme",
    "entwurf",
    "x",
]
QUERY_VALUES = st.one_of(
    st.sampled_from(
        [
            "05358008",
            "05358",
            "99999999",
            "2030",
            "1900",
            "nan",
            "inf",
            "-1e9",
            "basis",
            "eigenes",
            "population",
            "aktiv",
            "",
            "1,5",
            "zuwanderung_hoch,foo",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(PAGES),
    query=st.lists(st.tuples(st.sampled_from(KEYS), QUERY_VALUES), max_size=5),
)
def test_every_page_query_renders_with_a_german_notice_never_500(client, path, query):
    search = "?" + urlencode(query) if query else ""
    resp = _post(
        client,
        next(k for k in app.callback_map if "_pages_content" in k),
        [path, search],
        [],
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    # Unescaped text: Dash escapes non-ASCII unless orjson is installed.
    text = json.dumps(resp.get_json(), ensure_ascii=False)
    keys = [k for k, _ in query]
    if any(keys.count(k) > 1 for k in set(keys) & set(_query._page_checks(path))):
        assert "Der Link enthält ungültige Angaben" in text
    assert client.get(path + search).status_code == 200


@pytest.mark.parametrize(
    "query, ok",
    [
        ("szenario=eigenes&tfr=nan&e0=inf", False),
        ("szenario=eigenes&tfr=1.6", True),
        ("szenario=basis&szenario=eigenes", False),
        ("szenario=unbekannt", False),
        ("szenario=basis&tfr=1.6", False),
        ("tfr=1e999", False),
        ("", True),
    ],
)
def test_downloads_refuse_invalid_scenarios_instead_of_serving_basis(client, query, ok):
    resp = client.get(f"/download/kennzahlen.csv?{query}")
    if ok:
        assert resp.status_code == 200
    else:
        assert resp.status_code == 400
        assert "Download abgelehnt" in resp.get_data(as_text=True)


def test_examples_of_the_issue(client):
    """/gemeinde?ags=05358008&ags=05358004 and callback values of the wrong JSON type."""
    out = next(k for k in app.callback_map if "_pages_content" in k)
    resp = _post(client, out, ["/gemeinde", "?ags=05358008&ags=05358004"], [])
    assert resp.status_code == 200 and "steht 2-mal im Link" in resp.get_data(as_text=True)
    pyramid = next(k for k in SERVER_CALLBACKS if "gm-pyramid.figure" in k)
    for bad in (["05358008"], None, 2030, {"a": 1}):
        _ok(_post(client, pyramid, [bad, 2030], []))
    for bad in ("2030", math.inf, [2030]):
        resp = _post(client, pyramid, ["05358008", bad], [])
        assert resp.status_code in (200, 400)
    assert client.get("/_dash-component-suites/dash/nope.js").status_code == 404
