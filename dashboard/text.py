"""German text of the dashboard: the one number/date formatter and the message catalogue.

This module is the floor of the project: every layer (data, projection, figures, app, store)
may import it, and it imports nothing of the project (checked by import-linter, see
``pyproject.toml``). Code, identifiers and column names stay English; everything a user reads
in German is formatted or worded here.

Numbers
-------
German style: thousands ``.``, decimals ``,``, a typographic minus ``−`` (U+2212) and an
en dash ``–`` for a missing value (never an invented number):

>>> fmt_int(1234)
'1.234'
>>> fmt_dec(1234.5, 1)
'1.234,5'
>>> fmt_pct(0.123)
'12,3 %'
>>> fmt_signed_int(-56)
'−56'
>>> fmt_num(-3000.0), fmt_num(0.8), fmt_num(2.25, max_digits=1)
('−3.000', '0,8', '2,2')
>>> fmt_date("2024-12-31")
'31.12.2024'

Shares are fractions 0..1 everywhere in the data; only :func:`fmt_pct` multiplies by 100.

Plotly formats numbers in the browser (axis ticks, hover templates such as ``%{y:,.0f}``)
with the d3 convention "``,`` = thousands, ``.`` = decimal"; the figure layout's
``separators`` swaps them for display. Every figure therefore sets
``layout.separators = PLOTLY_SEPARATORS`` (``",."``: first the decimal, then the thousands
character), done once in :func:`dashboard.figures.labels.base_layout`; hover templates keep
writing the d3 form ``%{y:,.1f}`` and show ``1.234,5``.

Catalogue
---------
Labels of the codes the model returns (sexes, components, planning age groups, indicators,
drivers), the general UI texts ``T``, the page texts (``METHODIK``, ``WK``), the source list and
the navigation labels. Texts with placeholders are ``str.format`` templates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime

# --------------------------------------------------------------------------- numbers

DASH = "–"  # shown for missing values (never an invented number)
MINUS = "−"  # U+2212, typographic minus for negative numbers
#: Plotly ``layout.separators``: decimal comma, thousands point (``1.234,5``).
PLOTLY_SEPARATORS = ",."


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(x)  # float, numpy floats, pandas NA-like floats
    except TypeError:
        return False


def _german(s: str) -> str:
    """Swap English separators (1,234.5) to German ones (1.234,5) and use the typographic minus."""
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".").replace("-", MINUS)


def fmt_int(x: float | int | None) -> str:
    """Whole number with German thousands separator: ``fmt_int(1234) -> '1.234'``.

    Rounds half to even (Python's ``round``); a missing value gives ``–``.
    """
    if _missing(x):
        return DASH
    return _german(f"{round(float(x)):,.0f}")


def fmt_dec(x: float | None, digits: int = 1) -> str:
    """Decimal number with a fixed number of decimals: ``fmt_dec(1234.5, 1) -> '1.234,5'``."""
    if _missing(x):
        return DASH
    return _german(f"{float(x):,.{digits}f}")


def fmt_num(x: float | None, max_digits: int = 6) -> str:
    """Shortest German decimal with at most ``max_digits`` decimals, trailing zeros dropped.

    For limits and user input echoed back: ``fmt_num(0.8) -> '0,8'``, ``fmt_num(8000.0) ->
    '8.000'``, ``fmt_num(-2.0) -> '−2'``, ``fmt_num(4.7684, 2) -> '4,77'``. Never scientific
    notation.
    """
    if _missing(x):
        return DASH
    s = f"{float(x):,.{max_digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return _german(s)


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


def fmt_signed_dec(x: float | None, digits: int = 1) -> str:
    """Signed decimal number: ``fmt_signed_dec(0.84) -> '+0,8'``, ``−0,8``; ``±0,0`` when it rounds to 0."""
    if _missing(x):
        return DASH
    s = fmt_dec(x, digits)
    if s.lstrip(MINUS).strip("0,.") == "":
        return "±" + s.lstrip(MINUS)
    return s if s.startswith(MINUS) else "+" + s


def fmt_signed_pct(share: float | None, digits: int = 1) -> str:
    """Signed percent change from a fraction: ``fmt_signed_pct(0.021) -> '+2,1 %'``."""
    if _missing(share):
        return DASH
    s = fmt_pct(share, digits)
    return s if s.startswith(MINUS) else "+" + s


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
    return fmt_dec(x, 1)


def count_noun(n: int, one: str, many: str) -> str:
    """German count phrase with singular/plural agreement: ``count_noun(1, "Maßnahme", "Maßnahmen")``
    gives "1 Maßnahme", ``n`` != 1 gives "n Maßnahmen" (thousands separated by ".")."""
    return fmt_int(n) + " " + (one if n == 1 else many)


# --------------------------------------------------------------------------- labels of codes

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

#: Assumptions table (:data:`dashboard.projection.assumptions.ASSUMPTION_COLUMNS`): labels of
#: the codes. Parameter labels are templates: ``{sex}`` (Frauen/Männer), ``{year}``, ``{name}``
#: (municipality) are filled from the row's ``qualifier`` by the display layer.
ASSUMPTION_COMPONENTS = {
    "scenario": "Szenario",
    "base_population": "Basisbevölkerung",
    "mortality": "Sterblichkeit",
    "fertility": "Geburten",
    "migration": "Wanderung",
}
ASSUMPTION_PARAMETERS = {
    ("scenario", "scenario"): "Szenario",
    ("scenario", "tfr"): "Geburtenrate (TFR) im Szenario",
    ("scenario", "net_migration"): "Nettowanderung im Szenario (Kreis)",
    ("scenario", "e0_gain"): "Zusätzliche Lebenserwartung bis zum Zieljahr",
    ("base_population", "population"): "Bevölkerung 31.12.{year}",
    ("mortality", "mortality_level"): "Sterblichkeitsniveau {sex} (SMR gegenüber Deutschland)",
    ("mortality", "e0"): "Lebenserwartung bei Geburt {sex}, Kreis",
    ("fertility", "tfr"): "Zusammengefasste Geburtenziffer (TFR) Basis",
    ("fertility", "tfr_year"): "TFR {year} (Kreis, geschätzt)",
    ("fertility", "mean_age_at_birth"): "Durchschnittsalter der Mütter bei Geburt (Annahme)",
    ("fertility", "sex_ratio_at_birth"): "Sexualproportion bei Geburt",
    ("migration", "net_migration"): "Nettowanderung über die Kreisgrenze, Basis",
    ("migration", "out_migration_rate"): "Fortzugsrate (alle Alter)",
    ("migration", "in_migration_modal_age"): "Zuzüge: Altersprofil (häufigstes Alter)",
    ("migration", "residual_migration_total"): "Kreissumme der Residualwanderung der Gemeinden",
    ("migration", "municipal_age_profile"): "Altersprofil der Wanderung in den Gemeinden",
    ("migration", "municipal_excess"): "Wanderungsüberschuss {name} gegenüber Bevölkerungsanteil",
}
#: Units of model quantities (codes used in model tables).
UNITS = {
    "": "",
    "children_per_woman": "Kinder je Frau",
    "persons_per_year": "Personen je Jahr",
    "persons": "Personen",
    "years": "Jahre",
    "factor": "Faktor",
    "boys_per_girl": "Jungen je Mädchen",
    "per_1000_per_year": "je 1.000 Einwohner und Jahr",
    "municipalities": "Gemeinden",
}
#: Kinds of projection warnings (``ProjectionResult.warnings.kind``), German explanations.
WARNING_KINDS = {
    "emigration_exceeds_cohort": "Mehr Fortzüge als Personen im Jahrgang: Zelle auf 0 gesetzt, "
    "der Rest der Fortzüge wurde nicht abgezogen (Personen).",
    "negative_in_migration": "Das Wanderungsziel der Gemeinde liegt unter ihren Fortzügen: rechnerisch "
    "negative Zuzüge (Personen, alle Alter und beide Geschlechter).",
}


def assumption_label(
    component: str, parameter: str, qualifier: str = "", names: Mapping[str, str] = {}
) -> str:
    """German label of one row of the model's assumptions table (codes -> text).

    ``names`` maps an AGS qualifier to the municipality's name.
    """
    template = ASSUMPTION_PARAMETERS.get((component, parameter), parameter)
    q = str(qualifier)
    return template.format(sex=SEX_LABELS.get(q, q), year=q, name=(names or {}).get(q, q))


def assumptions_de(table, names: Mapping[str, str] | None = None):
    """The assumptions table (a DataFrame) with German labels next to its codes.

    Adds ``component_de``, ``parameter_de``, ``unit_de`` to a copy of ``table``
    (:data:`dashboard.projection.assumptions.ASSUMPTION_COLUMNS`); the codes are kept.
    """
    out = table.copy()
    out["component_de"] = [ASSUMPTION_COMPONENTS.get(c, c) for c in out["component"]]
    out["parameter_de"] = [
        assumption_label(c, p, q, names)
        for c, p, q in zip(out["component"], out["parameter"], out["qualifier"])
    ]
    out["unit_de"] = [UNITS.get(u, u) for u in out["unit"]]
    return out


# --------------------------------------------------------------------------- UI texts

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
        "Einwohnerzahlen der Gemeinden am 31.12.2024 amtlich (IT.NRW 12411-15i); ihre Aufteilung "
        "nach Alter und Geschlecht geschätzt, da es dafür keine amtliche Gemeindetabelle gibt "
        "(siehe „Daten & Methodik“)."
    ),
    "base_note": (
        "Ab 31.12.{year} vorausberechnet. Einwohnerzahlen der Gemeinden am 31.12.{year} amtlich "
        "(IT.NRW 12411-15i), ihre Altersstruktur geschätzt."
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


# --------------------------------------------------------------------------- data update (issue 16)

#: Messages of ``python -m dashboard data update`` and the "Daten aktualisieren" view
#: (``str.format`` templates). Every failure ends with ``UPDATE["nothing_changed"]``.
UPDATE: dict[str, str] = {
    "nothing_changed": "Es wurde nichts geändert.",
    "pystatis_missing": (
        "Für den Abruf wird das Paket pystatis gebraucht. Installieren Sie es mit\n"
        '  python -m pip install --no-deps "pystatis==0.5.5"\n'
        "(ohne --no-deps würde pip die Bibliothek pandas auf Version 2 zurückstufen)."
    ),
    "credentials_missing": (
        "Keine Zugangsdaten für {services}. Setzen Sie die Umgebungsvariablen {variables} "
        "(Nutzername und Passwort – oder Ihr API-Token als Nutzername und ein leeres Passwort) oder "
        "legen Sie die Zugangsdaten im Schlüsselbund des Betriebssystems ab (Dienst „{keyring}“). "
        "Zugangsdaten werden nie aus Dateien im Projektordner gelesen. Registrierung: {urls}"
    ),
    "credentials_wrong": (
        "{service} hat die Anmeldung abgelehnt ({reason}) beim Abruf der Tabelle {table}. Prüfen Sie "
        "Nutzername bzw. Token und Passwort in {variables}."
    ),
    "offline": (
        "Keine Verbindung zu {service} ({host}) – auch nach {attempts} Versuchen. Sind Sie mit dem "
        "Internet verbunden? Ohne Netz können Sie Aufzeichnungen abspielen: "
        "python -m dashboard data update --offline ORDNER"
    ),
    "rate_limited": (
        "{service} meldet zu viele Anfragen (HTTP 429) beim Abruf der Tabelle {table} – auch nach "
        "{attempts} Versuchen mit wachsender Wartezeit. Bitte versuchen Sie es später noch einmal."
    ),
    "server_error": (
        "{service} antwortet mit einem Serverfehler (HTTP {status}) beim Abruf der Tabelle {table} – "
        "auch nach {attempts} Versuchen. Der Dienst ist vermutlich gestört; bitte versuchen Sie es "
        "später noch einmal."
    ),
    "timeout": (
        "{service} hat beim Abruf der Tabelle {table} nicht rechtzeitig geantwortet – auch nach "
        "{attempts} Versuchen. Bitte versuchen Sie es später noch einmal."
    ),
    "http_error": "{service} lehnt die Anfrage nach Tabelle {table} ab (HTTP {status}).",
    "not_found": (
        "{service} kennt die Tabelle {table} nicht (mehr): {detail}. Vermutlich wurde sie umbenannt; "
        "bitte melden Sie das den Betreuern des Dashboards (Abrufliste: dashboard/data/update/sources.json)."
    ),
    "service_error": "{service} meldet beim Abruf der Tabelle {table}: {detail}",
    "malformed": (
        "Die Antwort von {service} auf die Anfrage nach Tabelle {table} ist keine lesbare "
        "GENESIS-Tabelle ({detail})."
    ),
    "layout_changed": (
        "{service} liefert die Tabelle {table} in einem geänderten Aufbau; das Dashboard kann sie "
        "nicht sicher lesen. Abweichungen:\n{details}\nBitte melden Sie das den Betreuern des "
        "Dashboards (Tabellenaufbau: dashboard/data/genesis_layouts.json)."
    ),
    "retry": "{service}: {reason} – neuer Versuch in {seconds} s (Versuch {attempt} von {attempts})",
    "reason_429": "zu viele Anfragen (HTTP 429)",
    "reason_5xx": "Serverfehler (HTTP {status})",
    "reason_offline": "keine Verbindung",
    "reason_timeout": "Zeitüberschreitung",
    "progress_fetch": "{table} abrufen",
    "progress_stage": "Entwurf anlegen",
    "recordings_missing": "Im Ordner {folder} liegen keine Aufzeichnungen ({manifest} fehlt).",
    "recordings_invalid": "Die Aufzeichnungen in {folder} sind unvollständig: {detail}",
    "summary_head": "{n} Tabellen abgerufen und geprüft ({source}):",
    "summary_table": ("  {table} {label}: {rows} Werte, {dates}; Stand {stand}; Lizenz {licence}{flags}"),
    "summary_synthetic": " – SYNTHETISCHE Aufzeichnung (Testdaten)",
    "summary_unusable": " – nicht verwendbar (fehlende Werte)",
    "summary_draft": "Entwurf {draft} angelegt. Er wird erst sichtbar, wenn eine Person mit der Rolle „pflege“ ihn veröffentlicht.",
    "source_online": "online",
    "source_offline": "Aufzeichnungen aus {folder}",
}
