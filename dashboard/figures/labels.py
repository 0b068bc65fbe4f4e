"""German UI strings, number/date formatters and the colour palette — the one place for all.

Every German word the user reads and every number shown goes through this module:

>>> fmt_int(1234)
'1.234'
>>> fmt_dec(1234.5, 1)
'1.234,5'
>>> fmt_pct(0.123)
'12,3 %'
>>> fmt_date(date(2024, 12, 31))
'31.12.2024'

Shares are fractions 0..1 everywhere in the data; only the formatter multiplies by 100.
The palette is Okabe–Ito (colour-blind safe); the sexes are orange (female) and bluish
green (male), never pink/blue.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import plotly.graph_objects as go

from dashboard.constants import BASE_YEAR, KREIS_AGS, KREIS_NAME, MUNICIPALITIES, TOWNS

# --------------------------------------------------------------------------- numbers

DASH = "–"  # shown for missing values (never an invented number)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _german(s: str) -> str:
    """Swap English separators (1,234.5) to German ones (1.234,5)."""
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_int(x: float | int | None) -> str:
    """Whole number with German thousands separator: ``fmt_int(1234) -> '1.234'``."""
    if _missing(x):
        return DASH
    return _german(f"{round(float(x)):,.0f}").replace("-", "−")


def fmt_dec(x: float | None, digits: int = 1) -> str:
    """Decimal number, German style: ``fmt_dec(1234.5, 1) -> '1.234,5'``."""
    if _missing(x):
        return DASH
    return _german(f"{float(x):,.{digits}f}").replace("-", "−")


def fmt_pct(share: float | None, digits: int = 1) -> str:
    """A fraction 0..1 as German percent: ``fmt_pct(0.123) -> '12,3 %'``."""
    if _missing(share):
        return DASH
    return f"{fmt_dec(100 * float(share), digits)} %"


def fmt_signed_int(x: float | None) -> str:
    """Signed whole number: ``+1.234`` / ``−56`` / ``±0``."""
    if _missing(x):
        return DASH
    r = round(float(x))
    return "±0" if r == 0 else ("+" if r > 0 else "") + fmt_int(r)


def fmt_signed_pct(share: float | None, digits: int = 1) -> str:
    """Signed percent change from a fraction: ``fmt_signed_pct(0.021) -> '+2,1 %'``."""
    if _missing(share):
        return DASH
    s = fmt_pct(share, digits)
    return s if s.startswith("−") else "+" + s


def fmt_date(d: date | datetime | str) -> str:
    """German date ``31.12.2024`` from a date, datetime or ISO string."""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def fmt_value(x: float | None, kind: str) -> str:
    """Format by indicator kind: ``int``, ``pct`` (fraction), ``dec1`` (one decimal), ``ratio``."""
    if kind == "int":
        return fmt_int(x)
    if kind == "pct":
        return fmt_pct(x)
    if kind == "ratio":
        return fmt_dec(x, 1)
    return fmt_dec(x, 1)


# --------------------------------------------------------------------------- names


def region_name(ags: str) -> str:
    """German display name of the Kreis or a municipality (towns carry "Stadt")."""
    if ags == KREIS_AGS:
        return KREIS_NAME
    name = MUNICIPALITIES[ags]
    return f"{name} (Stadt)" if ags in TOWNS else name


def region_options(include_kreis: bool = True) -> list[dict[str, str]]:
    """Dropdown options: Kreis first, then municipalities alphabetically (German collation)."""
    opts = [
        {"label": region_name(a), "value": a}
        for a in sorted(MUNICIPALITIES, key=lambda a: MUNICIPALITIES[a].replace("Ü", "U"))
    ]
    return ([{"label": KREIS_NAME, "value": KREIS_AGS}] if include_kreis else []) + opts


SEX_LABELS = {"female": "Frauen", "male": "Männer"}

#: Indicator key -> (German label, kind for :func:`fmt_value`, short explanation).
INDICATORS: dict[str, tuple[str, str, str]] = {
    "population": ("Einwohnerinnen und Einwohner", "int", "Bevölkerung am 31.12."),
    "n_65plus": ("65 Jahre und älter (Anzahl)", "int", "Personen im Alter von 65 Jahren und mehr"),
    "share_65plus": ("Anteil 65 Jahre und älter", "pct", "Anteil der 65-Jährigen und Älteren"),
    "n_80plus": ("80 Jahre und älter (Anzahl)", "int", "Personen im Alter von 80 Jahren und mehr"),
    "share_80plus": ("Anteil 80 Jahre und älter", "pct", "Anteil der 80-Jährigen und Älteren"),
    "median_age": ("Medianalter (Jahre)", "dec1", "Die Hälfte der Bevölkerung ist jünger, die Hälfte älter"),
    "old_age_dependency": (
        "Altenquotient",
        "ratio",
        "65-Jährige und Ältere je 100 Personen im Alter von 20 bis 64 Jahren",
    ),
    "youth_dependency": (
        "Jugendquotient",
        "ratio",
        "unter 20-Jährige je 100 Personen im Alter von 20 bis 64 Jahren",
    ),
}

#: Derived map indicator: relative change of the population to a target year.
CHANGE_KEY = "change"

PLANNING_GROUP_LABELS: dict[str, str] = {
    "0-2": "0–2 (Krippe)",
    "3-5": "3–5 (Kita)",
    "6-9": "6–9 (Grundschule)",
    "10-15": "10–15 (Sek. I)",
    "16-18": "16–18 (Sek. II/Ausbildung)",
    "19-24": "19–24",
    "25-44": "25–44",
    "45-64": "45–64",
    "65-79": "65–79",
    "80+": "80 und älter",
}

COMPONENT_LABELS = {
    "births": "Geburten",
    "deaths": "Sterbefälle",
    "net_migration": "Wanderungssaldo",
    "in_migration": "Zuzüge",
    "out_migration": "Fortzüge",
}

YEAR_NOW = BASE_YEAR
YEARS_KEY = (BASE_YEAR, 2030, 2045)

T = {  # general UI texts (formal "Sie")
    "fan_note": (
        "Dunkles Band: 80-%-Intervall, helles Band: 95-%-Intervall, Linie: Median aus {draws} "
        "Simulationen (zufällige Verläufe von Geburtenrate, Lebenserwartung und Wanderung um die "
        "Annahmen des Szenarios; für die Gemeinden zusätzlich der Fehler früherer Rückrechnungen). "
        "Die Bänder zeigen, wie unsicher die Vorausberechnung ist, keine Grenzen des Möglichen."
    ),
    "fan_note_own": (
        "Band des eigenen Szenarios: Streuung der Basis-Simulation um den Pfad Ihres "
        "Szenarios (die Quantile der Basis, je Gemeinde und Jahr mit dem Verhältnis Ihres "
        "Szenarios zur Basis skaliert); die Simulationen werden für Ihre Annahmen nicht neu "
        "gerechnet. Für die Basis ist das Band exakt."
    ),
    "fan_quantity": "Größe",
    "fan_loading": "Die Unsicherheitsbänder werden berechnet …",
    "app_title": "Kreis Düren 2030 – Demografie-Dashboard",
    "brand": "Kreis Düren 2030",
    "skip": "Zum Inhalt springen",
    "nav_label": "Hauptnavigation",
    "region": "Gemeinde oder Kreis",
    "scenario": "Szenario",
    "year": "Jahr",
    "indicator": "Kennzahl",
    "table_summary": "Daten als Tabelle",
    "estimated_note": (
        "Geschätzt: Für die einzelnen Gemeinden gibt es keine amtliche Tabelle nach "
        "Alter und Geschlecht. Die Altersstruktur der Gemeinden ist deshalb vom Projekt "
        "geschätzt (siehe „Daten & Methodik“) und überall als geschätzt gekennzeichnet."
    ),
    "projected_note": "Ab {year} vorausberechnet (Modellrechnung, keine amtliche Statistik).",
    "data_stand": "Datenstand: Bevölkerung am 31.12.{year} (Basis Zensus 2022)",
    "vintage": "Vorausberechnung: Basisjahr {year}, Modellversion {version}",
    "print": "Drucken / als PDF speichern",
    "pdf": "PDF herunterladen",
    "no_model": (
        "Die Vorausberechnung ist in dieser Version noch nicht verfügbar. "
        "Angezeigt werden die amtlichen Daten."
    ),
    "source_line": (
        "Quellen: Statistische Ämter des Bundes und der Länder, IT.NRW, BKG (VG250); "
        "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0). "
        "Schätzungen und Vorausberechnung: Projekt Kreis Düren 2030."
    ),
}

#: Navigation entries (path, German label). Werkzeugkoffer is built by the measures work.
NAV = [
    ("/", "Übersicht"),
    ("/gemeinde", "Gemeinde"),
    ("/szenarien", "Szenarien"),
    ("/kurzbericht", "Kurzbericht"),
    ("/werkzeugkoffer", "Werkzeugkoffer"),
    ("/methodik", "Daten & Methodik"),
]

# --------------------------------------------------------------------------- colours

#: Okabe–Ito palette (colour-blind safe).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6B6B6B",
}
#: Sex colours: orange and bluish green (no pink/blue stereotypes, distinguishable in CVD).
SEX_COLORS = {"female": OKABE_ITO["orange"], "male": OKABE_ITO["green"]}
#: Colour sequence for lines (dark enough for 3:1 contrast on white, yellow left out).
SEQUENCE = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "black", "purple", "sky", "grey")]
#: Sequential colour scale for maps (cividis is perceptually uniform and CVD-safe).
MAP_SCALE = "Cividis"
#: Diverging scale for changes (orange = decline, blue = growth, CVD-safe).
DIVERGING_SCALE = [[0.0, "#C46A1B"], [0.5, "#F7F7F7"], [1.0, "#3A86C2"]]

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


GRID = "#E3E7EC"
AXIS = {"gridcolor": GRID, "linecolor": "#8A939C", "zerolinecolor": GRID, "tickcolor": "#8A939C"}


def base_layout(*, title: str | None = None, height: int | None = None) -> dict:
    """The house layout as a dict: German separators, font, white background, light grid."""
    lay: dict = {
        "separators": ",.",
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": SEQUENCE,
        "font": {"family": FONT, "size": 14, "color": "#1a1a1a"},
        "margin": {"l": 60, "r": 20, "t": 60 if title else 20, "b": 50},
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "xaxis": dict(AXIS, ticks="outside"),
        "yaxis": dict(AXIS),
    }
    if title:
        lay["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}}
    if height:
        lay["height"] = height
    return lay


def style(fig: go.Figure, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply :func:`base_layout` to a figure (one layout update).

    The style is set explicitly (no named template), so it also holds for figures built
    without validation (:mod:`dashboard.figures._fast`).
    """
    fig.update_layout(base_layout(title=title, height=height))
    return fig


