"""Reusable layout pieces: accessible chart blocks, German data tables, selectors, stand line.

Every chart is shown by :func:`chart`, which puts an accessible name on it and a data
table (built from the figure itself) behind it; callbacks that update a chart return
``chart_outputs(fig, kind)`` for the figure and its table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.figures.labels import region_options
from dashboard.figures.tables import wide_table
from dashboard.text import T, fmt_date, fmt_signed_int, fmt_value

#: Every chart's Plotly config: German toolbar and tooltips (``assets/vendor/plotly-locale-de.js``, vendored), no
#: "Share chart" (it offers to upload the chart to Plotly's cloud: a data-protection problem for a
#: municipal site, and seven English tab stops), a trimmed toolbar (image download, zoom, pan, reset).
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "displayModeBar": "hover",
    "locale": "de",
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": [
        "sendChartToCloud",
        "sendDataToCloud",
        "editInChartStudio",
        "downloadJson",
        "select2d",
        "lasso2d",
        "autoScale2d",
        "toggleSpikelines",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "diagramm"},
}


def _fmt_cell(v: object, kind: str) -> str:
    if isinstance(v, bool):
        return "ja" if v else "nein"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return fmt_signed_int(v) if kind == "signed" else fmt_value(v, kind)
    if hasattr(v, "year") and hasattr(v, "month"):
        return fmt_date(v)  # type: ignore[arg-type]
    return "" if v is None else str(v)


def data_table(
    df: pd.DataFrame,
    columns: Mapping[str, tuple[str, str]],
    *,
    caption: str | None = None,
    table_id: str | None = None,
    row_header: str | None = None,
) -> html.Table:
    """An HTML table with German number formats.

    Parameters
    ----------
    df : the rows to show.
    columns : column -> (German header, kind) where kind is ``int``, ``signed`` (+12 / −3),
        ``pct``, ``dec1``, ``ratio`` or ``text``.
    row_header : column whose cells are row headers (``<th scope="row">``).
    """
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h, _ in columns.values()]))
    body = []
    for rec in df.to_dict("records"):
        cells = []
        for col, (_, kind) in columns.items():
            v = rec.get(col)
            text = str(v) if kind == "text" else _fmt_cell(v, kind)
            cells.append(
                html.Th(text, scope="row")
                if col == row_header
                else html.Td(text, className="num" if kind != "text" else None)
            )
        body.append(html.Tr(cells))
    kids = ([html.Caption(caption)] if caption else []) + [head, html.Tbody(body)]
    return (
        html.Table(kids, className="data-table", id=table_id)
        if table_id
        else html.Table(kids, className="data-table")
    )


def markdown_table(df: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> dcc.Markdown:
    """A (possibly large) table as one Markdown component — renders a real ``<table>`` with
    header cells but costs one Dash component instead of one per cell."""
    kinds = kinds or {}

    def cell(v: object, kind: str) -> str:
        if hasattr(v, "year") and hasattr(v, "month"):
            text = fmt_date(v)  # type: ignore[arg-type]
        elif v is None or (isinstance(v, float) and v != v):
            text = ""
        else:
            text = str(v) if kind == "text" else _fmt_cell(v, kind)
        return text.replace("|", "\\|")

    cols = list(df.columns)
    lines = [
        "| " + " | ".join(str(c) for c in cols) + " |",
        "|" + "|".join(":--" if kinds.get(c, "num") == "text" else "--:" for c in cols) + "|",
    ]
    for rec in df.itertuples(index=False):
        lines.append("| " + " | ".join(cell(v, kinds.get(c, "num")) for c, v in zip(cols, rec)) + " |")
    return dcc.Markdown("\n".join(lines), className="md-table")


def figure_data_table(fig: go.Figure, kind: str = "int") -> dcc.Markdown:
    """The data behind a figure as a German table: one row per x (year, age, area), one
    column per series."""
    w = wide_table(fig)
    if w.empty:
        return dcc.Markdown("Keine Daten.")
    w = w.rename(columns={"x": "Jahr / Alter / Gebiet"})
    return markdown_table(w, {c: ("text" if c == "Jahr / Alter / Gebiet" else kind) for c in w.columns})


def pyramid_data_table(
    population: pd.DataFrame, *, ags: str, year: int, compare_year: int | None = None, table_id=None
) -> html.Table:
    """Text alternative of a pyramid: persons per planning age group (age order) and sex in
    ``year``, the group's share, and optionally the persons of ``compare_year`` (the outline)."""
    from dashboard.figures.labels import region_name
    from dashboard.figures.pyramid import pyramid_table
    from dashboard.text import PLANNING_GROUP_LABELS

    t = pyramid_table(population, ags=ags, year=year)
    cols = {
        "age_group": ("Altersgruppe", "text"),
        "female": (f"Frauen {year}", "int"),
        "male": (f"Männer {year}", "int"),
        "total": (f"zusammen {year}", "int"),
        "share": (f"Anteil {year}", "pct"),
    }
    if compare_year is not None:
        t["compare"] = pyramid_table(population, ags=ags, year=compare_year)["total"].to_numpy()
        cols["compare"] = (f"zusammen {compare_year}", "int")
    cols["status"] = ("Status", "text")
    t["age_group"] = t.age_group.map(PLANNING_GROUP_LABELS)
    return data_table(
        t,
        cols,
        caption=f"{region_name(ags)}, 31.12.{year}: Personen nach Planungsaltersgruppe und Geschlecht",
        row_header="age_group",
        table_id=table_id,
    )


