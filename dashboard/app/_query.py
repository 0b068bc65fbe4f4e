"""Strict checks of what a request carries: page queries, download queries, callback inputs.

Nothing that a hand-made link or request sends may end in a 500, and nothing is silently served
under another name:

* **Page queries** (``/gemeinde?ags=…``): :func:`install_page_guards` wraps every registered
  page's ``layout``. A repeated key (``?ags=1&ags=2``), an unknown municipality, a year or
  number out of range is named in a German notice at the top of the page ("Der Link enthält
  ungültige Angaben … angezeigt wird stattdessen …"); the invalid value is dropped, so the page
  shows its stated default. A layout that fails anyway answers with a German notice, logged.
* **Downloads** (``/download/…?szenario=eigenes&tfr=nan``): :func:`scenario_problems` lists
  every invalid or repeated value; the route answers 400 with the German list instead of
  serving the Basis under the name "eigenes".
* **Callbacks** (``POST /_dash-update-component``): :func:`install_callback_guard` checks the
  JSON envelope and the type of every input and state value against the component it belongs
  to (a dropdown value is text or a number, ``n_clicks`` a whole number, an upload a ``data:``
  URL, no NaN/Infinity anywhere …); anything else is answered with 400 and a German message
  naming the component, before the callback runs. Slider and number-input values, and values of
  the right type but out of range, are the callbacks' own business: they parse them and say in
  the page which input was not used (:mod:`dashboard.app._validate`).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import threading
from collections.abc import Callable, Mapping

from dash import html

from dashboard.app._components import walk
from dashboard.constants import KREIS_AGS, MUNICIPALITIES
from dashboard.text import QUERY as M
from dashboard.text import fmt_num

LOG = logging.getLogger("dashboard.app")
MAX_TEXT = 200  # longest query or callback text value accepted (search box, file names)


def _show(value: object) -> str:
    text = str(value)
    return (text[:40] + "…") if len(text) > 40 else text


# --------------------------------------------------------------------------- value checks


def _ags(allow_kreis: bool) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        if v in MUNICIPALITIES or (allow_kreis and v == KREIS_AGS):
            return None
        return M["bad_ags_muni"] if not allow_kreis else M["bad_ags"]

    return check


def _int_range(lo: int, hi: int) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        try:
            ok = v.strip().lstrip("+-").isdigit() and lo <= int(v) <= hi
        except ValueError:
            ok = False
        return None if ok else M["bad_int"].format(lo=lo, hi=hi)

    return check


def _float_range(lo: float, hi: float) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        try:
            x = float(v.replace(",", "."))
        except ValueError:
            x = float("nan")
        if math.isfinite(x) and lo <= x <= hi:
            return None
        return M["bad_float"].format(lo=fmt_num(lo), hi=fmt_num(hi))

    return check


def _one_of(options: Callable[[], list[str]]) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        opts = options()
        return None if v in opts else M["bad_choice"].format(options=", ".join(opts[:12]))

    return check


def _list_of(options: Callable[[], list[str]]) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        opts = options()
        bad = [x for x in v.split(",") if x and x not in opts]
        return None if not bad else M["bad_choice"].format(options=", ".join(opts[:12]))

    return check


def _text(v: str) -> str | None:
    return None if len(v) <= MAX_TEXT and v.isprintable() else M["bad_text"].format(n=MAX_TEXT)


def _presets() -> list[str]:
    from dashboard.app import _model

    return _model.preset_keys()


def _scenarios() -> list[str]:
    from dashboard.app import _model

    return [*_model.preset_keys(), _model.CUSTOM]


def _scenario_ranges() -> dict[str, Callable[[str], str | None]]:
    """Checks of the scenario parameters' link values, one per declared parameter
    (:data:`dashboard.projection.scenarios.PARAMETERS`: German numbers, the slider's range)."""
    from dashboard.projection.scenarios import PARAMETERS

    def check_of(p):
        def check(v: str) -> str | None:
            try:
                p.parse(v)
            except ValueError as err:
                return str(err).rstrip(".")
            return None

        return check

    return {p.url_key: check_of(p) for p in PARAMETERS}


def _local_checks() -> dict[str, Callable[[str], str | None]]:
    """The local inputs' query keys (``neubau``, ``wanderung_gemeinde``, ``einmalig``): every
    entry parsed and validated (:mod:`dashboard.projection.local`), the German reason shown."""
    from dashboard.projection.local import QUERY_KEYS, LocalScenario

    def check_for(key: str) -> Callable[[str], str | None]:
        def check(v: str) -> str | None:
            if len(v) > 4000:
                return M["bad_text"].format(n=4000)
            try:
                LocalScenario.from_query({key: v})
            except ValueError as e:
                return str(e)
            return None

        return check

    return {key: check_for(key) for key in QUERY_KEYS.values()}


def _saved_key(v: str) -> str | None:
    from dashboard.store.api import SCENARIO_KEY_PATTERN

    return None if SCENARIO_KEY_PATTERN.fullmatch(v) else M["bad_text"].format(n=8)


def _page_checks(path: str) -> dict[str, Callable[[str], str | None]]:
    """Query keys a page reads and how each value is checked."""
    from dashboard.app import _model
    from dashboard.text import GROUP_INDICATORS, INDICATORS

    year = _int_range(_model.base_year(), 2045)
    scen = {"szenario": _one_of(_scenarios), **_scenario_ranges(), **_local_checks()}
    if path == "/":
        from dashboard.app.pages.uebersicht import MAP_OPTIONS

        return {"kennzahl": _one_of(lambda: [o["value"] for o in MAP_OPTIONS]), "jahr": year}
    if path == "/gemeinde":
        return {"ags": _ags(True), "jahr": year, **scen, **_local_checks()}
    if path == "/szenarien":
        return {
            "ags": _ags(True),
            "kennzahl": _one_of(lambda: [*INDICATORS, *GROUP_INDICATORS]),
            "vergleich": _list_of(_presets),
            **_scenario_ranges(),
            **_local_checks(),
            "id": _saved_key,
        }
    if path == "/kurzbericht":
        return {"ags": _ags(True), **scen}
    if path == "/werkzeugkoffer":
        from dashboard.app.pages import _measures_components as C
        from dashboard.constants import PLANNING_AGE_GROUPS
        from dashboard.data.measures import FIELDS_OF_ACTION, STATUSES

        return {
            "ags": _ags(True),
            **scen,
            "jahr": _one_of(lambda: [str(y) for y in C.HORIZONS]),
            "feld": _one_of(lambda: list(FIELDS_OF_ACTION)),
            "gruppe": _one_of(lambda: list(PLANNING_AGE_GROUPS)),
            "status": _one_of(lambda: ["aktiv", *STATUSES]),
            "suche": _text,
            "massnahme": _text,
        }
    if path == "/verwaltung":
        return {"entwurf": _int_range(1, 2_000_000_000)}
    return {}


def check_values(
    query: Mapping[str, object], checks: Mapping[str, Callable[[str], str | None]]
) -> tuple[dict, list[str]]:
    """(valid values, German problems) of a query; repeated keys and non-text values refused."""
    good, problems = {}, []
    for key, check in checks.items():
        if key not in query:
            continue
        v = query[key]
        if isinstance(v, (list, tuple)):
            problems.append(M["repeated"].format(key=key, n=len(v)))
            continue
        if not isinstance(v, str):
            problems.append(M["not_text"].format(key=key))
            continue
        why = check(v)
        if why:
            problems.append(M["bad_value"].format(key=key, value=_show(v), why=why))
        else:
            good[key] = v
    return good, problems


def install_page_guards() -> None:
    """Wrap every registered page's layout with the query check (see the module docstring)."""
    import dash

    for page in dash.page_registry.values():
        layout = page.get("layout")
        if not callable(layout) or getattr(layout, "_guarded", False):
            continue
        page["layout"] = _guard(page["path"], layout)


def _guard(path: str, layout):
    @functools.wraps(layout)
    def guarded(**query):
        checks = _page_checks(path)
        good, problems = check_values(query, checks)
        rest = {k: v for k, v in query.items() if k not in checks and isinstance(v, str)}
        try:
            body = layout(**rest, **good)
        except Exception:  # noqa: BLE001 - a page never answers 500 because of its link
            LOG.exception("Seite %s mit %r fehlgeschlagen", path, query)
            body = html.Div(html.P(M["page_failed"], className="notice notice-error", role="alert"))
        if not problems:
            return body
        note = html.Div(
            [html.P(M["link_problems"]), html.Ul([html.Li(p) for p in problems])],
            className="notice notice-error",
            role="alert",
            id="link-problems",
        )
        return html.Div([note, body])

    guarded._guarded = True  # type: ignore[attr-defined]
    return guarded


# --------------------------------------------------------------------------- downloads


def scenario_problems(args) -> list[str]:
    """German problems of a download's scenario query (``werkzeug`` MultiDict); strict.

    Repeated keys, unknown scenarios, invalid values and own values beside a preset are all
    named (:func:`dashboard.projection.scenarios.spec_from_query`); nothing falls back to the
    Basis under another name.
    """
    from dashboard.projection.scenarios import URL_KEYS, spec_from_query

    problems = []
    for key in (*URL_KEYS, "ags"):
        values = args.getlist(key)
        if len(values) > 1:
            problems.append(M["repeated"].format(key=key, n=len(values)))
    if problems:
        return problems
    _, problems = spec_from_query({k: args.get(k) for k in URL_KEYS if args.get(k) is not None})
    return problems


# --------------------------------------------------------------------------- callbacks


def _expected_kinds(app) -> dict[tuple[str, str], str]:
    """(component id, property) -> kind, from the components of every page layout."""
    import dash
    from dash import dcc

    kinds: dict[tuple[str, str], str] = {}

    def visit(tree):
        for c in walk(tree):
            cid = getattr(c, "id", None)
            if not isinstance(cid, str):
                continue
            if isinstance(c, (dcc.Dropdown, dcc.RadioItems, dcc.Checklist)):
                many = isinstance(c, dcc.Checklist) or bool(getattr(c, "multi", False))
                kinds[(cid, "value")] = ("options" if many else "option", _option_values(c.options))
            elif isinstance(c, (dcc.Slider, dcc.RangeSlider)):
                kinds[(cid, "value")] = "number"
            elif isinstance(c, dcc.Input):
                kinds[(cid, "value")] = "number" if getattr(c, "type", None) == "number" else "text"
            elif isinstance(c, dcc.Upload):
                kinds[(cid, "contents")] = "dataurl"
                kinds[(cid, "filename")] = "text"
            elif isinstance(c, dcc.Location):
                kinds[(cid, "pathname")] = "path"
                kinds[(cid, "search")] = "text"
            elif isinstance(c, html.Details):
                kinds[(cid, "open")] = "bool"
            if isinstance(c, html.Button):
                kinds[(cid, "n_clicks")] = "count"

    for page in dash.page_registry.values():
        layout = page.get("layout")
        try:
            visit(layout() if callable(layout) else layout)
        except Exception:  # noqa: BLE001 - a layout that needs a request: its ids stay unchecked
            LOG.warning("Seite %s: Layout für die Eingabeprüfung nicht auswertbar", page.get("path"))
    visit(app.layout)
    kinds[("_pages_location", "pathname")] = "path"
    kinds[("_pages_location", "search")] = "text"
    return kinds


def _option_values(options) -> frozenset:
    if isinstance(options, dict):
        return frozenset(options)
    out = set()
    for o in options or []:
        v = o.get("value") if isinstance(o, dict) else o
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            out.add(v)
    return frozenset(out)


def _kind_ok(kind, v: object) -> bool:
    if v is None:
        return True  # every control may be empty (cleared input, no upload yet)
    if isinstance(kind, tuple):  # a choice among the component's own options
        what, allowed = kind
        if what == "option":
            return _scalar(v) and v in allowed
        return isinstance(v, list) and len(v) <= len(allowed) and all(_scalar(x) and x in allowed for x in v)
    if kind == "text":
        return isinstance(v, str) and len(v) <= 10_000
    if kind == "number":  # sliders, number inputs: the callbacks parse and report in the page
        return True
    if kind == "count":
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0
    if kind == "path":  # what a browser's location.pathname is: absolute
        return isinstance(v, str) and v.startswith("/") and len(v) <= 2000
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "dataurl":
        return isinstance(v, str) and v.startswith("data:")
    return True


def _scalar(v: object) -> bool:
    """A value a dropdown or radio option can have: short text or a finite number."""
    if isinstance(v, str):
        return len(v) <= 10_000
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


_KINDS: dict = {}
_KINDS_LOCK = threading.Lock()


def expected_kinds(server, app) -> dict:
    """The component kinds (computed once per process from every page's layout; gunicorn's
    warm-up computes them in the master before the workers fork)."""
    if "kinds" not in _KINDS:
        with _KINDS_LOCK:
            if "kinds" not in _KINDS:
                # a fresh application context: its own ``g`` (a user loaded here must never
                # leak into the request that happened to trigger this)
                with server.app_context(), server.test_request_context("/"):
                    _KINDS["kinds"] = _expected_kinds(app)
    return _KINDS["kinds"]


def install_callback_guard(server, app) -> None:
    """Check every callback request's envelope and input types before Dash runs it."""
    from flask import Response, request

    def refuse(message: str) -> Response:
        return Response(
            message + "\n", status=400, mimetype="text/plain", headers={"Cache-Control": "no-store"}
        )

    @server.before_request
    def _check_callback():
        if request.path != "/_dash-update-component" or request.method != "POST":
            return None
        try:
            body = json.loads(request.get_data(cache=True) or b"null")
        except ValueError:
            return refuse(M["cb_json"])
        if not isinstance(body, dict) or not isinstance(body.get("output"), str):
            return refuse(M["cb_envelope"])
        if "callback" not in app.callback_map.get(body["output"], {}):  # unknown or client-side only
            return refuse(M["cb_unknown"])
        spec = app.callback_map[body["output"]]
        items = []
        for part in ("inputs", "state"):
            values = body.get(part, [])
            declared = spec.get(part, [])
            if not isinstance(values, list) or len(values) != len(declared):
                return refuse(M["cb_envelope"])
            for item, dep in zip(values, declared):
                wildcard = '["ALL"]' in str(dep.get("id")) or '["ALLSMALLER"]' in str(dep.get("id"))
                if wildcard != isinstance(item, list):  # ALL patterns come as lists, others not
                    return refuse(M["cb_envelope"])
                for x in item if wildcard else [item]:
                    if not isinstance(x, dict) or "property" not in x or "id" not in x:
                        return refuse(M["cb_envelope"])
                    if wildcard and not (
                        isinstance(x["id"], dict) and all(_scalar(v) for v in x["id"].values())
                    ):
                        return refuse(M["cb_envelope"])
                    if wildcard and not _kind_ok(
                        "count" if x["property"] == "n_clicks" else "any", x.get("value")
                    ):
                        return refuse(
                            M["cb_type"].format(id=_show(x["id"]), prop=x["property"], kind=M["kind_count"])
                        )
                    items.append(x)
        known = expected_kinds(server, app)
        for x in items:
            cid, prop, value = x["id"], x["property"], x.get("value")
            if _has_nonfinite(value):
                return refuse(M["cb_nonfinite"].format(id=_show(cid), prop=prop))
            if isinstance(cid, str):
                kind = known.get((cid, prop))
                if kind is not None and not _kind_ok(kind, value):
                    label = kind[0] if isinstance(kind, tuple) else kind
                    return refuse(M["cb_type"].format(id=cid, prop=prop, kind=M["kind_" + label]))
        return None


def _has_nonfinite(v: object, depth: int = 0) -> bool:
    if isinstance(v, float):
        return not math.isfinite(v)
    if depth > 20:
        return False
    if isinstance(v, list):
        return any(_has_nonfinite(x, depth + 1) for x in v)
    if isinstance(v, dict):
        return any(_has_nonfinite(x, depth + 1) for x in v.values())
    return False


__all__ = ["check_values", "install_callback_guard", "install_page_guards", "scenario_problems"]
