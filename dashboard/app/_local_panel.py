"""The "Lokale Annahmen" panel (issue 13): a municipality's Neubau, own migration and one-off
changes, their effect on the planning age groups, saved scenarios of the municipality.

Used by ``/szenarien`` (prefix ``sz``) and ``/gemeinde`` (prefix ``gm``). The local inputs live
in the URL (``neubau``, ``wanderung_gemeinde``, ``einmalig``; :mod:`dashboard.projection.local`)
and, on the page, in one ``dcc.Store`` (``<prefix>-lokal``) holding those query values
(parameters, never data). Every control is a native input, select or button with a label, so
the panel is usable by keyboard; messages go to a polite live region.

:func:`panel` builds the section, :func:`register` the callback that adds and removes entries
(one per page prefix). The pages wire the effect view themselves (:func:`effect_view`), because
it depends on their Kreis-wide assumptions.
"""

from __future__ import annotations

import dash
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard.app import _model
from dashboard.app._components import GRAPH_CONFIG, data_table, dropdown
from dashboard.constants import KREIS_AGS, MUNICIPALITIES, OPEN_AGE
from dashboard.figures.labels import region_name
from dashboard.figures.local import local_effect_figure
from dashboard.projection import local as L
from dashboard.text import LOCAL as M
from dashboard.text import fmt_date, fmt_dec, fmt_signed_int

EFFECT_YEARS = [2030, 2035, 2040, 2045]
KIND_LABELS = {
    "new_housing": M["kind_new_housing"],
    "own_migration": M["kind_own_migration"],
    "one_off": M["kind_one_off"],
}


def _ids(p: str) -> dict[str, str]:
    names = [
        "lokal",
        "lokal-liste",
        "lokal-meldung",
        "lokal-formulare",
        "nb-wohnungen",
        "nb-von",
        "nb-bis",
        "nb-ppw",
        "nb-anteil",
        "nb-add",
        "wg-saldo",
        "wg-von",
        "wg-bis",
        "wg-add",
        "em-jahr",
        "em-personen",
        "em-alter-von",
        "em-alter-bis",
        "em-dauerhaft",
        "em-anteil",
        "em-add",
        "lokal-jahr",
        "lokal-wirkung",
        "lokal-titel",
        "gespeicherte",
    ]
    return {n: f"{p}-{n}" for n in names}


def remove_id(p: str, kind: str, index: int) -> dict:
    return {"type": f"{p}-lokal-weg", "kind": kind, "index": index}


# --------------------------------------------------------------------------- layout


def _text_input(cid: str, label: str, *, placeholder: str = "", mode: str = "numeric") -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=cid),
            dcc.Input(id=cid, type="text", inputMode=mode, placeholder=placeholder, debounce=True, value=""),
        ],
        className="control",
    )


def _year_select(cid: str, label: str, value: int | None, *, clearable: bool = False) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=cid),
            dropdown(
                id=cid,
                options=[{"label": str(y), "value": y} for y in range(_model.base_year() + 1, 2046)],
                value=value,
                clearable=clearable,
                searchable=True,
            ),
        ],
        className="control",
    )


def entries_table(p: str, local: L.LocalScenario) -> html.Div:
    """All entries (every municipality) with a remove button each."""
    rows = []
    for kind in ("new_housing", "own_migration", "one_off"):
        items = getattr(local, kind)
        for i, it in enumerate(items):
            what = L.describe(L.LocalScenario(**{kind: (it,)}))[0]
            rows.append(
                html.Tr(
                    [
                        html.Th(KIND_LABELS[kind], scope="row"),
                        html.Td(what),
                        html.Td(
                            html.Button(
                                M["remove"],
                                id=remove_id(p, kind, i),
                                type="button",
                                className="btn btn-small",
                                **{"aria-label": M["remove_label"].format(what=what)},
                            )
                        ),
                    ]
                )
            )
    if not rows:
        return html.P(M["none"])
    head = html.Thead(html.Tr([html.Th(M[c], scope="col") for c in ("col_kind", "col_what", "col_remove")]))
    return html.Table([html.Caption(M["entries"]), head, html.Tbody(rows)], className="data-table")


