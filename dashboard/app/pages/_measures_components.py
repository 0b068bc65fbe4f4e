"""Components of the Werkzeugkoffer page, also used by the Gemeinde page and the Kurzbericht.

Pure builders (no callbacks): catalogue + tidy frames of
:mod:`dashboard.projection.measures_link` in, Dash components out. German text comes from
``dashboard.text.WK``, numbers from the formatters there. The page itself is
``werkzeugkoffer.py``.

URL keys (German, like the rest of the app): ``ags``, ``szenario`` (+ ``tfr``, ``e0``,
``wanderung`` for an own scenario), ``jahr`` (2030 or 2045), ``feld`` (field of action),
``gruppe`` (planning age group), ``status`` (a status or ``aktiv``), ``suche`` (text),
``massnahme`` (id of the card to highlight and scroll to).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.app import _model
from dashboard.app._components import markdown_table
from dashboard.app._viewcache import view_cache
from dashboard.constants import KREIS_AGS, PLANNING_AGE_GROUPS
from dashboard.data.errors import DataFormatError
from dashboard.data.measures import FIELDS_OF_ACTION, STATUSES, Catalogue, active_catalogue
from dashboard.data.measures.catalogue import _valid_url
from dashboard.figures.measures import age_band_text, area_name, indicator_text, signed_pct
from dashboard.text import PLANNING_GROUP_LABELS, WK, count_noun, fmt_int, fmt_signed_int, wk_counts

PAGE = "werkzeugkoffer"
PATH = "/werkzeugkoffer"
HORIZONS = (2030, 2045)
Q_YEAR, Q_FIELD, Q_GROUP, Q_STATUS, Q_TEXT, Q_MEASURE = (
    "jahr",
    "feld",
    "gruppe",
    "status",
    "suche",
    "massnahme",
)
T = WK


def href(ags: str | None = None, spec: _model.ScenarioSpec | None = None, **params: str | int | None) -> str:
    """Link into the Werkzeugkoffer with URL state, e.g. ``href("05358044", massnahme="M36")``."""
    q = {"ags": ags, **(spec.query() if spec is not None else {}), **params}
    q = {k: v for k, v in q.items() if v not in (None, "") and not (k == "ags" and v == KREIS_AGS)}
    return PATH + (("?" + urlencode(q)) if q else "")


def field_options() -> list[dict]:
    return [{"label": f, "value": f} for f in FIELDS_OF_ACTION]


def group_options() -> list[dict]:
    return [{"label": PLANNING_GROUP_LABELS.get(g, g), "value": g} for g in PLANNING_AGE_GROUPS]


def status_options() -> list[dict]:
    return [{"label": T["active"], "value": "aktiv"}] + [{"label": s, "value": s} for s in STATUSES]


def source_link(url: str):
    """A link only for a vetted http(s) URL (scheme, host, no spaces or control characters);
    anything else is shown as plain text. Opens in a new tab without access to this page."""
    text = str(url)
    if _valid_url(text) and text.isprintable():
        return html.A(_source_label(text), href=text, target="_blank", rel="noopener noreferrer")
    return html.Span(text, className="wk-url-text")


def _source_label(url: str) -> str:
    p = urlparse(url)
    path = p.path.rstrip("/")
    tail = path.rsplit("/", 1)[-1] if path else ""
    label = p.netloc.removeprefix("www.") + (f" – {tail}" if tail else "")
    return label if len(label) <= 70 else label[:67] + "…"


def served_texts(catalogue: Catalogue) -> dict[str, str]:
    """Measure id -> ``"kreisweit (alle 15 Gemeinden)"`` or the served names (``"Düren, Jülich"``)."""
    out: dict[str, list[str]] = {}
    for mid, ags, name in catalogue.municipalities.itertuples(index=False):
        out.setdefault(mid, []).append(T["district_wide"] if ags == KREIS_AGS else name)
    return {
        mid: (T["district_wide"] if T["district_wide"] in names else ", ".join(names))
        for mid, names in out.items()
    }


def indicator_texts(
    linked: pd.DataFrame | None, totals: pd.DataFrame | None, *, ags: str, year: int
) -> tuple[dict[str, list[str]], list[str]]:
    """Indicator lines at ``year``: (measure id -> lines of the groups it overlaps, total line).

    All-ages measures show the total line (the whole population) instead of ten groups.
    """
    if linked is None:
        return {}, []
    per: dict[str, list[str]] = {}
    sub = linked[(linked.year == year) & ~linked.all_ages]
    for r in sub.itertuples(index=False):
        per.setdefault(r.measure_id, []).append(
            indicator_text(
                str(r.age_group),
                ags,
                int(r.base_year),
                year,
                r.population_base,
                r.population,
                r.change,
                r.change_pct,
            )
        )
    t = totals[(totals.year == year) & (totals.age_group.astype(str) == "insgesamt")]
    total = [
        indicator_text(
            "insgesamt", ags, int(r.base_year), year, r.population_base, r.population, r.change, r.change_pct
        )
        for r in t.itertuples()
    ]
    return per, total


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def md_escape(text: str) -> str:
    """Escape catalogue text for Markdown (``LSBTIQ*`` stays literal; raw HTML is never rendered)."""
    return str(text).translate(_MD_SPECIAL)


def measure_card(
    measure,
    urls: list[str],
    served: str,
    indicators: list[str],
    *,
    scenario_label: str,
    highlight: bool = False,
) -> html.Article:
    """One measure as a card with its source links and the indicators it answers.

    ``measure`` is a row of :func:`~dashboard.projection.measures_link.filter_measures`. Every
    text of the catalogue is rendered as text (never Markdown or HTML: ``<`` and ``>`` show as
    they are); links only for vetted http(s) URLs (:func:`source_link`).
    """
    mid = measure.id
    title_id = f"massnahme-{mid}-titel"
    badges = [
        html.Span(measure.field_of_action, className="wk-badge wk-field"),
        html.Span(measure.status, className=f"wk-badge wk-status wk-status-{measure.status}"),
    ]
    if bool(getattr(measure, "local", False)):
        badges.append(html.Span(T["local"], className="wk-badge wk-local"))
    facts = [
        (T["target"], measure.target_group),
        (T["band"], age_band_text(measure.age_min, measure.age_max, measure.age_band_basis)),
        (T["served"], served),
    ]
    if measure.lead:
        facts.append((T["lead"], measure.lead))
    if not pd.isna(measure.start_year):
        facts.append((T["start"], str(int(measure.start_year))))
    body = [html.P(str(measure.description), className="wk-desc")] if measure.description else []
    body.append(
        html.Dl(
            [part for k, v in facts for part in (html.Dt(k), html.Dd(str(v)))],
            className="wk-facts",
        )
    )
    if indicators:
        body += [
            html.P(html.Strong(T["answers"].format(scenario=scenario_label) + ":")),
            html.Ul([html.Li(t) for t in indicators]),
        ]
    body += [
        html.P(html.Strong(T["sources"] + ":")),
        html.Ul([html.Li(source_link(u)) for u in urls]),
    ]
    return html.Article(
        [
            html.H3(measure.title, id=title_id),
            html.P(badges, className="wk-badges"),
            html.Div(body, className="wk-card-body"),
        ],
        id=f"massnahme-{mid}",
        className="wk-card" + (" wk-highlight" if highlight else ""),
        **{"aria-labelledby": title_id, "data-measure": mid},
    )


def _table(caption: str, header: list[str], rows: list[list], *, table_id: str | None = None) -> html.Table:
    kw = {"id": table_id} if table_id else {}
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
            html.Tbody([html.Tr([html.Th(r[0], scope="row")] + [html.Td(c) for c in r[1:]]) for r in rows]),
        ],
        className="data-table wk-table",
        **kw,
    )


def _md_table(caption: str, frame: pd.DataFrame, *, table_id: str | None = None) -> html.Div:
    """A captioned table as one Markdown component (cheap for the Dash renderer)."""
    kw = {"id": table_id} if table_id else {}
    return html.Div(
        [
            html.P(caption, className="table-caption"),
            markdown_table(frame, dict.fromkeys(frame.columns, "text")),
        ],
        className="wk-table table-scroll",
        **kw,
    )


def gap_table(
    table: pd.DataFrame, *, kind: str = "gap", ags: str | None = None, table_id: str | None = None
) -> html.Div | html.P:
    """Rows of :func:`~dashboard.projection.measures_link.growth_coverage` as a German table.

    ``kind``: ``"gap"`` (gaps only), ``"district_wide_only"`` (strongly growing groups reached
    only by district-wide measures) or ``"all"`` (every cell: the chart's data table).
    """
    t = table if kind == "all" else table[table[kind]]
    if ags and ags != KREIS_AGS:
        t = t[t.ags == ags]
    base, year = int(table.base_year.iloc[0]), int(table.year.iloc[0])
    if kind != "all" and t.empty:
        return html.P(T["no_gaps" if kind == "gap" else "no_wide_only"], id=table_id)

    def verdict(r) -> str:
        return (
            "Lücke"
            if r.gap
            else "nur kreisweit"
            if r.district_wide_only
            else "stark wachsend"
            if r.strongly_growing
            else ""
        )

    rows = [
        {
            "Gemeinde": r.municipality,
            "Gruppe": str(r.age_group),
            str(base): fmt_int(r.population_base),
            str(year): fmt_int(r.population),
            "Veränderung": fmt_signed_int(r.change),
            "in %": signed_pct(r.change_pct),
            "aktive Maßnahmen": str(int(r.n_active)),
            **(
                {"davon namentlich": str(int(r.n_active_local)), "Bewertung": verdict(r)}
                if kind == "all"
                else {}
            ),
        }
        for r in t.itertuples()
    ]
    cap = T[
        {"gap": "gap_table_caption", "district_wide_only": "wide_only_caption", "all": "all_cells_caption"}[
            kind
        ]
    ].format(base=base, year=year)
    return _md_table(cap, pd.DataFrame(rows), table_id=table_id)


def coverage_table(cov: pd.DataFrame) -> html.Div:
    """Active measures per municipality and field of action (named ones in brackets)."""
    c = cov.assign(field_of_action=cov.field_of_action.astype(str)).set_index(["ags", "field_of_action"])
    rows = [
        {
            "Gemeinde": area_name(a),
            **{
                f: f"{int(c.loc[(a, f)].n_measures)} ({int(c.loc[(a, f)].n_local)})" for f in FIELDS_OF_ACTION
            },
        }
        for a in dict.fromkeys(cov.ags)
    ]
    return _md_table(T["coverage_caption"], pd.DataFrame(rows))


def problems_view(exc: DataFormatError, name: str) -> html.Div:
    """All problems of a refused workbook as an alert with a table."""
    rows = [
        [p.file, p.sheet or "", "" if p.row is None else str(p.row), p.column or "", p.expected, p.found]
        for p in exc.problems
    ]
    return html.Div(
        [
            html.P(T["upload_fail"].format(name=name, **wk_counts(problems=len(exc.problems)))),
            _table(
                T["problems_caption"], T["problem_columns"].split("|"), rows, table_id="wk-upload-problems"
            ),
        ],
        role="alert",
        className="notice notice-error wk-error",
    )


def age_groups_for(spec: _model.ScenarioSpec) -> pd.DataFrame:
    """The projection's planning age groups for a scenario."""
    return _model.result(spec).age_groups


@view_cache(maxsize=32)
def cards_view(
    *,
    ags: str,
    field: str | None,
    group: str | None,
    status: str | None,
    text: str | None,
    year: int,
    spec: _model.ScenarioSpec,
    highlight: str | None = None,
) -> dict:
    """The measure list for one filter state.

    Returns
    -------
    dict
        ``origin`` (which catalogue is active, warnings), ``summary``, ``notice`` (no model),
        ``cards`` (one :func:`measure_card` per matching measure).
    """
    from dashboard.projection.measures_link import filter_measures, group_changes, linked_measures

    cat = active_catalogue()
    origin = [
        T["origin_imported" if cat.origin == "imported" else "origin_shipped"].format(
            path=cat.path or "", **wk_counts(len(cat.measures))
        )
    ]
    origin += [html.Span(" " + w, className="wk-warning") for w in cat.warnings]
    found = filter_measures(cat, ags=ags, field=field, status=status, age_group=group, text=text)
    if ags != KREIS_AGS:
        summary = T["n_found_ags"].format(
            **wk_counts(len(found)),
            name=area_name(ags),
            local=int(found.local.sum()),
            wide=int((~found.local).sum()),
        )
    else:
        summary = T["n_found"].format(**wk_counts(len(found)))
    ag = age_groups_for(spec)
    notice = None
    linked = linked_measures(cat, ag, ags, years=HORIZONS)
    totals = group_changes(ag, ags, years=HORIZONS, include_total=True)
    per, total = indicator_texts(linked, totals, ags=ags, year=year)
    urls = cat.sources.groupby("measure_id", sort=False).url.agg(list).to_dict()
    served = served_texts(cat)
    label = _model.spec_label(spec)
    groups: dict[str, list] = {}
    for r in found.itertuples(index=False):
        groups.setdefault(str(r.field_of_action), []).append(
            measure_card(
                r,
                urls.get(r.id, []),
                served.get(r.id, ""),
                total if r.age_band_basis == "all ages" else per.get(r.id, []),
                scenario_label=label,
                highlight=(r.id == highlight),
            )
        )
    if not groups:
        return {"origin": origin, "summary": summary, "notice": notice, "cards": [html.P(T["none_found"])]}
    return {
        "origin": origin,
        "summary": summary,
        "notice": notice,
        "cards": field_groups(groups, found, highlight=highlight, expand=bool(field or group or text)),
    }


#: Up to this many measures the list is shown with every Handlungsfeld open.
OPEN_ALL_UP_TO = 12


def field_groups(
    groups: dict[str, list], found: pd.DataFrame, *, highlight: str | None, expand: bool
) -> list:
    """Cards grouped by Handlungsfeld in collapsible sections (a long list stays short on a phone).

    All sections are open for short lists or a view filtered by field, age group or text (``expand``); otherwise only the
    section of the highlighted measure, else the first one. Each section ends with a link
    back up to the filters.
    """
    show_all = expand or len(found) <= OPEN_ALL_UP_TO or len(groups) == 1
    hl_field = (
        str(found.loc[found.id == highlight, "field_of_action"].iloc[0])
        if highlight and (found.id == highlight).any()
        else None
    )
    first_open = hl_field or next(iter(groups))
    out = []
    for k, (name, cards) in enumerate(groups.items()):
        out.append(
            html.Details(
                [
                    html.Summary(f"{name} ({count_noun(len(cards), 'Maßnahme', 'Maßnahmen')})"),
                    html.Div(cards, className="wk-cards"),
                    html.P(html.A(T["to_filters"], href="#wk-filter", className="wk-top")),
                ],
                open=show_all or name == first_open,
                className="wk-field-group",
                id=f"wk-feld-{k}",
            )
        )
    return out


@view_cache(maxsize=32)
def gaps_view(*, ags: str, year: int, spec: _model.ScenarioSpec) -> dict:
    """The gap view: ``rule`` (text), ``gap_tables`` (gaps and district-wide-only rows of the
    municipality, or of all when ``ags`` is the Kreis), ``gap_fig`` and ``gap_all`` (its table)."""
    from dashboard.figures.measures import gap_heatmap
    from dashboard.projection.measures_link import (
        STRONG_GROWTH_MIN_PERSONS,
        STRONG_GROWTH_PCT,
        growth_coverage,
    )

    rule = T["gaps_rule"].format(
        base=_model.base_year(),
        year=year,
        pct=signed_pct(STRONG_GROWTH_PCT, 0).lstrip("+"),
        persons=STRONG_GROWTH_MIN_PERSONS,
        scenario=_model.spec_label(spec),
    )
    ag = age_groups_for(spec)
    table = growth_coverage(active_catalogue(), ag, horizon=year)
    return {
        "rule": rule,
        "gap_fig": gap_heatmap(table),
        "gap_all": gap_table(table, kind="all"),
        "gap_tables": html.Div(
            [
                gap_table(table, ags=ags, table_id="wk-gaps"),
                gap_table(table, kind="district_wide_only", ags=ags, table_id="wk-wide-only"),
            ]
        ),
    }


@view_cache(maxsize=32)
def coverage_view() -> tuple[go.Figure, html.Table]:
    """Coverage heatmap and its table (active measures per municipality and field of action)."""
    from dashboard.figures.measures import coverage_heatmap
    from dashboard.projection.measures_link import coverage

    cov = coverage(active_catalogue())
    return coverage_heatmap(cov), coverage_table(cov)


@view_cache(maxsize=64)
def measures_teaser(
    ags: str, spec: _model.ScenarioSpec | None = None, *, year: int = 2030, limit: int = 6
) -> html.Section:
    """Box for the Gemeinde page and the Kurzbericht: the municipality's named and age-targeted
    active measures with links into the Werkzeugkoffer, plus its gaps (``ags``: 8-char key)."""
    from dashboard.projection.measures_link import filter_measures, growth_coverage

    spec = spec or _model.ScenarioSpec()
    cat = active_catalogue()
    found = filter_measures(cat, ags=ags, status="aktiv")
    targeted = found[found.age_band_basis != "all ages"]
    pick = pd.concat([found[found.local], targeted[~targeted.local]]).drop_duplicates("id").head(limit)
    items = [
        html.Li(
            dcc.Link(
                f"{r.title} ({r.field_of_action})",
                href=href(ags, spec, **{Q_MEASURE: r.id}),
                className="wk-teaser-link",
            )
        )
        for r in pick.itertuples()
    ]
    parts: list = [html.H2(T["teaser_title"]), html.Ul(items, id="wk-teaser-list")]
    ag = age_groups_for(spec)
    gt = growth_coverage(cat, ag, horizon=year)
    mine = gt[gt.ags == ags]
    g, wide = mine[mine.gap], mine[mine.district_wide_only]
    parts.append(
        html.P(
            T["teaser_gaps"].format(
                year=year,
                groups=", ".join(f"{r.age_group} ({signed_pct(r.change_pct)})" for r in g.itertuples()),
            )
            if len(g)
            else T["teaser_no_gaps"].format(year=year)
        )
    )
    if len(wide):
        parts.append(
            html.P(
                T["teaser_wide_only"].format(
                    year=year,
                    groups=", ".join(
                        f"{r.age_group} ({signed_pct(r.change_pct)})" for r in wide.itertuples()
                    ),
                )
            )
        )
    parts.append(
        dcc.Link(
            T["teaser_more"].format(**wk_counts(len(filter_measures(cat, ags=ags))), name=area_name(ags)),
            href=href(ags, spec),
            id="wk-teaser-more",
        )
    )
    return html.Section(parts, className="wk-teaser", **{"aria-label": T["teaser_title"]})


def measures_brief_line(
    ags: str, spec: _model.ScenarioSpec | None = None, *, year: int = 2030, limit: int = 3
) -> html.Div:
    """Compact measures block for the one-page Kurzbericht: counts, gaps and up to ``limit``
    linked measures in one paragraph (the full list is one click away)."""
    from dashboard.projection.measures_link import filter_measures, growth_coverage

    spec = spec or _model.ScenarioSpec()
    cat = active_catalogue()
    found = filter_measures(cat, ags=ags, status="aktiv")
    targeted = found[found.age_band_basis != "all ages"]
    pick = pd.concat([found[found.local], targeted[~targeted.local]]).drop_duplicates("id").head(limit)
    links: list = []
    for k, r in enumerate(pick.itertuples()):
        links += ([", "] if k else []) + [
            dcc.Link(r.title, href=href(ags, spec, **{Q_MEASURE: r.id}), className="wk-teaser-link")
        ]
    text: list = (
        [
            T["brief_line"].format(
                **wk_counts(len(found)), name=area_name(ags), local=int(found.local.sum())
            ),
            " ",
            T["brief_examples"],
            " ",
        ]
        + links
        + [". "]
    )
    ag = age_groups_for(spec)
    gt = growth_coverage(cat, ag, horizon=year)
    mine = gt[gt.ags == ags]
    gaps = ", ".join(str(r.age_group) for r in mine[mine.gap].itertuples()) or T["brief_none"]
    wide = ", ".join(str(r.age_group) for r in mine[mine.district_wide_only].itertuples()) or T["brief_none"]
    text.append(T["brief_gaps"].format(year=year, gaps=gaps, wide=wide) + " ")
    text.append(
        dcc.Link(
            T["teaser_more"].format(**wk_counts(len(filter_measures(cat, ags=ags))), name=area_name(ags)),
            href=href(ags, spec),
            id="wk-teaser-more",
        )
    )
    return html.Div(
        [html.H2("Maßnahmen"), html.P(text, id="wk-teaser-list", className="small-print")],
        className="wk-brief",
    )