# --------------------------------------------------------------------------- page texts

#: Sources shown on "Daten & Methodik": (what, publisher, table, stand, census basis, licence).
SOURCES = [
    (
        "Bevölkerung des Kreises nach Geschlecht und 17 Altersgruppen",
        "Statistische Ämter des Bundes und der Länder",
        "12411-0018, 12411-02-03-4",
        "31.12.2015–31.12.2024",
        "Zensus 2011 bis 2021, Zensus 2022 ab 2022",
        "dl-de/by-2-0",
    ),
    (
        "Einwohnerzahlen der Gemeinden",
        "Statistisches Bundesamt (Gemeindeverzeichnis), BBSR, IT.NRW",
        "GV-ISys Auszug, BBSR-Referenzdateien",
        "1983–2023",
        "VZ 1987, Zensus 2011",
        "dl-de/by-2-0",
    ),
    (
        "Zensus 2022 je Gemeinde",
        "Statistische Ämter des Bundes und der Länder",
        "1000A-0000",
        "15.05.2022",
        "Zensus 2022",
        "dl-de/by-2-0",
    ),
    (
        "Geburten, Sterbefälle, Zu- und Fortzüge des Kreises",
        "Statistische Ämter des Bundes und der Länder",
        "12612-01-01-4, 12613-01-01-4, 12711-01-03-4",
        "2020–2024",
        "–",
        "dl-de/by-2-0",
    ),
    (
        "Altersgruppen je Gemeinde (1-km-Gitter)",
        "Statistisches Bundesamt, Zensus 2011 Gitterzellen",
        "Zensus 2011, Merkmal Alter (5 Gruppen)",
        "09.05.2011",
        "Zensus 2011",
        "Vervielfältigung mit Quellenangabe gestattet",
    ),
    ("Sterbetafel Deutschland", "Statistisches Bundesamt", "12621-0001", "2023/2025", "–", "dl-de/by-2-0"),
    (
        "Geburtenziffern und Lebenserwartung NRW",
        "IT.NRW (Pressemitteilungen)",
        "–",
        "2004–2024",
        "–",
        "dl-de/by-2-0",
    ),
    ("Gemeindegrenzen (VG250, vereinfacht)", "© GeoBasis-DE / BKG", "VG250", "–", "–", "dl-de/by-2-0"),
]

