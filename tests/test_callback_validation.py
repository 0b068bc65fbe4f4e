"""Hand-crafted callback requests against a running server: out-of-range or non-numeric scenario
inputs get HTTP 200 with a clear German message in the page, never a 500, never a negative
population."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import numpy as np
import pytest

Q_OUT = {"page": "szenarien", "type": "query"}
S_OUT = {"page": "szenarien", "type": "sel"}
BAD = [
    {"tfr": -5, "e0": 0, "wanderung": 0},
    {"tfr": 1.4, "e0": 0, "wanderung": 1e9},
    {"tfr": "abc", "e0": "1,5", "wanderung": "NaN"},
    {"tfr": ["1.5"], "e0": {"x": 1}, "wanderung": "Infinity"},
    {"tfr": 1e308, "e0": -1e308, "wanderung": -1e9},
]


@pytest.fixture(scope="module")
def base_url(live_server):
    return live_server


def post(base: str, payload: dict) -> tuple[int, dict | str]:
    req = urllib.request.Request(
        base + "/_dash-update-component",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            body = resp.read().decode()
            return resp.status, json.loads(body) if body else {}
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


#: Outputs of the scenario page's main callback (``szenarien.on_change``), in its order.
CHANGE_OUTPUTS = [
    ("sz-chart", "figure"),
    ("sz-table-box", "children"),
    ("sz-headline", "children"),
    ("sz-headline-sub", "children"),
    (Q_OUT, "data"),
    (S_OUT, "data"),
    ("sz-brief-link", "href"),
]


def change_inputs(ags, tfr, e0, wanderung, lokal=None) -> list[tuple]:
    """Inputs of ``szenarien.on_change`` in its order (Kennzahl population, no comparison)."""
    return [
        ("sz-ags", ags),
        ("sz-kennzahl", "population"),
        ("sz-vergleich", []),
        ("sz-tfr", tfr),
        ("sz-e0", e0),
        ("sz-wanderung", wanderung),
        ("sz-lokal", lokal),
    ]


def target_payload(target, year, *, tfr=None) -> dict:
    """A click on "berechnen" of the target-seeking callback (``szenarien.on_target``) with
    ``target`` and ``year`` typed in; the own scenario at Basis except ``tfr``, no local inputs."""
    state = [("sz-ziel", target), ("sz-zieljahr", year), ("sz-tfr", tfr), ("sz-e0", None)]
    state += [("sz-wanderung", None), ("sz-lokal", None)]
    return payload(
        [("sz-ziel-ergebnis", "children"), ("sz-wanderung-setzen", "data")],
        [("sz-ziel-los", 1), ("sz-ziel", None), ("sz-reset", None)],
        state=state,
        changed="sz-ziel-los",
    )


def _out(outputs) -> str:
    return "...".join(
        f"{json.dumps(i, sort_keys=True, separators=(',', ':')) if isinstance(i, dict) else i}.{p}"
        for i, p in outputs
    )


#: Stores of the scenario page (their property is ``data``): local inputs, the opened saved scenario.
STORES = ("sz-lokal", "sz-saved")


def _prop(cid) -> str:
    if str(cid).endswith("-los") or cid == "sz-reset":
        return "n_clicks"
    if cid == "sz-ziel":  # an input of the target callback: Enter in the box
        return "n_submit"
    return "data" if cid in STORES else "value"


def payload(outputs, inputs, state=(), changed=None) -> dict:
    return {
        "output": ".." + _out(outputs) + ".." if len(outputs) > 1 else _out(outputs),
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": _prop(i), "value": v} for i, v in inputs],
        "state": [{"id": i, "property": "data" if i in STORES else "value", "value": v} for i, v in state],
        "changedPropIds": [f"{changed}.value"] if changed else [],
    }


def numbers(obj) -> list[float]:
    """All numeric y/z/values in a figure (plain lists or Plotly's base64 typed arrays)."""
    out: list[float] = []
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            return list(np.frombuffer(base64.b64decode(obj["bdata"]), dtype=obj["dtype"]))
        for k, v in obj.items():
            if k in ("y", "z", "values", "x") or isinstance(v, dict | list):
                out += numbers(v)
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, int | float) and not isinstance(v, bool):
                out.append(float(v))
            else:
                out += numbers(v)
    return out


def text_of(component) -> str:
    return json.dumps(component, ensure_ascii=False)


