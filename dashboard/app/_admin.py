"""Shared pieces of the account and data-governance UI: header links, the data banner,
uploads that become drafts, bounded problem lists, draft previews.

Pages call these; the rules live below (``dashboard.data.imports``, the measures import store,
``dashboard.store``). Every writing action checks the signed-in role here and again in the store.
"""

from __future__ import annotations

import base64
import binascii
import logging
from urllib.parse import quote

import pandas as pd
from dash import html

from dashboard.app._components import data_table, notice
from dashboard.app.auth import LOGIN_PATH, LOGOUT_PATH, current_actor
from dashboard.settings import UPLOAD_MAX_BYTES
from dashboard.text import ADMIN as A
from dashboard.text import AUTH, fmt_date, fmt_int, problems_count

LOG = logging.getLogger("dashboard.app")
ADMIN_PATH = "/verwaltung"


def account_links(pathname: str | None) -> list:
    """Header: "Anmelden" for visitors; name, role, admin page and "Abmelden" when signed in."""
    actor = current_actor()
    if actor is None:
        here = pathname if isinstance(pathname, str) and pathname.startswith("/") else "/"
        return [
            html.A(AUTH["header_login"], href=f"{LOGIN_PATH}?weiter={quote(here)}", className="konto-link")
        ]
    return [
        html.Span(AUTH["header_user"].format(name=actor.name, role=actor.role), className="konto-name"),
        " · ",
        html.A(AUTH["header_admin"], href=ADMIN_PATH, className="konto-link"),
        " · ",
        html.A(AUTH["header_logout"], href=LOGOUT_PATH, className="konto-link"),
    ]


def data_banner():
    """The visible German banner when the active data are not the ones served (else nothing)."""
    from dashboard.data.imports import serving_problem

    try:
        text = serving_problem()
    except Exception:  # noqa: BLE001 - the banner must never break a page
        LOG.exception("Datenstand konnte nicht geprüft werden")
        return None
    return notice(text, "error") if text else None


def login_first(path: str) -> html.Div:
    """The answer to an anonymous upload: nothing was stored."""
    return html.Div(
        [
            notice(A["login_to_upload"], "error"),
            html.P(html.A(AUTH["header_login"], href=f"{LOGIN_PATH}?weiter={quote(path)}")),
        ],
        className="upload-login",
    )


def decode_upload(contents: object) -> bytes:
    """Bytes of a ``data:…;base64,…`` upload value (``ValueError`` with a German message)."""
    if not isinstance(contents, str) or "," not in contents:
        raise ValueError(A["unreadable"])
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise ValueError(A["unreadable"]) from exc


def too_big(raw: bytes) -> str | None:
    if len(raw) > UPLOAD_MAX_BYTES:
        return A["too_big"].format(size=fmt_int(len(raw) / 1024), limit=fmt_int(UPLOAD_MAX_BYTES / 1024))
    return None


def problems_view(problems: list, name: str, *, table_id: str = "mt-problems") -> html.Div:
    """Bounded problem list: the first 50 rows, "und N weitere", counts by kind."""
    from dashboard.data.imports import problem_summary

    s = problem_summary(problems)
    rows = pd.DataFrame(
        [
            {
                "file": p.file,
                "sheet": p.sheet or "",
                "row": "" if p.row is None else str(p.row),
                "column": p.column or "",
                "expected": p.expected,
                "found": p.found,
            }
            for p in s["shown"]
        ]
    )
    cols = {
        "file": ("Datei", "text"),
        "sheet": ("Blatt", "text"),
        "row": ("Zeile", "text"),
        "column": ("Spalte", "text"),
        "expected": ("erwartet", "text"),
        "found": ("gefunden", "text"),
    }
    if not rows["sheet"].any():
        cols.pop("sheet")
    kids = [
        notice(A["refused"].format(name=name, problems=problems_count(s["total"])), "error"),
        html.Div(
            data_table(rows, cols, caption=A["problems_caption"], table_id=table_id), className="table-scroll"
        ),
    ]
    if s["more"]:
        kids.append(html.P(A["more"].format(n=fmt_int(s["more"])), className="problems-more"))
    if len(s["by_kind"]) > 1 or s["more"]:
        kinds = pd.DataFrame([{"kind": k, "n": n} for k, n in s["by_kind"][:20]])
        kids.append(
            data_table(
                kinds,
                {"kind": ("Art des Problems", "text"), "n": ("Anzahl", "int")},
                caption=A["by_kind"],
                table_id=f"{table_id}-arten",
            )
        )
    return html.Div(kids)


