"""Daten & Konten: drafts and their preview, publish, roll back, accounts (signed-in users only).

URL: ``/verwaltung`` or ``/verwaltung?entwurf=ID`` (preview of one draft). Visitors see a
sign-in link and nothing else. ``planung`` sees the published state and their own drafts with
previews; ``pflege`` sees every draft, publishes, discards, rolls back and manages accounts.
Every action sends the release number the user looked at (``vw-expected``): if someone else
published in between, the store answers with a conflict and nothing changes.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard.app import _admin
from dashboard.app._components import data_table, dropdown, labelled, notice
from dashboard.app.auth import current_actor
from dashboard.settings import synthetic_tables_allowed
from dashboard.text import ADMIN as A
from dashboard.text import STORE, fmt_date

dash.register_page(
    __name__, path="/verwaltung", name="Daten & Konten", order=90, title="Daten & Konten – Kreis Düren 2030"
)

CHANNELS = (("tables", A["tables"]), ("catalogue", A["catalogue"]))


def _int(value: object) -> int | None:
    """A positive whole number from a URL value, else None (lists, text, nan are refused)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def _visible(v, actor) -> bool:
    return actor.can_publish or v.status != "draft" or v.created_by_id == actor.user_id


def _publishable(v) -> bool:
    """No publish button for a synthetic test recording (the store refuses it anyway)."""
    return not v.synthetic or synthetic_tables_allowed()


def _action(action: str, target: int | str, where: str = "list") -> html.Button:
    """The button of one action (``publish``, ``discard``, ``rollback``, ``lock``, ``unlock``;
    its label is the text of the same name) on ``target`` (a version id, channel or user name)."""
    return html.Button(
        A[action], id={"type": "vw-action", "action": action, "id": target, "where": where}, className="btn"
    )


def _channel_section(store, channel: str, title: str, actor) -> html.Section:
    active = store.active(channel)
    what = (
        ", ".join(_admin.version_label(v) for v in active.versions)
        if active.versions
        else A["active_none_" + channel]
    )
    drafts = [
        v
        for v in store.versions(channel, status="draft")
        if actor.can_publish or v.created_by_id == actor.user_id
    ]
    items = []
    for v in drafts:
        row = [html.A(_admin.version_label(v), href=f"{_admin.ADMIN_PATH}?entwurf={v.id}")]
        if actor.can_publish and _publishable(v):
            row += [" ", _action("publish", v.id)]
        if actor.can_publish or v.created_by_id == actor.user_id:
            row += [" ", _action("discard", v.id)]
        items.append(html.Li(row))
    history = [
        html.Li(
            f"Stand {r.number}: "
            + (
                f"Version {r.version_id} veröffentlicht"
                if r.action == "publish"
                else f"zurückgesetzt auf Stand {r.restored_number}"
            )
            + f" – {fmt_date(r.created_at.date())} von {r.created_by}"
        )
        for r in store.releases(channel)[:20]
    ]
    kids = [
        html.H2(title, id=f"vw-{channel}"),
        html.P(A["active"].format(number=active.number, what=what), id=f"vw-active-{channel}"),
        html.H3(A["drafts"]),
        html.Ul(items, id=f"vw-drafts-{channel}") if items else html.P(A["no_drafts"]),
    ]
    if history:
        kids += [html.H3(A["history"]), html.Ul(history, id=f"vw-history-{channel}")]
        if actor.can_publish and active.number > 0:
            kids.append(_action("rollback", channel))
    return html.Section(kids, **{"aria-labelledby": f"vw-{channel}"})