@pytest.mark.http
@pytest.mark.parametrize("bad", BAD, ids=[str(i) for i in range(len(BAD))])
def test_scenario_callback_reports_bad_inputs(base_url, bad):
    inputs = change_inputs("05358", bad["tfr"], bad["e0"], bad["wanderung"])
    status, body = post(
        base_url, payload(CHANGE_OUTPUTS, inputs, state=[("sz-saved", None)], changed="sz-tfr")
    )
    assert status == 200, body
    resp = body["response"]
    message = text_of(resp["sz-headline-sub"]["children"])
    assert "Eingabe nicht verwendet" in message and "Basis-Annahme" in message
    figure = resp["sz-chart"]["figure"]
    pops = [v for trace in figure["data"] for v in numbers(trace.get("y", []))]
    assert pops and min(pops) >= 0 and np.isfinite(pops).all()


@pytest.mark.http
def test_valid_inputs_carry_no_message(base_url):
    inputs = change_inputs("05358", 1.5, 1, 1000)
    status, body = post(
        base_url, payload(CHANGE_OUTPUTS, inputs, state=[("sz-saved", None)], changed="sz-tfr")
    )
    assert status == 200
    assert "Eingabe nicht verwendet" not in text_of(body["response"]["sz-headline-sub"]["children"])


@pytest.mark.http
@pytest.mark.parametrize("bad", BAD[:3], ids=["tfr", "migration", "text"])
def test_fan_callback_never_fails(base_url, bad):
    outputs = [("sz-fan", "figure"), ("sz-fan-tabelle", "children")]
    inputs = [
        ("sz-ags", "05358"),
        ("sz-tfr", bad["tfr"]),
        ("sz-e0", bad["e0"]),
        ("sz-wanderung", bad["wanderung"]),
        ("sz-lokal", None),
    ]
    status, body = post(base_url, payload(outputs, inputs, changed="sz-tfr"))
    assert status == 200, body
    vals = numbers(body["response"]["sz-fan"]["figure"]["data"])
    assert vals and min(vals) >= 0


@pytest.mark.http
@pytest.mark.parametrize("year", [3000, "abc", [2030], True])
def test_target_year_outside_the_dropdown_is_refused_in_german(base_url, year):
    """A year the dropdown does not offer cannot come from the page: 400 naming the field."""
    status, body = post(base_url, target_payload("300.000", year))
    assert status == 400 and "sz-zieljahr" in body and "angebotenen Auswahlwerte" in body


@pytest.mark.http
@pytest.mark.parametrize(
    "target, year, expect",
    [
        ("abc", 2030, "zwischen 100.000 und 500.000"),
        ("1.000.000.000", 2030, "zwischen 100.000 und 500.000"),
        ("1,2,3", 2030, "zwischen 100.000 und 500.000"),
    ],
)
def test_target_callback_reports_bad_inputs(base_url, target, year, expect):
    status, body = post(base_url, target_payload(target, year, tfr=-5))
    assert status == 200, body
    resp = body["response"]
    assert expect in text_of(resp["sz-ziel-ergebnis"]["children"])
    assert "Geburtenrate" in text_of(resp["sz-ziel-ergebnis"]["children"])  # the tfr −5 is named too


@pytest.mark.http
@pytest.mark.parametrize(
    "local",
    [
        {"neubau": "05358044:2026-2030:kaputt"},
        {"neubau": ["05358044:2026-2030:200"], "einmalig": {"x": 1}},
        {"wanderung_gemeinde": "05358012:" + "9" * 5000},
        ["neubau"],
        "05358044:2026-2030:200",
        {"neubau": ";".join(["05358044:2026:1"] * 500)},
    ],
    ids=["bad-number", "wrong-types", "huge", "list", "text", "too-many"],
)
def test_hand_crafted_local_store_is_ignored_never_500(base_url, local):
    """The local-inputs store can only hold what the panel wrote; anything else means no local inputs."""
    inputs = change_inputs("05358044", None, None, None, local)
    status, body = post(
        base_url, payload(CHANGE_OUTPUTS, inputs, state=[("sz-saved", {"key": 1})], changed="sz-tfr")
    )
    assert status == 200, body
    query = body["response"][json.dumps(Q_OUT, sort_keys=True, separators=(",", ":"))]["data"]
    assert "neubau" not in query and "einmalig" not in query and "wanderung_gemeinde" not in query