def forms(p: str, ags: str) -> list:
    """The three add forms for municipality ``ags`` (empty list for the Kreis)."""
    i = _ids(p)
    if ags not in MUNICIPALITIES:
        return [html.P(M["pick_municipality"])]
    ppd = fmt_dec(L.default_persons_per_dwelling(ags), 2)
    name = MUNICIPALITIES[ags]
    return [
        html.Fieldset(
            [
                html.Legend(M["nb_legend"]),
                _text_input(i["nb-wohnungen"], M["nb_dwellings"], placeholder="z. B. 200"),
                html.Div(
                    [
                        _year_select(i["nb-von"], M["nb_from"], 2026),
                        _year_select(i["nb-bis"], M["nb_to"], 2030),
                    ],
                    className="control-row",
                ),
                _text_input(
                    i["nb-ppw"], M["nb_ppd"].format(default=ppd, name=name), placeholder=ppd, mode="decimal"
                ),
                _text_input(i["nb-anteil"], M["share"], placeholder="0", mode="decimal"),
                html.Button(M["nb_add"], id=i["nb-add"], type="button", className="btn"),
            ],
            className="control local-form",
        ),
        html.Fieldset(
            [
                html.Legend(M["wg_legend"]),
                _text_input(i["wg-saldo"], M["wg_net"], placeholder="z. B. 50", mode="decimal"),
                html.Div(
                    [
                        _year_select(
                            i["wg-von"],
                            M["wg_from"].format(first=_model.base_year() + 1),
                            None,
                            clearable=True,
                        ),
                        _year_select(i["wg-bis"], M["wg_to"], None, clearable=True),
                    ],
                    className="control-row",
                ),
                html.Button(M["wg_add"], id=i["wg-add"], type="button", className="btn"),
            ],
            className="control local-form",
        ),
        html.Fieldset(
            [
                html.Legend(M["em_legend"]),
                _year_select(i["em-jahr"], M["em_year"], 2027),
                _text_input(i["em-personen"], M["em_persons"], placeholder="z. B. 80"),
                html.Div(
                    [
                        _text_input(i["em-alter-von"], M["em_age_from"], placeholder="0"),
                        _text_input(i["em-alter-bis"], M["em_age_to"], placeholder=str(OPEN_AGE)),
                    ],
                    className="control-row",
                ),
                dcc.Checklist(
                    id=i["em-dauerhaft"],
                    options=[{"label": " " + M["em_permanent"], "value": "ja"}],
                    value=["ja"],
                ),
                _text_input(i["em-anteil"], M["share"], placeholder="0", mode="decimal"),
                html.Button(M["em_add"], id=i["em-add"], type="button", className="btn"),
            ],
            className="control local-form",
        ),
    ]


def panel(p: str, ags: str, local: L.LocalScenario, *, effect=None, note: str | None = None) -> html.Section:
    """The whole section: entries, forms, live message, effect block, local store.

    ``effect``: the (figure, table) of :func:`effect_view` for the first render (None = empty).
    """
    i = _ids(p)
    fig, table = effect if effect is not None else (None, html.P(M["none"]))
    return html.Section(
        [
            html.H2(M["title"].format(name=region_name(ags)), id=i["lokal-titel"]),
            html.P(M["intro"]),
            *([html.P(note, className="hint")] if note else []),
            html.Div(entries_table(p, local), id=i["lokal-liste"]),
            html.P(id=i["lokal-meldung"], role="status", **{"aria-live": "polite"}),
            html.Div(forms(p, ags), id=i["lokal-formulare"], className="local-forms"),
            html.H3(M["effect_title"]),
            html.Div(
                [
                    html.Label(M["effect_year"], htmlFor=i["lokal-jahr"]),
                    dropdown(
                        id=i["lokal-jahr"],
                        options=[{"label": f"31.12.{y}", "value": y} for y in EFFECT_YEARS],
                        value=2030,
                        clearable=False,
                    ),
                ],
                className="control",
            ),
            html.Figure(
                [
                    html.Div(
                        dcc.Graph(id=i["lokal-wirkung"], figure=fig or go.Figure(), config=GRAPH_CONFIG),
                        role="img",
                        **{"aria-label": M["effect_title"] + " (Werte in der Tabelle darunter)"},
                    ),
                    html.Figcaption([M["effect_title"], html.Br(), html.Small(M["effect_note"])]),
                ],
                className="chart",
            ),
            # the text alternative of the chart, always visible: the numbers planners need
            html.Div(table, id=f"{i['lokal-wirkung']}-tabelle", className="table-scroll"),
            dcc.Store(id=i["lokal"], data=local.to_query()),
        ],
        className="local-panel",
        **{"aria-labelledby": i["lokal-titel"]},
    )


# --------------------------------------------------------------------------- effect