def chart_outputs(fig: go.Figure, kind: str = "int") -> tuple[go.Figure, dcc.Markdown]:
    """What a callback returns for a chart: the figure and its data table."""
    return fig, figure_data_table(fig, kind)


def chart(
    graph_id: str,
    fig: go.Figure | None,
    *,
    label: str,
    kind: str = "int",
    note: str | None = None,
    table=None,
) -> html.Figure:
    """An accessible chart block: named graph, optional note and a collapsible data table.

    ``table`` replaces the generic table built from the figure's traces.
    """
    if table is None:
        table = figure_data_table(fig, kind) if fig is not None else html.P("Keine Daten.")
    return html.Figure(
        [
            html.Div(
                dcc.Graph(id=graph_id, figure=fig or go.Figure(), config=GRAPH_CONFIG),
                role="img",
                **{"aria-label": label},
            ),
            html.Figcaption([label] + ([html.Br(), html.Small(note)] if note else [])),
            html.Details(
                [
                    html.Summary(T["table_summary"]),
                    html.Div(table, id=f"{graph_id}-tabelle", className="table-scroll"),
                ]
            ),
        ],
        className="chart",
    )


def dropdown(**kwargs) -> dcc.Dropdown:
    """``dcc.Dropdown`` with German texts inside (search field, "no options", clear): every
    dropdown of the app is built here (a test walks the pages). Typing on a closed dropdown
    opens it with a search for the typed letters ("Nid" -> Nideggen, Enter picks it); the asset
    ``dropdown-typeahead.js`` does the same when the list is already open."""
    from dashboard.text import DROPDOWN_LABELS

    kwargs.setdefault("placeholder", T["dropdown_placeholder"])
    return dcc.Dropdown(labels=DROPDOWN_LABELS, **kwargs)


def region_dropdown(dropdown_id: str, value: str, *, include_kreis: bool = True) -> html.Div:
    """Labelled, keyboard-usable selector of the Kreis or a municipality."""
    return html.Div(
        [
            html.Label(T["region"], htmlFor=dropdown_id),
            dropdown(
                id=dropdown_id,
                options=region_options(include_kreis),
                value=value,
                clearable=False,
                searchable=True,
            ),
        ],
        className="control",
    )


def labelled(control_id: str, label: str, control) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id), control], className="control")


def stand_line(model: bool = True) -> html.P:
    """Data stand and projection vintage, shown on every page."""
    from dashboard.app._model import data_stand, published_tables
    from dashboard.text import IMPORTS, fmt_date

    s = data_stand()
    parts = [T["data_stand"].format(year=s["year"])]
    if model:
        parts.append(T["vintage"].format(year=s["year"], version=s["version"]))
    for p in published_tables():
        parts.append(
            IMPORTS["stand_line"].format(
                table=p.get("table_code", ""),
                years=", ".join(str(y) for y in p.get("years", [])),
                publisher=p.get("publisher", ""),
                id=p["id"],
                file=p["filename"],
                when=fmt_date(p["published_at"].date()) if p.get("published_at") else "–",
                who=p.get("published_by") or "–",
            )
        )
    return html.P(" · ".join(parts), className="stand")


def key_figure(label: str, value: str, sub: str | None = None, value_id: str | None = None) -> html.Div:
    """A big number with label and a small line below (ids ``value_id`` and ``value_id-sub``)."""
    kw = {"id": value_id} if value_id else {}
    skw = {"id": f"{value_id}-sub"} if value_id else {}
    return html.Div(
        [html.Div(label, className="kf-label"), html.Div(value, className="kf-value", **kw)]
        + ([html.Div(sub, className="kf-sub", **skw)] if sub is not None else []),
        className="key-figure",
    )


def walk(component) -> Iterator:
    """Every Dash component of a layout tree, depth first in document order (through
    ``children`` and lists; strings, numbers and ``None`` are not components)."""
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from walk(c)
        return
    if not hasattr(component, "to_plotly_json"):
        return
    yield component
    yield from walk(getattr(component, "children", None))


def query_store(page: str, data: Mapping[str, str]) -> dcc.Store:
    """The page's URL state; the shell mirrors it into the address bar (shareable link)."""
    return dcc.Store(id={"type": "query", "page": page}, data=dict(data))


def selection_store(page: str, data: Mapping[str, str]) -> dcc.Store:
    """The page's contribution to the cross-page selection (municipality, scenario)."""
    return dcc.Store(id={"type": "sel", "page": page}, data=dict(data))


def notice(text: str | Sequence, kind: str = "info") -> html.Div:
    return html.Div(text, className=f"notice notice-{kind}", role="status" if kind == "info" else "alert")


def upload_area(upload: dcc.Upload, *, result_id: str, limit: int) -> html.Div:
    """An upload with its size limit said in German when a file is refused in the browser
    (``assets/upload-limit.js``): the component itself refuses a file over ``max_size``
    without any callback. The earlier result (``result_id``) is hidden while the refusal is
    shown; a file within the limit goes to the server, whose answer replaces the result."""
    from dashboard.text import UPLOAD_NOTES

    note_id = f"{upload.id}-hinweis"
    return html.Div(
        [upload, html.P(id=note_id, **{"aria-live": "assertive"})],
        className="upload-area",
        **{
            "data-upload-limit": str(limit),
            "data-upload-note": note_id,
            "data-upload-result": result_id,
            "data-upload-too-big": UPLOAD_NOTES["too_big"],
        },
    )
