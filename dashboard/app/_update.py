"""/methodik pieces of issue 16: the base year with its official/estimated inputs, and
"Daten aktualisieren" for users with the role ``pflege`` (fetch → drafts → what would change).

Thin: the rules live in :mod:`dashboard.data.update` (fetch, validation, drafts) and
:mod:`dashboard.data.imports` (preview); publishing happens on /verwaltung (store, role check
there and in the store). ``DASHBOARD_UPDATE_RECORDINGS`` (a recordings folder) makes the button
replay recorded answers instead of going online (tests, demonstrations).
"""

from __future__ import annotations

import logging

from dash import html

from dashboard.app._components import data_table, notice
from dashboard.settings import UPDATE_RECORDINGS_ENV, update_recordings
from dashboard.text import UPDATE as U

LOG = logging.getLogger("dashboard.app")
RECORDINGS_ENV = UPDATE_RECORDINGS_ENV


def base_section() -> list:
    """Heading, text and table: the base year and which of its inputs are official."""
    from dashboard.app import _model
    from dashboard.data.baseyear import base_inputs

    year = _model.base_year()
    try:
        t = base_inputs(year)
    except Exception:  # noqa: BLE001 - an explanatory table must not take the page down
        LOG.exception("Eingaben der Basis %s nicht bestimmbar", year)
        return [html.H2(U["base_heading"], id="basis"), html.P(U["base_intro"].format(year=year))]
    return [
        html.H2(U["base_heading"], id="basis"),
        html.P(U["base_intro"].format(year=year)),
        html.Div(
            data_table(
                t[["input", "status", "source"]],
                {
                    "input": (U["col_input"], "text"),
                    "status": (U["col_status"], "text"),
                    "source": (U["col_source"], "text"),
                },
                caption=U["base_caption"].format(year=year),
                table_id="mt-basis",
                row_header="input",
            ),
            className="table-scroll",
        ),
    ]


def update_section(actor) -> list:
    """The "Daten aktualisieren" block; its button is in every layout (the callback guard knows
    it) but shown only to ``pflege`` users, and the callback checks the role again."""
    allowed = actor is not None and actor.can_publish
    return [
        html.Div(
            [
                html.H2(U["app_heading"], id="aktualisieren"),
                html.P(U["app_intro"]),
                html.Button(U["app_button"], id="mt-update", type="button", n_clicks=0),
                html.Div(id="mt-update-result", **{"aria-live": "polite"}),
            ],
            hidden=not allowed,
            id="mt-update-section",
        )
    ]


def run_view(actor) -> html.Div:
    """Fetch, stage drafts and show per municipal draft what publishing would change."""
    from dashboard.app._admin import ADMIN_PATH, preview_block
    from dashboard.data.update import UpdateError, run_update

    if actor is None or not actor.can_publish:
        return notice(U["app_not_allowed"], "error")
    offline = update_recordings()
    try:
        result = run_update(offline=offline, actor=actor)
    except UpdateError as exc:
        return html.Div(notice(exc.message, "error"), style={"whiteSpace": "pre-line"}, id="mt-update-error")
    except ValueError as exc:  # e.g. an unusable recordings folder setting
        return notice(str(exc), "error")
    from dashboard.store import get_store

    store = get_store()
    kids = [html.Ul([html.Li(line) for line in result.summary_de().splitlines()], id="mt-update-summary")]
    for f, vid in zip(result.fetched, result.drafts):
        v = store.version(int(vid))
        code = f.provenance["table_code"]
        if v.synthetic:  # a labelled test recording: loud, before its preview
            kids.append(notice(U["app_synthetic"].format(id=vid, table=code), "error"))
        if v.report.get("used_by_model"):
            kids.append(html.H3(U["app_preview_head"].format(id=vid, table=code)))
            kids.append(preview_block(int(vid), compact=True))
        else:
            kids.append(html.P(U["app_no_model_change"].format(id=vid, table=code)))
        kids.append(html.P(html.A(U["app_to_publish"].format(id=vid), href=f"{ADMIN_PATH}?entwurf={vid}")))
    return html.Div(kids, id="mt-update-drafts")