def effect_view(spec: _model.ScenarioSpec, ags: str, year: int):
    """(figure, table) of the local inputs' effect on the planning age groups of ``ags``."""
    year = year if year in EFFECT_YEARS else 2030
    reference = M["effect_reference_basis"] if spec.key in ("basis",) else M["effect_reference_own"]
    if spec.key == _model.CUSTOM and not any(
        v is not None for v in (spec.tfr, spec.e0_gain, spec.net_migration)
    ):
        reference = M["effect_reference_basis"]
    eff = _model.local_effect(spec, ags, year)
    fig = local_effect_figure(eff[eff.age_group != "total"], ags=ags, year=year, reference=reference)
    table = data_table(
        eff.assign(difference=eff.difference.map(fmt_signed_int)),
        {
            "label": (M["effect_col_group"], "text"),
            "without": (M["effect_col_without"].format(reference=reference), "int"),
            "with_local": (M["effect_col_with"], "int"),
            "difference": (M["effect_col_diff"], "text"),
        },
        caption=f"{region_name(ags)}, 31.12.{year}",
        row_header="label",
    )
    return fig, table


# --------------------------------------------------------------------------- editing


def _int(text, label: str) -> int:
    if text is None or (isinstance(text, str) and not text.strip()):
        raise ValueError(M["empty_field"].format(label=label))
    return L.parse_int_de(str(text), label)


def _dec(text, label: str) -> float | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    return L.parse_dec_de(str(text), label)


def _year(v) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def new_entry(kind: str, ags: str, values: dict):
    """An entry of ``kind`` from the form values (German ``ValueError`` naming the field)."""
    if kind == "new_housing":
        item = L.NewHousing(
            ags,
            _year(values.get("von")),
            _year(values.get("bis")),
            _int(values.get("wohnungen"), M["nb_dwellings"]),
            _dec(values.get("ppw"), M["field_ppd"]),
            _dec(values.get("anteil"), M["field_share"]),
        )
    elif kind == "own_migration":
        net = _dec(values.get("saldo"), M["wg_net"])
        if net is None:
            raise ValueError(M["empty_field"].format(label=M["field_net"]))
        lo, hi = _year(values.get("von")), _year(values.get("bis"))
        if (lo is None) != (hi is None):
            lo = lo if lo is not None else _model.base_year() + 1
            hi = hi if hi is not None else 2045
        item = L.OwnMigration(ags, net, lo, hi)
    else:
        persons = _int(values.get("personen"), M["field_persons"])
        lo = values.get("alter_von")
        hi = values.get("alter_bis")
        a_lo = 0 if lo is None or not str(lo).strip() else _int(lo, M["em_age_from"])
        a_hi = OPEN_AGE if hi is None or not str(hi).strip() else _int(hi, M["em_age_to"])
        perm = bool(values.get("dauerhaft")) and persons > 0
        item = L.OneOffChange(
            ags,
            _year(values.get("jahr")),
            persons,
            a_lo,
            a_hi,
            perm,
            _dec(values.get("anteil"), M["field_share"]),
        )
    problems = item.problems()
    if problems:
        raise ValueError(" ".join(problems))
    return item


def edit(local: L.LocalScenario, action: tuple, ags: str, values: dict) -> tuple[L.LocalScenario, str]:
    """Apply an add or remove action; returns (new local scenario, German message)."""
    kind = action[1]
    items = list(getattr(local, kind))
    if action[0] == "remove":
        idx = action[2]
        if not (isinstance(idx, int) and 0 <= idx < len(items)):
            return local, ""
        gone = items.pop(idx)
        what = L.describe(L.LocalScenario(**{kind: (gone,)}))[0]
        return L.LocalScenario(**{**_lists(local), kind: tuple(items)}), M["removed"].format(what=what)
    item = new_entry(kind, ags, values)
    if kind == "own_migration":  # one own net migration per municipality and year: the new one wins
        years = set(item.years(2045))
        items = [m for m in items if m.ags != ags or not (set(m.years(2045)) & years)]
    items.append(item)
    new = L.LocalScenario(**{**_lists(local), kind: tuple(items)})
    return new, M["added"].format(what=L.describe(L.LocalScenario(**{kind: (item,)}))[0])


def _lists(local: L.LocalScenario) -> dict:
    return {k: getattr(local, k) for k in ("new_housing", "own_migration", "one_off")}


