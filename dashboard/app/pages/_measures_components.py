"""Components of the Werkzeugkoffer page, also used by the Gemeinde page and the brief.

Pure builders (no callbacks): catalogue + tidy frames of
:mod:`dashboard.projection.measures_link` in, Dash components out. German UI text lives in
:data:`TEXT`. The page itself is ``werkzeugkoffer.py``.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode, urlparse

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.constants import BASE_YEAR, KREIS_AGS, MUNICIPALITIES, PLANNING_AGE_GROUPS
from dashboard.data.errors import DataFormatError
from dashboard.data.measures import FIELDS_OF_ACTION, STATUSES, Catalogue
from dashboard.figures.measures import (AGE_GROUP_LABELS_DE, age_band_text, area_name, fmt_number,
                                        fmt_pct, indicator_text)

PATH = "/werkzeugkoffer"
HORIZONS = (2030, 2045)
DEFAULT_SCENARIO = "basis"

#: German UI text of the Werkzeugkoffer (one place).
TEXT: dict[str, str] = {
    "title": "Werkzeugkoffer: Maßnahmen und Bevölkerungsentwicklung",
    "intro": ("Die Maßnahmen, Angebote und Projekte des Kreises Düren und seiner Kommunen in den "
              "fünf Handlungsfeldern – jeweils neben der vorausberechneten Entwicklung der "
              "Altersgruppen, an die sie sich richten. Jede Maßnahme ist mit ihren Quellen belegt."),
    "ags": "Gemeinde", "field": "Handlungsfeld", "group": "Altersgruppe", "status": "Status",
    "q": "Zielgruppe oder Stichwort", "q_placeholder": "z. B. Pflege, Jugendliche, Dorf",
    "year": "Vorausberechnung bis", "scenario": "Szenario",
    "all_munis": "Alle Gemeinden (Kreis Düren)", "all_fields": "Alle Handlungsfelder",
    "all_groups": "Alle Altersgruppen", "all_status": "Alle", "active": "nur aktive (laufend)",
    "cards": "Maßnahmen", "n_found": "{n} Maßnahmen gefunden",
    "n_found_ags": "{n} Maßnahmen für {name} ({local} namentlich genannt, {wide} kreisweit)",
    "none_found": "Keine Maßnahme passt zu dieser Auswahl.",
    "target": "Zielgruppe", "band": "Altersband", "served": "Gemeinden", "lead": "Träger",
    "start": "Beginn", "sources": "Quellen", "answers": "Antwortet auf (Vorausberechnung, {scenario})",
    "district_wide": "kreisweit (alle 15 Gemeinden)", "local": "namentlich genannt",
    "gaps_title": "Lücken: stark wachsende Altersgruppen ohne aktive passende Maßnahme",
    "gaps_rule": ("Eine Altersgruppe gilt als stark wachsend, wenn sie von {base} bis {year} um "
                  "mindestens {pct} und mindestens {persons} Personen zunimmt. Eine Lücke liegt vor, "
                  "wenn in der Gemeinde keine aktive (laufende) Maßnahme angeboten wird, deren "
                  "Altersband die Gruppe trifft; Angebote für alle Altersgruppen schließen keine Lücke. "
                  "„Nur kreisweit“: die Gruppe wächst stark und wird nur von kreisweiten Maßnahmen "
                  "erreicht, keine nennt die Gemeinde namentlich. Werte {base}: Schätzung je Gemeinde; "
                  "{year}: Vorausberechnung ({scenario})."),
    "gap_graph_label": ("Wärmebild: Veränderung jeder Altersgruppe in jeder Gemeinde in Prozent, "
                        "Lücken beschriftet; die Daten stehen in der Tabelle darunter."),
    "coverage_graph_label": ("Wärmebild: Zahl der aktiven Maßnahmen je Gemeinde und Handlungsfeld; "
                             "die Daten stehen in der Tabelle darunter."),
    "no_gaps": "Keine Lücke nach dieser Regel.",
    "no_wide_only": "Keine stark wachsende Altersgruppe, die nur durch kreisweite Maßnahmen erreicht wird.",
    "wide_only_caption": ("Stark wachsende Altersgruppen {base} → {year}, die nur kreisweite Maßnahmen "
                          "erreichen (keine Maßnahme nennt die Gemeinde namentlich)"),
    "gap_table_caption": "Lücken {base} → {year}",
    "all_cells_caption": "Alle Gemeinden und Altersgruppen {base} → {year} (Daten der Grafik)",
    "coverage_title": "Abdeckung: aktive Maßnahmen je Handlungsfeld und Gemeinde",
    "coverage_caption": "Aktive Maßnahmen je Gemeinde und Handlungsfeld (davon namentlich genannt)",
    "show_table": "Daten als Tabelle anzeigen",
    "upload_title": "Bearbeiteten Katalog hochladen",
    "upload_help": ("Laden Sie den Katalog als Excel-Arbeitsmappe herunter, bearbeiten Sie ihn und laden "
                    "Sie ihn hier wieder hoch. Die Datei wird vollständig geprüft; nur eine fehlerfreie "
                    "Arbeitsmappe wird übernommen. Der mitgelieferte Katalog bleibt unverändert."),
    "upload_button": "Arbeitsmappe (.xlsx) auswählen oder hierher ziehen",
    "download": "Aktiven Katalog als Excel herunterladen",
    "reset": "Importierten Katalog verwerfen",
    "upload_ok": "Die Arbeitsmappe {name} wurde geprüft und übernommen: {n} Maßnahmen, {s} Quellen.",
    "upload_fail": "Die Arbeitsmappe {name} wurde nicht übernommen. Bitte beheben Sie diese {n} Probleme:",
    "reset_ok": "Der importierte Katalog wurde verworfen; der mitgelieferte Katalog ist wieder aktiv.",
    "origin_shipped": "Aktiver Katalog: mitgeliefert ({n} Maßnahmen).",
    "origin_imported": "Aktiver Katalog: von Ihnen importiert ({n} Maßnahmen).",
    "no_projection": ("Die Vorausberechnung ist derzeit nicht verfügbar; die Maßnahmen werden ohne "
                      "Indikatoren gezeigt."),
    "teaser_title": "Maßnahmen aus dem Werkzeugkoffer",
    "teaser_more": "Alle {n} Maßnahmen für {name} im Werkzeugkoffer",
    "teaser_gaps": "Lücken bis {year}: {groups}",
    "teaser_no_gaps": "Keine Lücke bis {year} nach der Regel des Werkzeugkoffers.",
    "status_labels": "laufend|geplant|abgeschlossen|unbekannt",
}
T = TEXT
COLUMNS_DE = {"file": "Datei", "sheet": "Blatt", "row": "Zeile", "column": "Spalte",
              "expected": "erwartet", "found": "gefunden"}


def href(ags: str | None = None, **params: str | int | None) -> str:
    """Link to the Werkzeugkoffer with URL state, e.g. ``href("05358044", measure="M36")``.

    Query keys: ``ags``, ``field``, ``group``, ``status``, ``q``, ``year``, ``scenario``,
    ``measure`` (highlighted card)."""
    q = {k: v for k, v in {"ags": ags, **params}.items()
         if v not in (None, "") and not (k == "ags" and v == KREIS_AGS)}
    return PATH + (("?" + urlencode(q)) if q else "")


def municipality_options() -> list[dict]:
    return [{"label": TEXT["all_munis"], "value": KREIS_AGS}] + [
        {"label": name, "value": ags} for ags, name in MUNICIPALITIES.items()]


def field_options() -> list[dict]:
    return [{"label": f, "value": f} for f in FIELDS_OF_ACTION]


def group_options() -> list[dict]:
    return [{"label": f"{g} ({AGE_GROUP_LABELS_DE[g]})", "value": g} for g in PLANNING_AGE_GROUPS]


def status_options() -> list[dict]:
    return [{"label": TEXT["active"], "value": "aktiv"}] + [{"label": s, "value": s} for s in STATUSES]


def _source_label(url: str) -> str:
    p = urlparse(url)
    path = p.path.rstrip("/")
    tail = path.rsplit("/", 1)[-1] if path else ""
    label = p.netloc.removeprefix("www.") + (f" – {tail}" if tail else "")
    return label if len(label) <= 70 else label[:67] + "…"


def served_text(catalogue: Catalogue, measure_id: str) -> str:
    """``"kreisweit (alle 15 Gemeinden)"`` or the served names (``"Düren, Jülich"``)."""
    rows = catalogue.municipalities[catalogue.municipalities.measure_id == measure_id]
    if (rows.ags == KREIS_AGS).any():
        return TEXT["district_wide"]
    return ", ".join(rows.name)


def indicator_lines(linked: pd.DataFrame | None, totals: pd.DataFrame | None, measure: pd.Series,
                    *, ags: str, year: int) -> list[str]:
    """Indicator texts of one card: overlapped groups at ``year`` (or the total for all-ages)."""
    if linked is None:
        return []
    if measure.age_band_basis == "all ages":
        if totals is None:
            return []
        t = totals[(totals.year == year) & (totals.age_group.astype(str) == "insgesamt")]
        return [indicator_text("insgesamt", ags, int(r.base_year), year, r.population_base, r.population,
                               r.change, r.change_pct) for r in t.itertuples()]
    sub = linked[(linked.measure_id == measure.id) & (linked.year == year)]
    return [indicator_text(str(r.age_group), ags, int(r.base_year), year, r.population_base,
                           r.population, r.change, r.change_pct) for r in sub.itertuples()]


def measure_card(measure: pd.Series, catalogue: Catalogue, indicators: list[str], *,
                 scenario_label: str, highlight: bool = False) -> html.Article:
    """One measure as a card with its source links and the indicators it answers."""
    mid = measure.id
    urls = catalogue.sources[catalogue.sources.measure_id == mid].url.tolist()
    title_id = f"massnahme-{mid}-titel"
    badges = [html.Span(measure.field_of_action, className="wk-badge wk-field"),
              html.Span(measure.status, className=f"wk-badge wk-status wk-status-{measure.status}")]
    if bool(getattr(measure, "local", False)):
        badges.append(html.Span(TEXT["local"], className="wk-badge wk-local"))
    facts = [
        (TEXT["target"], measure.target_group),
        (TEXT["band"], age_band_text(measure.age_min, measure.age_max, measure.age_band_basis)),
        (TEXT["served"], served_text(catalogue, mid)),
    ]
    if measure.lead:
        facts.append((TEXT["lead"], measure.lead))
    if not pd.isna(measure.start_year):
        facts.append((TEXT["start"], str(int(measure.start_year))))
    body = [
        html.H3(measure.title, id=title_id),
        html.P(badges, className="wk-badges"),
        html.P(measure.description) if measure.description else None,
        html.Dl([c for k, v in facts for c in (html.Dt(k), html.Dd(v))], className="wk-facts"),
    ]
    if indicators:
        body.append(html.Div([html.H4(TEXT["answers"].format(scenario=scenario_label)),
                              html.Ul([html.Li(t, className="wk-indicator") for t in indicators])],
                             className="wk-indicators"))
    body.append(html.Div([html.H4(TEXT["sources"]), html.Ul([
        html.Li(html.A(_source_label(u), href=u, target="_blank", rel="noopener noreferrer",
                       title=u, className="wk-source")) for u in urls])], className="wk-sources"))
    return html.Article([b for b in body if b is not None], id=f"massnahme-{mid}",
                        className="wk-card" + (" wk-highlight" if highlight else ""),
                        **{"aria-labelledby": title_id, "data-measure": mid})


def _table(caption: str, header: list[str], rows: list[list], *, table_id: str | None = None) -> html.Table:
    kw = {"id": table_id} if table_id else {}
    return html.Table([html.Caption(caption),
                       html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
                       html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows])],
                      className="wk-table", **kw)


def gap_table(table: pd.DataFrame, *, kind: str = "gap", ags: str | None = None,
              table_id: str | None = None) -> html.Table | html.P:
    """Table of :func:`~dashboard.projection.measures_link.growth_coverage` rows.

    ``kind``: ``"gap"`` (gaps only), ``"district_wide_only"`` (strongly growing groups answered
    only by district-wide measures) or ``"all"`` (every cell: the text alternative of the chart).
    """
    t = table if kind == "all" else table[table[kind]]
    if ags and ags != KREIS_AGS:
        t = t[t.ags == ags]
    base, year = int(table.base_year.iloc[0]), int(table.year.iloc[0])
    if kind != "all" and t.empty:
        return html.P(T["no_gaps" if kind == "gap" else "no_wide_only"], id=table_id)
    header = ["Gemeinde", "Altersgruppe", str(base), str(year), "Veränderung", "in %",
              "aktive passende Maßnahmen", "davon namentlich"] + (["Bewertung"] if kind == "all" else [])

    def verdict(r) -> str:
        return ("Lücke" if r.gap else "nur kreisweit" if r.district_wide_only
                else "stark wachsend" if r.strongly_growing else "")
    rows = [[r.municipality, str(r.age_group), fmt_number(round(r.population_base)),
             fmt_number(round(r.population)), fmt_number(round(r.change), sign=True),
             fmt_pct(r.change_pct), str(int(r.n_active)), str(int(r.n_active_local))]
            + ([verdict(r)] if kind == "all" else []) for r in t.itertuples()]
    cap = T[{"gap": "gap_table_caption", "district_wide_only": "wide_only_caption",
             "all": "all_cells_caption"}[kind]].format(base=base, year=year)
    return _table(cap, header, rows, table_id=table_id)


def coverage_table(cov: pd.DataFrame) -> html.Table:
    fields = list(FIELDS_OF_ACTION)
    c = cov.assign(field_of_action=cov.field_of_action.astype(str)).set_index(["ags", "field_of_action"])
    rows = [[name] + [f"{int(c.loc[(ags, f)].n_measures)} ({int(c.loc[(ags, f)].n_local)})" for f in fields]
            for ags, name in MUNICIPALITIES.items()]
    return _table(TEXT["coverage_caption"], ["Gemeinde"] + fields, rows)


def problems_view(exc: DataFormatError, name: str) -> html.Div:
    """All problems of a refused workbook as an alert with a table."""
    rows = [[p.file, p.sheet or "", "" if p.row is None else str(p.row), p.column or "", p.expected, p.found]
            for p in exc.problems]
    return html.Div([html.P(TEXT["upload_fail"].format(name=name, n=len(exc.problems))),
                     _table("Gefundene Probleme", list(COLUMNS_DE.values()), rows,
                            table_id="wk-upload-problems")],
                    role="alert", className="wk-alert wk-error")


@functools.lru_cache(maxsize=8)
def projected_age_groups(scenario: str = DEFAULT_SCENARIO) -> pd.DataFrame | None:
    """The projection's planning age groups for a preset scenario (``None`` if unavailable)."""
    try:
        from dashboard.projection import PRESETS, project
    except ImportError:
        return None
    if scenario not in PRESETS:
        return None
    return project(PRESETS[scenario]).age_groups