#: Drivers of the probabilistic projection (dashboard.projection.drivers.DRIVERS).
DRIVER_LABELS = {
    "tfr": "Geburtenrate NRW (logarithmiert)",
    "e0_female": "Lebenserwartung Frauen NRW",
    "e0_male": "Lebenserwartung Männer NRW",
    "migration": "Wachstumsrate Kreis (für Wanderung)",
}

METHODIK = {
    "uncertainty": (
        "Die Bänder in den Grafiken entstehen aus vielen Simulationen: Geburtenrate, Lebenserwartung und "
        "Wanderung schwanken zufällig um die Annahmen des Szenarios, so stark und so beharrlich, wie es ihre "
        "amtlichen Reihen zeigen (Zeitreihenmodelle, nach dem Informationskriterium BIC ausgewählt: "
        "Geburtenrate NRW 2013–2024, Lebenserwartung NRW 2004/06–2021/23, Wachstum des Kreises 1990–2020 als "
        "Maß für die Schwankung der Wanderung). Für die Gemeinden kommt der zusätzliche Fehler hinzu, den das "
        "Modell in früheren Rückrechnungen je nach Gemeindegröße und Zeitabstand gemacht hat. Geprüft wird die "
        "Trefferquote: Wie oft lag die später veröffentlichte Zahl im 80- bzw. 95-%-Intervall, das das Modell "
        "damals angegeben hätte? Liegt die Quote über dem Sollwert, sind die Intervalle eher zu breit; liegt sie "
        "darunter, zu schmal. Die Zahl der Vergleiche ist klein; die Quote ist daher selbst unsicher."
    ),
    "intro": (
        "Diese Seite beschreibt, woher die Zahlen stammen, wie die Altersstruktur der Gemeinden "
        "geschätzt und wie die Bevölkerung vorausberechnet wird. Alle Tabellen können Sie hier "
        "herunterladen."
    ),
    "breaks": (
        "Die amtliche Bevölkerungszahl wird zwischen zwei Volkszählungen fortgeschrieben. Mit jedem "
        "Zensus wird sie neu festgesetzt: Beim Zensus 2011 (Stichtag 09.05.2011) verlor der Kreis "
        "Düren rechnerisch rund 9.300 Personen (−3,5 %), beim Zensus 2022 (Stichtag 15.05.2022) "
        "gewann er rund 5.800 Personen hinzu (31.12.2022: 270.833 auf Basis Zensus 2011, 276.675 auf "
        "Basis Zensus 2022). Zahlen vor und nach einem Bruch sind daher nicht direkt vergleichbar; "
        "in den Verlaufsgrafiken sind die Brüche als senkrechte Linien markiert und die Reihen "
        "je Basis getrennt gezeichnet."
    ),
    "estimation": (
        "Für die einzelnen Gemeinden veröffentlichen die Statistikämter keine frei verfügbare "
        "Tabelle nach einzelnen Altersjahren und Geschlecht. Das Projekt schätzt sie deshalb: "
        "Die amtliche Altersstruktur des Kreises (17 Altersgruppen, 31.12.2024) wird in einzelne "
        "Altersjahre zerlegt und mit den Altersanteilen der Gemeinden aus dem Zensus-2011-Gitter "
        "sowie den amtlichen Gemeindesummen so abgeglichen, dass Kreis- und Gemeindesummen "
        "stimmen. Alle so entstandenen Werte sind als „geschätzt“ gekennzeichnet. Sobald Sie eine "
        "amtliche Gemeindetabelle (z. B. Regionalstatistik 12411-02-03-5) hochladen, ersetzt sie "
        "die Schätzung."
    ),
    "model": (
        "Die Vorausberechnung ist ein Kohorten-Komponenten-Modell: Jedes Jahr altert die Bevölkerung "
        "um ein Jahr, Sterbefälle werden mit Sterbewahrscheinlichkeiten abgezogen, Geburten aus "
        "altersspezifischen Geburtenziffern berechnet und Wanderungen nach Alter und Geschlecht "
        "hinzugefügt. Für jede Zelle gilt die Bilanz Bestand + Geburten − Sterbefälle + Wanderungssaldo."
    ),
    "csv": (
        "CSV-Dateien sind für deutsche Tabellenprogramme geschrieben (Trennzeichen Semikolon, "
        "Dezimalkomma, UTF-8). Die Spalte „estimated“ kennzeichnet geschätzte Werte, die Spalte "
        "„projected“ vorausberechnete."
    ),
    "upload": (
        "Sie können einen Export aus GENESIS-Online oder der Regionalstatistik (CSV, höchstens 5 MB) "
        "hochladen. Die Datei wird vollständig geprüft; gefundene Probleme werden mit Zeile, Spalte, "
        "erwartetem und gefundenem Wert aufgelistet."
    ),
}