def _preview_section(store, version_id: int, actor) -> html.Section:
    from dashboard.store import NotFound

    try:
        v = store.version(version_id)
    except NotFound as exc:
        return html.Section(notice(str(exc), "error"))
    if not _visible(v, actor):
        return html.Section(notice(A["not_visible"], "error"))
    kids = [
        html.H2(A["preview_title"].format(id=v.id), id="vw-preview"),
        html.P(f"{_admin.version_label(v)} – Status: {STORE['status_' + v.status]}"),
        html.Ul([html.Li(line) for line in v.report.get("summary", [])]),
    ]
    if v.synthetic:  # a labelled test recording: say so before anything else
        allowed = synthetic_tables_allowed()
        kids.insert(
            1,
            html.Div(
                notice(A["synthetic_notice_tests" if allowed else "synthetic_notice"], "error"),
                id="vw-synthetic",
            ),
        )
    if v.channel == "tables":
        kids.append(_admin.preview_block(v.id))
    else:
        from dashboard.data import measures

        lines = measures.catalogue_preview_lines(v.id) if hasattr(measures, "catalogue_preview_lines") else []
        kids.append(html.Ul([html.Li(line) for line in lines], id="vw-catalogue-preview"))
    if actor.can_publish and v.status in ("draft", "superseded") and _publishable(v):
        kids.append(_action("publish", v.id, where="preview"))
    return html.Section(kids, id="vw-entwurf", **{"aria-labelledby": "vw-preview"})


def _accounts_section(store) -> html.Section:
    rows = [
        {
            "name": u.name,
            "role": u.role,
            "state": "aktiv" if u.active else A["locked"],
            "created": f"{fmt_date(u.created_at.date())} von {u.created_by}",
        }
        for u in store.users()
    ]
    import pandas as pd

    buttons = [
        html.Li([u.name, " ", _action("unlock" if not u.active else "lock", u.name)]) for u in store.users()
    ]
    return html.Section(
        [
            html.H2(A["accounts"], id="vw-accounts"),
            data_table(
                pd.DataFrame(rows, columns=["name", "role", "state", "created"]),
                {
                    "name": ("Name", "text"),
                    "role": ("Rolle", "text"),
                    "state": ("Zustand", "text"),
                    "created": ("angelegt", "text"),
                },
                caption=A["accounts"],
                table_id="vw-users",
                row_header="name",
            ),
            html.Ul(buttons, className="vw-user-actions"),
            html.H3(A["new_account"]),
            html.Div(
                [
                    labelled(
                        "vw-new-name",
                        A["account_name"],
                        dcc.Input(id="vw-new-name", type="text", maxLength=64),
                    ),
                    labelled(
                        "vw-new-role",
                        A["account_role"],
                        dropdown(
                            id="vw-new-role",
                            options=[{"label": r, "value": r} for r in ("planung", "pflege")],
                            value="planung",
                            clearable=False,
                        ),
                    ),
                    labelled(
                        "vw-new-password",
                        A["account_password"],
                        dcc.Input(id="vw-new-password", type="password", maxLength=1024),
                    ),
                    html.Button(A["new_account"], id="vw-new-create", className="btn", type="button"),
                ],
                className="controls",
            ),
        ],
        **{"aria-labelledby": "vw-accounts"},
    )


def body(entwurf: object = None) -> html.Div:
    """The page content for the signed-in user (or the sign-in request)."""
    from dashboard.store import get_store

    actor = current_actor()
    if actor is None:
        return html.Div(
            [notice(A["please_login"]), html.P(html.A("Anmelden", href="/anmelden?weiter=/verwaltung"))]
        )
    store = get_store()
    expected = store.data_version()
    kids = [dcc.Store(id="vw-expected", data=expected)]
    vid = _int(entwurf)
    if vid is not None:
        kids.append(_preview_section(store, vid, actor))
    kids += [_channel_section(store, ch, title, actor) for ch, title in CHANNELS]
    if actor.can_publish:
        kids.append(_accounts_section(store))
        audit = store.audit(limit=30)
        kids += [
            html.H2(A["audit"], id="vw-audit"),
            html.Ul(
                [
                    html.Li(f"{e.at.strftime('%d.%m.%Y %H:%M')} {e.actor}: {e.action} {e.detail}")
                    for e in audit
                ],
                id="vw-audit-list",
            ),
        ]
    return html.Div(kids)