def scenario_label(scenario: str) -> str:
    try:
        from dashboard.projection import PRESETS
        sc = PRESETS[scenario]
        return str(getattr(sc, "label", None) or getattr(sc, "name", None) or scenario)
    except (ImportError, KeyError):
        return scenario


def measures_teaser(ags: str, *, scenario: str = DEFAULT_SCENARIO, year: int = 2030,
                    limit: int = 6) -> html.Section:
    """Box for the Gemeinde page and the brief: the municipality's local and targeted measures
    with links into the Werkzeugkoffer, plus its gaps. ``ags`` is an 8-char municipal key."""
    from dashboard.data.measures import active_catalogue
    from dashboard.projection.measures_link import filter_measures, growth_coverage

    cat = active_catalogue()
    found = filter_measures(cat, ags=ags, status="aktiv")
    targeted = found[found.age_band_basis != "all ages"]
    pick = pd.concat([found[found.local], targeted[~targeted.local]]).drop_duplicates("id").head(limit)
    name = area_name(ags)
    items = [html.Li(dcc.Link(f"{r.title} ({r.field_of_action})",
                              href=href(ags, measure=r.id, scenario=scenario, year=year),
                              className="wk-teaser-link")) for r in pick.itertuples()]
    parts: list = [html.H2(TEXT["teaser_title"]), html.Ul(items)]
    ag = projected_age_groups(scenario)
    if ag is not None:
        gt = growth_coverage(cat, ag, horizon=year)
        g = gt[(gt.ags == ags) & gt.gap]
        parts.append(html.P(TEXT["teaser_gaps"].format(year=year, groups=", ".join(
            f"{r.age_group} ({fmt_pct(r.change_pct)})" for r in g.itertuples()))
            if len(g) else TEXT["teaser_no_gaps"].format(year=year)))
    parts.append(dcc.Link(TEXT["teaser_more"].format(n=len(filter_measures(cat, ags=ags)), name=name),
                          href=href(ags, scenario=scenario, year=year)))
    return html.Section(parts, className="wk-teaser", **{"aria-label": TEXT["teaser_title"]})