# --------------------------------------------------------------------------- Werkzeugkoffer


def count_noun(n: int, one: str, many: str) -> str:
    """German count phrase with singular/plural agreement: ``count_noun(1, "Maßnahme", "Maßnahmen")``
    gives "1 Maßnahme", ``n`` != 1 gives "n Maßnahmen" (thousands separated by ".")."""
    return f"{n:,}".replace(",", ".") + " " + (one if n == 1 else many)


def wk_counts(
    n: int | None = None, *, sources: int | None = None, problems: int | None = None
) -> dict[str, str]:
    """Format keywords for the Werkzeugkoffer texts whose nouns follow a count (singular for 1)."""
    out: dict[str, str] = {}
    if n is not None:
        out["measures"] = count_noun(n, "Maßnahme", "Maßnahmen")
        out["active_measures"] = count_noun(n, "aktive Maßnahme", "aktive Maßnahmen")
        out["all_measures"] = "Die 1 Maßnahme" if n == 1 else f"Alle {count_noun(n, '', 'Maßnahmen')}"
    if sources is not None:
        out["sources"] = count_noun(sources, "Quelle", "Quellen")
    if problems is not None:
        out["problems"] = (
            "dieses Problem" if problems == 1 else f"diese {count_noun(problems, '', 'Probleme')}"
        )
    return out