def register(p: str, ags_id: str, *, default_ags: str = KREIS_AGS) -> None:
    """The callbacks of the panel with prefix ``p``: add/remove entries, and follow the page's
    region control ``ags_id`` (an unknown value means ``default_ags``)."""
    i = _ids(p)

    @callback(
        Output(i["lokal-titel"], "children"),
        Output(i["lokal-formulare"], "children"),
        Output(i["gespeicherte"], "children"),
        Input(ags_id, "value"),
        prevent_initial_call=True,
    )
    def on_region(ags):
        """Municipality switch: the panel's title and forms, the saved scenarios of that municipality."""
        ags = _model.parse_ags(ags, default=default_ags)
        return (
            M["title"].format(name=region_name(ags)),
            forms(p, ags),
            saved_list(ags, list_id=i["gespeicherte"] + "-x").children,
        )

    @callback(
        Output(i["lokal"], "data"),
        Output(i["lokal-meldung"], "children"),
        Input(i["nb-add"], "n_clicks"),
        Input(i["wg-add"], "n_clicks"),
        Input(i["em-add"], "n_clicks"),
        Input(remove_id(p, ALL, ALL), "n_clicks"),
        State(i["lokal"], "data"),
        State(ags_id, "value"),
        State(i["nb-wohnungen"], "value"),
        State(i["nb-von"], "value"),
        State(i["nb-bis"], "value"),
        State(i["nb-ppw"], "value"),
        State(i["nb-anteil"], "value"),
        State(i["wg-saldo"], "value"),
        State(i["wg-von"], "value"),
        State(i["wg-bis"], "value"),
        State(i["em-jahr"], "value"),
        State(i["em-personen"], "value"),
        State(i["em-alter-von"], "value"),
        State(i["em-alter-bis"], "value"),
        State(i["em-dauerhaft"], "value"),
        State(i["em-anteil"], "value"),
        prevent_initial_call=True,
    )
    def on_edit(_nb, _wg, _em, _removes, data, ags, *fields):
        trig = ctx.triggered_id
        if trig is None:
            return dash.no_update, dash.no_update
        if isinstance(trig, dict):  # a remove button (also fired when the list re-renders)
            if not (ctx.triggered and ctx.triggered[0].get("value")):
                return dash.no_update, dash.no_update
            action = ("remove", str(trig.get("kind")), trig.get("index"))
            if action[1] not in KIND_LABELS:
                return dash.no_update, dash.no_update
        else:
            action = ("add", {i["nb-add"]: "new_housing", i["wg-add"]: "own_migration"}.get(trig, "one_off"))
        local = _model.parse_local(data)
        ags = ags if ags in MUNICIPALITIES else None
        if action[0] == "add" and ags is None:
            return dash.no_update, M["pick_municipality"]
        keys = {
            "new_housing": ["wohnungen", "von", "bis", "ppw", "anteil"],
            "own_migration": ["saldo", "von", "bis"],
            "one_off": ["jahr", "personen", "alter_von", "alter_bis", "dauerhaft", "anteil"],
        }
        offsets = {"new_housing": 0, "own_migration": 5, "one_off": 8}
        off = offsets[action[1]]
        values = dict(zip(keys[action[1]], fields[off : off + len(keys[action[1]])]))
        try:
            new, msg = edit(local, action, ags or KREIS_AGS, values)
        except ValueError as e:
            return dash.no_update, html.Strong(str(e), className="hinweis-fehler", role="alert")
        return new.to_query(), msg


# --------------------------------------------------------------------------- saved scenarios


def saved_list(ags: str, *, list_id: str) -> html.Div:
    """Saved scenarios of ``ags`` (all for the Kreis): title as permalink, author, date."""
    try:
        items = _model.saved_scenarios(ags)
    except Exception:  # noqa: BLE001 - the list is optional; the store reports its own problems
        items = []
    title = M["saved_title"] if ags == KREIS_AGS else M["saved_for"].format(name=region_name(ags))
    if not items:
        body = html.P(M["saved_none"])
    else:
        body = html.Ul(
            [
                html.Li(
                    [
                        html.A(s.title, href=f"/szenarien?id={s.key}"),
                        f" – {s.created_by}, {fmt_date(s.created_at.date())}",
                        *([html.Br(), html.Small(s.description)] if s.description else []),
                    ]
                )
                for s in items[:50]
            ]
        )
    return html.Div([html.H3(title), body], id=list_id, className="saved-scenarios")