def upload_table(contents: object, filename: object, *, page_path: str) -> html.Div:
    """An uploaded official table: anonymous → sign in first; else check completely and store
    as a draft of the signed-in user; the answer shows the check and what would change."""
    from dashboard.data.errors import DataFormatError
    from dashboard.data.imports import create_draft, sanitise_filename
    from dashboard.store import StoreError

    actor = current_actor()
    if actor is None:
        return login_first(page_path)
    name = sanitise_filename(filename if isinstance(filename, str) else "upload.csv")
    try:
        raw = decode_upload(contents)
    except ValueError as exc:
        return notice(str(exc), "error")
    if msg := too_big(raw):
        return notice(msg, "error")
    try:
        draft = create_draft(raw, name, actor=actor)
    except DataFormatError as err:
        return problems_view(err.problems, name)
    except StoreError as exc:
        return notice(str(exc), "error")
    v = draft.version
    kids = [
        notice(A["draft_ok"].format(name=name, id=v.id)),
        html.Ul([html.Li(line) for line in draft.checked.summary_lines()], id="mt-upload-summary"),
    ]
    if draft.checked.used_by_model:
        kids.append(preview_block(v.id, compact=True))
    kids.append(html.P(html.A(A["to_preview"], href=f"{ADMIN_PATH}?entwurf={v.id}", id="mt-draft-link")))
    return html.Div(kids)


def preview_block(version_id: int, *, compact: bool = False) -> html.Div:
    """What publishing the draft would change: base population per municipality (total, new,
    difference) and, unless ``compact``, the difference by municipality × age group."""
    from dashboard.data.imports import preview

    try:
        p = preview(version_id)
    except Exception:  # noqa: BLE001 - a preview must not take the page down
        LOG.exception("Vorschau für Version %s fehlgeschlagen", version_id)
        return notice(A["preview_failed"], "error")
    if not p.used_by_model:
        return notice(A["preview_unused"])
    kids = []
    if p.new_base_years:  # the draft starts a new base year: compare with today's projection
        from dashboard.app import _model
        from dashboard.data.imports import with_projection

        p = with_projection(p, _model.result(_model.ScenarioSpec()).population)
        kids.append(
            notice(
                A["preview_new_base"].format(
                    years=", ".join(f"31.12.{y}" for y in p.new_base_years), base=_model.base_year()
                )
            )
        )
    for year in p.years:
        t = p.totals[p.totals.year == year]
        current = "col_projected" if year in p.new_base_years else "col_current"
        kids.append(
            html.Div(
                data_table(
                    t,
                    {
                        "municipality": ("Gemeinde", "text"),
                        "current": (A[current].format(release=p.served_release), "int"),
                        "new": (A["col_new"], "int"),
                        "difference": ("Differenz", "int"),
                    },
                    caption=A["preview_caption"].format(year=year),
                    table_id=f"vorschau-{year}",
                    row_header="municipality",
                ),
                className="table-scroll",
            )
        )
        if not compact:
            g = p.table[p.table.year == year]
            wide = g.pivot_table(
                index="municipality", columns="age_group", values="difference", observed=False, sort=False
            )
            wide = wide.reindex(list(dict.fromkeys(g.municipality)))
            wide = wide.round(0).reset_index()
            cols = {"municipality": ("Gemeinde", "text")}
            cols.update({c: (f"{c} J.", "int") for c in wide.columns if c != "municipality"})
            kids.append(
                html.Div(
                    data_table(
                        wide,
                        cols,
                        caption=A["preview_groups_caption"].format(year=year),
                        table_id=f"vorschau-gruppen-{year}",
                        row_header="municipality",
                    ),
                    className="table-scroll",
                )
            )
    return html.Div(kids, className="vorschau")


def version_label(v) -> str:
    p = v.provenance
    years = ", ".join(str(y) for y in p.get("years", []))
    label = A["version_label"].format(
        id=v.id,
        table=p.get("table_code", v.slot),
        years=years or "–",
        file=v.filename,
        who=v.created_by,
        when=fmt_date(v.created_at.date()),
    )
    return label + (A["synthetic_label"] if v.synthetic else "")