def _empty_figure(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(xaxis_visible=False, yaxis_visible=False, height=200, separators=",.")
    return fig


def render_view(*, ags: str, field: str | None, group: str | None, status: str | None,
                text: str | None, year: int, scenario: str, highlight: str | None = None) -> tuple:
    """Everything the page shows for one filter state (called by the page's one callback).

    Returns
    -------
    tuple
        (origin line, summary, notice, cards, gap rule text, gap figure, gap table,
        all-cells table, coverage figure, coverage table).
    """
    from dashboard.data.measures import active_catalogue
    from dashboard.figures.measures import coverage_heatmap, gap_heatmap
    from dashboard.projection.measures_link import (STRONG_GROWTH_MIN_PERSONS, STRONG_GROWTH_PCT,
                                                    coverage, filter_measures, group_changes,
                                                    growth_coverage, linked_measures)

    cat = active_catalogue()
    origin = [T["origin_imported" if cat.origin == "imported" else "origin_shipped"].format(
        n=len(cat.measures))] + [html.Span(" " + w, className="wk-warning") for w in cat.warnings]
    found = filter_measures(cat, ags=ags, field=field, status=status, age_group=group, text=text)
    if ags != KREIS_AGS:
        summary = T["n_found_ags"].format(n=len(found), name=area_name(ags), local=int(found.local.sum()),
                                          wide=int((~found.local).sum()))
    else:
        summary = T["n_found"].format(n=len(found))
    ag = projected_age_groups(scenario)
    notice, linked, totals = None, None, None
    if ag is None:
        notice = html.P(T["no_projection"], className="wk-alert", role="status")
    else:
        linked = linked_measures(cat, ag, ags, years=HORIZONS)
        totals = group_changes(ag, ags, years=HORIZONS, include_total=True)
    label = scenario_label(scenario)
    cards = [measure_card(r, cat, indicator_lines(linked, totals, r, ags=ags, year=year),
                          scenario_label=label, highlight=(r.id == highlight))
             for r in found.itertuples(index=False)] or [html.P(T["none_found"])]
    rule = T["gaps_rule"].format(base=BASE_YEAR, year=year, pct=fmt_pct(STRONG_GROWTH_PCT, 0, sign=False),
                                 persons=STRONG_GROWTH_MIN_PERSONS, scenario=label)
    if ag is None:
        gap_fig, gap_tab, all_tab = _empty_figure(T["no_projection"]), None, None
    else:
        table = growth_coverage(cat, ag, horizon=year)
        gap_fig = gap_heatmap(table)
        gap_tab = html.Div([gap_table(table, ags=ags, table_id="wk-gaps"),
                            gap_table(table, kind="district_wide_only", ags=ags, table_id="wk-wide-only")])
        all_tab = gap_table(table, kind="all")
    cov = coverage(cat)
    return (origin, summary, notice, cards, rule, gap_fig, gap_tab, all_tab, coverage_heatmap(cov),
            coverage_table(cov))


__all__ = ["PATH", "TEXT", "href", "measures_teaser", "measure_card", "gap_table", "coverage_table",
           "problems_view", "projected_age_groups", "BASE_YEAR", "HORIZONS"]