def save_form(p: str) -> html.Section:
    """Name, description and the save button; the permalink appears in the live region below.

    The inputs are always present (callback states need them); an anonymous visitor who presses
    the button is asked to sign in, and the store checks the role again.
    """
    from dashboard.app.auth import current_actor

    actor = current_actor()
    hint = (
        []
        if actor is not None
        else [
            html.P(
                [M["save_login"], " ", html.A(M["save_login_link"], href="/anmelden?weiter=/szenarien")],
                className="hint",
            )
        ]
    )
    return html.Section(
        [
            html.H2(M["save_legend"]),
            *hint,
            html.Div(
                [
                    html.Label(M["save_name"], htmlFor=f"{p}-speichern-name"),
                    dcc.Input(id=f"{p}-speichern-name", type="text", maxLength=120, value=""),
                ],
                className="control",
            ),
            html.Div(
                [
                    html.Label(M["save_description"], htmlFor=f"{p}-speichern-text"),
                    dcc.Textarea(id=f"{p}-speichern-text", maxLength=2000, value="", rows=3),
                ],
                className="control",
            ),
            html.Button(M["save_button"], id=f"{p}-speichern", type="button", className="btn"),
            html.Div(id=f"{p}-speichern-meldung", role="status", **{"aria-live": "polite"}),
        ],
        className="save-scenario",
    )


def file_form(p: str) -> html.Section:
    """Download the current scenario as JSON; upload one (validated, German messages)."""
    return html.Section(
        [
            html.H2(M["json_legend"]),
            html.Button(M["json_download"], id=f"{p}-datei-los", type="button", className="btn"),
            dcc.Download(id=f"{p}-datei-download"),
            html.Div(
                [
                    html.Label(M["json_upload"], htmlFor=f"{p}-datei"),
                    dcc.Upload(
                        id=f"{p}-datei",
                        children=html.Button(
                            M["json_upload_hint"], type="button", className="btn btn-upload"
                        ),
                        accept=".json,application/json",
                        max_size=SCENARIO_FILE_MAX,
                        multiple=False,
                    ),
                ],
                className="control",
            ),
            html.P(id=f"{p}-datei-meldung", role="status", **{"aria-live": "polite"}),
        ],
        className="scenario-file",
    )


SCENARIO_FILE_MAX = 64 * 1024


def permalink(key: str) -> str:
    """Absolute permalink of a saved scenario (the site address of this request)."""
    from flask import has_request_context, request

    base = request.host_url.rstrip("/") if has_request_context() else ""
    return f"{base}/szenarien?id={key}"


def save(spec: _model.ScenarioSpec, title, description):
    """Save for the signed-in user; the message with the permalink (or why not)."""
    from dashboard.app.auth import current_actor
    from dashboard.store import StoreError

    actor = current_actor()
    if actor is None:
        return html.Strong(
            [M["save_login"], " ", html.A(M["save_login_link"], href="/anmelden?weiter=/szenarien")],
            className="hinweis-fehler",
            role="alert",
        )
    try:
        saved = _model.save_spec(spec, title=title, description=description, actor=actor)
    except StoreError as e:
        return html.Strong(str(e), className="hinweis-fehler", role="alert")
    link = permalink(saved.key)
    return html.Div(
        [
            html.P(
                [
                    M["saved_ok"].format(title=saved.title),
                    " ",
                    html.A(link, href=f"/szenarien?id={saved.key}", id="sz-permalink"),
                ]
            ),
            html.Label(M["permalink_label"], htmlFor="sz-permalink-text"),
            dcc.Input(id="sz-permalink-text", type="text", value=link, readOnly=True),
        ]
    )


def download(spec: _model.ScenarioSpec) -> dict:
    """``dcc.Download`` data of the scenario file."""
    from dashboard.projection.scenario_file import to_json

    return {
        "content": to_json(_model.to_scenario(spec), title=_model.spec_label(spec)),
        "filename": "szenario.json",
        "type": "application/json",
    }


def upload(contents, filename) -> tuple[object, _model.ScenarioSpec | None]:
    """(German message, spec or None) of an uploaded scenario file (``data:`` URL)."""
    import base64
    import binascii

    from dashboard.projection.scenario_file import from_json

    name = filename if isinstance(filename, str) and len(filename) <= 200 else M["json_file"]

    def fail(why: str):
        return html.Strong(
            M["json_failed"].format(name=name, why=why), className="hinweis-fehler", role="alert"
        ), None

    if not isinstance(contents, str) or "," not in contents:
        return fail(M["json_no_file"])
    head, _, b64 = contents.partition(",")
    if ";base64" not in head:
        return fail(M["json_not_base64"])
    if len(b64) > SCENARIO_FILE_MAX * 4 // 3 + 8:
        return fail(M["json_too_big"].format(kb=SCENARIO_FILE_MAX // 1024))
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return fail(M["json_broken"])
    try:
        doc = from_json(raw, name="Inhalt")
        spec = _model.spec_from_scenario(doc.scenario)
    except ValueError as e:
        return fail(str(e))
    return M["json_loaded"].format(name=name), spec