def layout(entwurf=None, **_query) -> html.Div:
    return html.Div(
        [
            html.H1(A["title"]),
            html.P(A["intro"]),
            html.Div(id="vw-message", **{"aria-live": "polite"}),
            dcc.Store(id="vw-rev", data=0),
            dcc.Store(id="vw-entwurf-id", data=entwurf if isinstance(entwurf, str) else None),
            html.Div(body(entwurf), id="vw-body"),
        ]
    )


@callback(
    Output("vw-message", "children"),
    Output("vw-rev", "data"),
    Input({"type": "vw-action", "action": ALL, "id": ALL, "where": ALL}, "n_clicks"),
    State("vw-expected", "data"),
    State("vw-rev", "data"),
    prevent_initial_call=True,
)
def act(clicks, expected, rev):
    """Publish, discard, roll back, lock/unlock: role checked here and in the store."""
    from dashboard.data.imports import invalidate
    from dashboard.store import StoreError, get_store

    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(isinstance(c, int) and c > 0 for c in (clicks or [])):
        return dash.no_update, dash.no_update
    # the button that fired must itself have been clicked (new buttons arrive with None)
    clicked = [t["value"] for t in ctx.triggered if isinstance(t.get("value"), int) and t["value"] > 0]
    if not clicked:
        return dash.no_update, dash.no_update
    actor = current_actor()
    if actor is None:
        return notice(A["please_login"], "error"), dash.no_update
    exp = expected if isinstance(expected, dict) else {}
    store = get_store()
    action, key = trig.get("action"), trig.get("id")
    try:
        if action == "publish" and isinstance(key, int):
            v = store.version(key)
            r = store.publish(key, actor=actor, expected=_expected(exp, v.channel))
            invalidate()
            msg = A["published_ok"].format(number=r.number)
        elif action == "discard" and isinstance(key, int):
            v = store.discard(key, actor=actor)
            msg = A["discarded_ok"].format(id=v.id)
        elif action == "rollback" and key in ("tables", "catalogue"):
            r = store.rollback(key, actor=actor, expected=_expected(exp, key))
            invalidate()
            msg = A["rolled_back"].format(number=r.number, restored=r.restored_number)
        elif action in ("lock", "unlock") and isinstance(key, str):
            store.set_active(key, action == "unlock", actor=actor)
            msg = A["account_changed"].format(
                name=key, state="entsperrt" if action == "unlock" else A["locked"]
            )
        else:
            return dash.no_update, dash.no_update
    except StoreError as exc:
        return notice(str(exc), "error"), (rev or 0) + 1
    return notice(msg), (rev or 0) + 1


def _expected(exp: dict, channel: str) -> int:
    value = exp.get(channel)
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


@callback(
    Output("vw-message", "children", allow_duplicate=True),
    Output("vw-rev", "data", allow_duplicate=True),
    Output("vw-new-password", "value"),
    Input("vw-new-create", "n_clicks"),
    State("vw-new-name", "value"),
    State("vw-new-role", "value"),
    State("vw-new-password", "value"),
    State("vw-rev", "data"),
    prevent_initial_call=True,
)
def create_account(n, name, role, password, rev):
    from dashboard.store import StoreError, get_store

    if not isinstance(n, int) or n < 1:
        return dash.no_update, dash.no_update, dash.no_update
    actor = current_actor()
    if actor is None:
        return notice(A["please_login"], "error"), dash.no_update, ""
    if not all(isinstance(x, str) for x in (name, role, password)):
        return notice(STORE["bad_name"].format(max=64), "error"), dash.no_update, ""
    try:
        u = get_store().create_user(name, password, role, actor=actor)
    except StoreError as exc:
        return notice(str(exc), "error"), dash.no_update, ""
    return notice(A["account_created"].format(name=u.name, role=u.role)), (rev or 0) + 1, ""


@callback(
    Output("vw-body", "children"),
    Input("vw-rev", "data"),
    State("vw-entwurf-id", "data"),
    prevent_initial_call=True,
)
def refresh(_rev, entwurf):
    return body(entwurf)