#: Texts of the Werkzeugkoffer page (/werkzeugkoffer, measures work).
WK: dict[str, str] = {
    "title": "Werkzeugkoffer: Maßnahmen und Bevölkerungsentwicklung",
    "nav": "Werkzeugkoffer",
    "intro": (
        "Die Maßnahmen, Angebote und Projekte des Kreises Düren und seiner Kommunen in den "
        "fünf Handlungsfeldern – jeweils neben der vorausberechneten Entwicklung der "
        "Altersgruppen, an die sie sich richten. Jede Maßnahme ist mit ihren Quellen belegt."
    ),
    "ags": "Gemeinde",
    "field": "Handlungsfeld",
    "group": "Altersgruppe",
    "status": "Status",
    "q": "Zielgruppe oder Stichwort",
    "q_placeholder": "z. B. Pflege, Jugendliche, Dorf",
    "year": "Vorausberechnung bis",
    "scenario": "Szenario",
    "all_munis": "Alle Gemeinden (Kreis Düren)",
    "all_fields": "Alle Handlungsfelder",
    "all_groups": "Alle Altersgruppen",
    "all_status": "Alle",
    "active": "nur aktive (laufend)",
    "cards": "Maßnahmen",
    "n_found": "{measures} gefunden",
    "n_found_ags": "{measures} für {name} ({local} namentlich genannt, {wide} kreisweit)",
    "none_found": "Keine Maßnahme passt zu dieser Auswahl.",
    "target": "Zielgruppe",
    "band": "Altersband",
    "served": "Gemeinden",
    "lead": "Träger",
    "start": "Beginn",
    "sources": "Quellen",
    "answers": "Antwortet auf (Vorausberechnung, {scenario})",
    "district_wide": "kreisweit (alle 15 Gemeinden)",
    "local": "namentlich genannt",
    "jump_label": "Abschnitte dieser Seite",
    "jump_gaps": "Lücken",
    "jump_overview": "Überblick aller Gemeinden",
    "overview_title": "Überblick aller Gemeinden: Veränderung, Lücken und Abdeckung",
    "gaps_title": "Lücken: stark wachsende Altersgruppen ohne aktive passende Maßnahme",
    "gaps_rule": (
        "Eine Altersgruppe gilt als stark wachsend, wenn sie von {base} bis {year} um "
        "mindestens {pct} und mindestens {persons} Personen zunimmt. Eine Lücke liegt vor, "
        "wenn in der Gemeinde keine aktive (laufende) Maßnahme angeboten wird, deren "
        "Altersband die Gruppe trifft; Angebote für alle Altersgruppen schließen keine Lücke. "
        "„Nur kreisweit“: die Gruppe wächst stark und wird nur von kreisweiten Maßnahmen "
        "erreicht, keine nennt die Gemeinde namentlich. Werte {base}: Schätzung je Gemeinde; "
        "{year}: Vorausberechnung ({scenario})."
    ),
    "gap_graph_label": (
        "Wärmebild: Veränderung jeder Altersgruppe in jeder Gemeinde in Prozent, "
        "Lücken beschriftet; die Daten stehen in der Tabelle darunter."
    ),
    "coverage_graph_label": (
        "Wärmebild: Zahl der aktiven Maßnahmen je Gemeinde und Handlungsfeld; "
        "die Daten stehen in der Tabelle darunter."
    ),
    "no_gaps": "Keine Lücke nach dieser Regel.",
    "no_wide_only": "Keine stark wachsende Altersgruppe, die nur durch kreisweite Maßnahmen erreicht wird.",
    "wide_only_caption": (
        "Stark wachsende Altersgruppen {base} → {year}, die nur kreisweite Maßnahmen "
        "erreichen (keine Maßnahme nennt die Gemeinde namentlich)"
    ),
    "gap_table_caption": "Lücken {base} → {year}",
    "all_cells_caption": "Alle Gemeinden und Altersgruppen {base} → {year} (Daten der Grafik)",
    "coverage_title": "Abdeckung: aktive Maßnahmen je Handlungsfeld und Gemeinde",
    "coverage_caption": "Aktive Maßnahmen je Gemeinde und Handlungsfeld (davon namentlich genannt)",
    "show_table": "Daten als Tabelle anzeigen",
    "upload_title": "Bearbeiteten Katalog hochladen",
    "upload_help": (
        "Laden Sie den Katalog als Excel-Arbeitsmappe herunter, bearbeiten Sie ihn und laden "
        "Sie ihn hier wieder hoch. Die Datei wird vollständig geprüft; nur eine fehlerfreie "
        "Arbeitsmappe wird übernommen. Der mitgelieferte Katalog bleibt unverändert."
    ),
    "upload_button": "Arbeitsmappe (.xlsx) auswählen oder hierher ziehen",
    "download": "Aktiven Katalog als Excel herunterladen",
    "reset": "Importierten Katalog verwerfen",
    "upload_ok": "Die Arbeitsmappe {name} wurde geprüft und übernommen: {measures}, {sources}.",
    "upload_fail": "Die Arbeitsmappe {name} wurde nicht übernommen. Bitte beheben Sie {problems}:",
    "reset_ok": "Der importierte Katalog wurde verworfen; der mitgelieferte Katalog ist wieder aktiv.",
    "origin_shipped": "Aktiver Katalog: mitgeliefert ({measures}).",
    "origin_imported": "Aktiver Katalog: von Ihnen importiert ({measures}).",
    "no_projection": (
        "Die Vorausberechnung ist derzeit nicht verfügbar; die Maßnahmen werden ohne Indikatoren gezeigt."
    ),
    "teaser_title": "Maßnahmen aus dem Werkzeugkoffer",
    "teaser_more": "{all_measures} für {name} im Werkzeugkoffer",
    "teaser_gaps": "Lücken bis {year}: {groups}",
    "teaser_wide_only": (
        "Stark wachsend bis {year}, aber nur von kreisweiten Maßnahmen erreicht "
        "(keine nennt die Gemeinde namentlich): {groups}"
    ),
    "brief_line": "Werkzeugkoffer: {active_measures} für {name}, davon {local} namentlich genannt.",
    "brief_examples": "Zum Beispiel:",
    "brief_gaps": "Lücken bis {year}: {gaps}; stark wachsend, nur kreisweit erreicht: {wide}.",
    "brief_none": "keine",
    "teaser_no_gaps": "Keine Lücke bis {year} nach der Regel des Werkzeugkoffers.",
    "problems_caption": "Gefundene Probleme",
    "problem_columns": "Datei|Blatt|Zeile|Spalte|erwartet|gefunden",
    "download_file": "werkzeugkoffer_massnahmen.xlsx",
    "stand": (
        "Maßnahmen: Recherche öffentlicher Quellen, Stand November 2026; jede Maßnahme mit Quelle. "
        "Zuordnung zu Handlungsfeldern und Altersbändern nach dokumentierten Regeln "
        "(data/measures/README.md)."
    ),
}
