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
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

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


def problems_count(n: int) -> str:
    """ "1 Problem", "3 Probleme", "1.204 Probleme" (German number, singular or plural)."""
    return f"{fmt_int(n)} {'Problem' if n == 1 else 'Probleme'}"


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


# --------------------------------------------------------------------------- number input

_NUM_INT = r"(?:\d{1,3}(?:\.\d{3})+|\d+)"  # 2300 or 2.300 (dot = thousands, groups of three)
_NUM_DE = re.compile(rf"^(?P<int>{_NUM_INT}),(?P<frac>\d+)$")  # 1,6 · 2.300,5
_NUM_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # 2.300 · 1.234.567
_NUM_POINT = re.compile(r"^\d+\.\d+$")  # 1.6 · 1.48 (a decimal point that is not a thousands group)
_NUM_PLAIN = re.compile(r"^\d+$")
_NUM_SPACED = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?$")  # 2 300 (thin space)


def parse_number(text: object) -> float:
    """A number typed by a person, German or plain: the inverse of :func:`fmt_num`.

    ``"1,6"`` and ``"1.6"`` are 1.6; ``"2.300"`` is 2300 (a dot followed by exactly three digits
    is a thousands separator, so ``"1.500"`` is 1500, not 1.5); ``"2.300,5"`` is 2300.5;
    ``"−2.100"``, ``"-2100"`` and ``"+1,5"`` carry their sign; spaces around the number are
    ignored, spaces inside only between groups of three digits (``"2 300"``). Anything else (``"1e5"``, ``"nan"``, ``"1,2,3"``,
    ``"1.23.4"``, an empty box) raises ``ValueError`` with a German message quoting the input.

    >>> parse_number("1,6"), parse_number("1.6"), parse_number("2.300"), parse_number("−2.100")
    (1.6, 1.6, 2300.0, -2100.0)
    """
    if isinstance(text, bool) or text is None:
        raise ValueError(NUMBER_INPUT["empty"])
    if isinstance(text, (int, float)):
        if not math.isfinite(float(text)):
            raise ValueError(NUMBER_INPUT["not_a_number"].format(value=text))
        return float(text)
    if not isinstance(text, str):
        raise ValueError(NUMBER_INPUT["not_a_number"].format(value=str(text)[:40]))
    s = shown = text.strip()
    if not s:
        raise ValueError(NUMBER_INPUT["empty"])
    shown = shown[:40]
    sign = 1.0
    if s[0] in "+-−–":
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:].lstrip()
    if _NUM_SPACED.match(s):  # spaces only as thousands separators: "1 6" stays an error
        s = re.sub(r"[ \u00a0\u202f\u2009]", ".", s)
    if m := _NUM_DE.match(s):
        return sign * float(m["int"].replace(".", "") + "." + m["frac"])
    if _NUM_THOUSANDS.match(s):
        return sign * float(s.replace(".", ""))
    if _NUM_POINT.match(s) or _NUM_PLAIN.match(s):
        return sign * float(s)
    raise ValueError(NUMBER_INPUT["not_a_number"].format(value=shown))


def fmt_input(x: float | None, digits: int) -> str:
    """A value as an input box shows it (German, at most ``digits`` decimals; ``""`` if missing).

    Round trip: ``parse_number(fmt_input(x, d)) == round(x, d)``.
    """
    return "" if _missing(x) else fmt_num(x, max_digits=digits)


def fmt_query_number(x: float) -> str:
    """A number for a link or file, exact and read back by :func:`parse_number` to the same float.

    Shortest decimal that round-trips (``1.6``, ``2300``, ``-2100``), never an exponent; a
    fraction of exactly three digits gets a trailing zero (``1.5550``) so that it cannot be
    read as a thousands group.
    """
    v = float(x)
    if not math.isfinite(v):
        raise ValueError(NUMBER_INPUT["not_a_number"].format(value=x))
    s = format(Decimal(repr(v)), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    whole, _, frac = s.lstrip("-").partition(".")
    if len(frac) == 3 and len(whole) <= 3:
        s += "0"
    return s


#: Messages of :func:`parse_number` and of the scenario inputs (``{value}`` = what was typed).
NUMBER_INPUT: dict[str, str] = {
    "empty": "Bitte geben Sie eine Zahl ein.",
    "not_a_number": "„{value}“ ist keine Zahl. Schreiben Sie z. B. 1,6 oder 2.300.",
    "out_of_range": "{label}: {value} liegt nicht im erlaubten Bereich von {lo} bis {hi} {unit}.",
    "thousands_hint": " „{typed}“ wurde als {value} gelesen (ein Punkt vor genau drei Ziffern trennt "
    "Tausender); meinen Sie {example}, schreiben Sie bitte ein Komma.",
    "not_used": "Nicht übernommen – es gilt weiter {current}.",
    "cli": "{flag} {value}: {why}",
    "cli_item": "{flag}: {why}",
    "cli_range": "; erlaubt {lo} bis {hi}; Zahlen deutsch oder mit Punkt (1,6 = 1.6; 2.300 = 2300)",
    "cli_syntax": "; Aufbau: {syntax}",
}


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


def group_key(group: str) -> str:
    """URL/Kennzahl key of a planning age group: ``"3-5"`` -> ``"alter_3-5"``, ``"80+"`` ->
    ``"alter_80plus"`` (no ``+``, which a URL would read as a space)."""
    return "alter_" + group.replace("+", "plus")


def _group_indicator(label: str) -> tuple[str, str, str]:
    ages, _, note = label.partition(" (")
    ages = ages.replace(" und älter", " Jahre und älter") if "älter" in ages else ages + " Jahre"
    return f"Anzahl {ages}" + (f" ({note}" if note else ""), "int", f"Personen ({ages}) am 31.12."


#: Planning age groups as "Kennzahl" (persons per year), same shape as :data:`INDICATORS`:
#: ``alter_3-5`` -> ("Anzahl 3–5 Jahre (Kita)", "int", "Personen (3–5 Jahre) am 31.12.").
GROUP_INDICATORS: dict[str, tuple[str, str, str]] = {
    group_key(g): _group_indicator(label) for g, label in PLANNING_GROUP_LABELS.items()
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
    "local": "Lokale Annahmen",
}
ASSUMPTION_PARAMETERS = {
    ("scenario", "scenario"): "Szenario",
    ("scenario", "tfr"): "Geburtenrate (TFR) im Szenario",
    ("scenario", "net_migration"): "Nettowanderung im Szenario (Kreis)",
    ("scenario", "e0_gain"): "Zusätzliche Lebenserwartung bis zum Zieljahr (über den Basispfad hinaus)",
    ("base_population", "population"): "Bevölkerung 31.12.{year}",
    ("mortality", "mortality_level"): "Sterblichkeitsniveau {sex} (SMR gegenüber Deutschland)",
    ("mortality", "e0"): "Lebenserwartung bei Geburt {sex}, Kreis",
    ("mortality", "e0_gain_per_year"): "Anstieg der Lebenserwartung {sex} (Basis)",
    ("mortality", "e0_gap"): "Abstand der Lebenserwartung Frauen − Männer, Kreis",
    ("fertility", "tfr"): "Zusammengefasste Geburtenziffer (TFR) Basis",
    ("fertility", "tfr_year"): "TFR {year} (Kreis, geschätzt)",
    ("fertility", "mean_age_at_birth"): "Durchschnittsalter der Mütter bei Geburt (Annahme)",
    ("fertility", "sex_ratio_at_birth"): "Sexualproportion bei Geburt",
    ("fertility", "fertility_level"): "Geburtenniveau {name} (gegenüber dem Kreis)",
    ("migration", "net_migration"): "Nettowanderung über die Kreisgrenze, Basis",
    ("migration", "net_migration_recent"): "Nettowanderung über die Kreisgrenze 2020–2024 (Median)",
    ("migration", "in_migration_propensity"): "Zuzugsneigung nach Alter {name} (gegenüber dem Kreis)",
    ("migration", "out_migration_rate"): "Fortzugsrate (alle Alter)",
    ("migration", "in_migration_modal_age"): "Zuzüge: Altersprofil (häufigstes Alter)",
    ("migration", "residual_migration_total"): "Kreissumme der Residualwanderung der Gemeinden",
    ("migration", "municipal_age_profile"): "Altersprofil der Wanderung in den Gemeinden",
    ("migration", "municipal_excess"): "Wanderungsüberschuss {name} gegenüber Bevölkerungsanteil",
    ("local", "new_housing"): "Neubau {name}",
    ("local", "own_migration"): "Eigener Wanderungssaldo {name}",
    ("local", "one_off_in"): "Zuzug {name}",
    ("local", "one_off_out"): "Fortzug {name}",
}
#: Units of model quantities (codes used in model tables).
UNITS = {
    "": "",
    "children_per_woman": "Kinder je Frau",
    "persons_per_year": "Personen je Jahr",
    "persons": "Personen",
    "years": "Jahre",
    "factor": "Faktor",
    "factor_20_29": "Faktor (20–29 Jahre)",
    "years_per_year": "Jahre je Jahr",
    "growth_rate_per_year": "Wachstumsrate je Jahr",
    "boys_per_girl": "Jungen je Mädchen",
    "per_1000_per_year": "je 1.000 Einwohner und Jahr",
    "municipalities": "Gemeinden",
    "additional_in_migrants": "zusätzliche Zuziehende (insgesamt)",
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
    "brief_coverage": (
        "Trefferquote früherer Intervalle: In der Rückrechnung lagen {share} der Einwohnerzahlen {where} "
        "im 80-%-Intervall (Sollwert 80 %, {n} Vergleiche aus wenigen Basisjahren)."
    ),
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
    "menu": "Menü",
    "to_top": "↑ Nach oben",
    "not_found_title": "Seite nicht gefunden",
    "not_found": (
        "Diese Seite gibt es nicht. Vielleicht hat sich die Adresse geändert oder der Link ist unvollständig."
    ),
    "not_found_home": "Zur Übersicht",
    "region": "Gemeinde oder Kreis",
    "scenario": "Szenario",
    "year": "Jahr",
    "indicator": "Kennzahl",
    "table_summary": "Daten als Tabelle",
    "dropdown_placeholder": "Bitte wählen …",
    "play": "▶ Abspielen",
    "pause": "❚❚ Anhalten",
    "play_title": "Altersaufbau Jahr für Jahr bis 2045 abspielen; erneut drücken hält an",
    "estimated_note": (
        "Einwohnerzahlen der Gemeinden am 31.12.2024 amtlich (IT.NRW 12411-15i); ihre Aufteilung "
        "nach Alter und Geschlecht geschätzt, da es dafür keine amtliche Gemeindetabelle gibt "
        "(siehe „Daten & Methodik“)."
    ),
    "structure_note": (
        "Einwohnerzahl am 31.12.{year}: amtlich (IT.NRW 12411-15i). Altersaufbau: geschätzt – die "
        "Altersklassen des Zensus 2022 (15.05.2022) jahrgangsweise fortgeschrieben und auf die "
        "amtlichen Einwohnerzahlen und Kreiswerte abgestimmt (siehe „Daten & Methodik“)."
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
    "source_line": (
        "Quellen: Statistische Ämter des Bundes und der Länder, IT.NRW, BKG (VG250); "
        "Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0). "
        "Schätzungen und Vorausberechnung: Projekt Kreis Düren 2030."
    ),
}

#: German texts of the scenario parameters (:data:`dashboard.projection.scenarios.PARAMETERS`,
#: by parameter key; units: :data:`UNITS` of the parameter's unit code): ``label`` (names the
#: value in messages and tables), ``control``
#: (label of the slider and its input box; ``{basis}`` = the Basis value), ``help`` (CLI flag).
SCENARIO_PARAMETERS: dict[str, dict[str, str]] = {
    "tfr": {
        "label": "Geburtenrate",
        "control": "Geburtenrate (Kinder je Frau; Basis {basis})",
        "help": "Geburtenrate (Kinder je Frau) ab dem ersten Vorausberechnungsjahr statt der Schätzung "
        "für den Kreis",
    },
    "e0_gain": {
        "label": "Zusätzliche Lebenserwartung",
        "control": "Zusätzlicher Anstieg der Lebenserwartung bis 2045 (Jahre; Basis {basis})",
        "help": "zusätzlicher Anstieg der Lebenserwartung bei Geburt bis zum Zieljahr, über den "
        "Basispfad hinaus, in Jahren (Basis: 0)",
    },
    "net_migration": {
        "label": "Wanderungssaldo des Kreises",
        "control": "Wanderungssaldo des Kreises (Personen je Jahr; Basis {basis})",
        "help": "Wanderungssaldo über die Kreisgrenze, Personen je Jahr, konstant, statt der Schätzung",
    },
    "new_housing": {
        "label": "Neubau",
        "metavar": "GEMEINDE:JAHRE:WOHNUNGEN",
        "help": "geplante Wohnungen einer Gemeinde (wiederholbar), z. B. 05358044:2026-2030:200",
    },
    "own_migration": {
        "label": "Eigener Wanderungssaldo einer Gemeinde",
        "metavar": "GEMEINDE:SALDO",
        "help": "eigener Wanderungssaldo einer Gemeinde statt ihres Anteils am Kreis (wiederholbar), "
        "z. B. 05358012:50",
    },
    "one_off": {
        "label": "Einmalige Veränderung",
        "metavar": "GEMEINDE:JAHR:PERSONEN",
        "help": "einmalige Veränderung, z. B. ein Pflegeheim (wiederholbar), z. B. 05358044:2027:80:80+",
    },
}

#: Messages about a scenario given in a link, a file or on the command line.
#: German names of the preset scenarios (:data:`dashboard.projection.scenarios.PRESETS`, by key).
SCENARIO_LABELS: dict[str, str] = {
    "basis": "Basis",
    "zuwanderung_niedrig": "Niedrige Zuwanderung",
    "zuwanderung_hoch": "Hohe Zuwanderung",
    "geburten_niedrig": "Niedrige Geburtenrate",
    "geburten_hoch": "Hohe Geburtenrate",
    "laengeres_leben": "Längeres Leben",
    "itnrw": "Amtlicher Pfad (IT.NRW)",
}

SCENARIO: dict[str, str] = {
    "own": "Eigenes Szenario",
    "with_local": "{label} mit lokalen Annahmen",
    "bad_factor": "Der Wanderungsfaktor muss zwischen −5 und 10 liegen (erhalten: {value}).",
    "bad_horizon": "Das Zieljahr muss eine ganze Zahl zwischen {lo} und {hi} sein (erhalten: {value}).",
    "bad_local": "Lokale Annahmen: LocalScenario erwartet, erhalten: {type}.",
    "horizon_after_base": "Das Zieljahr muss nach dem Basisjahr {base} liegen (erhalten: {value}).",
    "target_year": "Das Zieljahr muss zwischen {lo} und {hi} liegen (erhalten: {value}).",
    "target_unreachable": "Das Ziel von {target} Personen im Jahr {year} ist mit einem Wanderungssaldo "
    "zwischen {lo} und {hi} Personen je Jahr nicht erreichbar.",
    "repeated": "„{key}“ steht {n}-mal im Link; erlaubt ist ein Wert",
    "not_text": "„{key}“ hat keinen lesbaren Wert",
    "bad_value": "„{key}={value}“: {why}",
    "unknown_preset": "„{value}“ ist kein Szenario; erlaubt sind: {options}",
    "values_without_own": "{keys} gelten nur mit szenario=eigenes, nicht mit szenario={key}",
    "cli_unknown_preset": "Unbekanntes Szenario „{value}“; verfügbar: {options}.",
}


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
        "Einwohnerzahlen der Gemeinden (amtlich, Basis der Vorausberechnung)",
        "IT.NRW",
        "Landesdatenbank 12411-15i",
        "31.12.2024",
        "Zensus 2022",
        "dl-de/by-2-0",
    ),
    (
        "Bevölkerung des Kreises nach Altersjahren (0 bis 89, 90+)",
        "IT.NRW",
        "Landesdatenbank 12411-09i",
        "31.12.2024",
        "Zensus 2022",
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
        "Zensus 2022 je Gemeinde nach 11 Altersklassen und Geschlecht (Ausgangspunkt der Altersstruktur)",
        "Statistische Ämter des Bundes und der Länder",
        "Zensus 2022, Regionaltabelle Demografie",
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

#: Variants of the comparison with the official projection (Methodik): key -> (label, source).
OFFICIAL_VARIANTS = {
    "basis": ("Basis (dieses Modell)", "Mittel aus Saldo 2020–2024 und konstanter Einwohnerzahl"),
    "saldo_2020_2024": (
        "Saldo 2020–2024 fortgeschrieben (bisherige Basis)",
        "Median der Wanderungssalden 2020–2024 (Regionalstatistik 12711-01-03-4)",
    ),
    "itnrw": ("Amtlicher Pfad (IT.NRW)", "Wanderung so gewählt, dass der Kreis wie amtlich wächst"),
    "itnrw_published": (
        "IT.NRW-Vorausberechnung {start}–2050 (amtlich)",
        "{producer}: {change} {start}–2050, auf 2024–2045 umgerechnet (gleiche jährliche Rate)",
    ),
}

#: German labels of the backtest's method and level codes (dashboard.projection.backtest.METHODS,
#: the ``level`` column of its tables).
BACKTEST_METHODS = {
    "model": "Modell",
    "model (migration ex post)": "Modell mit nachträglich bekannter Wanderung (Diagnose)",
    "model shares × actual Kreis": "Modellanteile × tatsächliche Kreissumme (Diagnose)",
    "constant": "Konstante Bevölkerung",
    "linear trend": "Linearer Trend",
    "constant share": "Konstanter Anteil × linearer Kreistrend",
    "constant share × actual Kreis": "Konstanter Anteil × tatsächliche Kreissumme (Diagnose)",
    "official projection": "Amtliche Vorausberechnung",
    "model (Kreis profile)": "Modell mit Wanderungsprofil des Kreises (bisheriges Modell)",
    "model (local rates)": "Modell: Kreisraten auf die Gemeindebevölkerung",
    "model (local rates + fertility)": "Modell: Kreisraten + Geburtenniveau der Gemeinde",
    "constant shares": "Konstante Altersanteile (2011 = 2022)",
    "Kreis shares": "Anteile des Kreises",
}
BACKTEST_LEVELS = {
    "Kreis": "Kreis",
    "Gemeinde": "Gemeinden",
    "Kreis-Altersgruppen": "Kreis, 17 Altersgruppen",
    "Gemeinde-Altersgruppen": "Gemeinden, 11 Altersklassen (Anteile)",
}

#: Headings of /methodik: section anchor (the H2's id) -> heading; page title, upload texts.
METHODIK_HEADINGS: dict[str, str] = {
    "title": "Daten & Methodik",
    "annahmen": "Annahmen der Basisvariante",
    "amtlich": "Was ist amtlich, was geschätzt?",
    "backtest": "Rückrechnung: Wie genau wäre das Modell gewesen?",
    "amtliche-vorausberechnung": "Basis und amtliche Vorausberechnung",
    "unsicherheit": "Unsicherheit: Wie gut treffen die Intervalle?",
    "quellen": "Quellen und Lizenzen",
    "zensus": "Zensus-Brüche",
    "schaetzung": "Wie die Altersstruktur der Gemeinden geschätzt wurde",
    "modell": "Das Modell",
    "downloads": "Downloads",
    "upload": "Eigene Daten hochladen",
    "workbook": "Vollständige Vorausberechnung (Basis) als Arbeitsmappe: ",
    "drop": "Datei hierher ziehen oder ",
    "choose": "Datei auswählen",
}

#: The tables on /methodik: key -> caption and column -> German header (``{base}``: the first
#: projected year); the page says how each column is formatted.
METHODIK_TABLES: dict[str, dict] = {
    "sources": {
        "caption": "Quellen und Lizenzen",
        "columns": {
            "what": "Daten",
            "publisher": "Herausgeber",
            "table": "Tabelle",
            "stand": "Stand",
            "basis": "Zensusbasis",
            "licence": "Lizenz",
        },
    },
    "breaks": {
        "caption": "Einwohner vor und nach dem Zensus 2022 (amtlich; die Differenz enthält "
        "auch die Entwicklung von 4½ Monaten)",
        "columns": {
            "region": "Gebiet",
            "z11": "31.12.2021 (Basis Zensus 2011)",
            "z22": "Zensus 2022 (15.05.2022)",
            "diff": "Differenz",
            "rel": "Differenz in %",
        },
    },
    "assumptions": {
        "caption": "Annahmen (Basis)",
        "columns": {
            "component_de": "Bereich",
            "parameter_de": "Annahme",
            "value": "Wert",
            "unit_de": "Einheit",
            "source": "Quelle",
            "period": "Zeitraum",
            "method": "Methode",
            "fit": "Anpassung",
        },
    },
    "backtest": {
        "caption": "Rückrechnung (Backtest): alle Fälle und Verfahren",
        "columns": {
            "case": "Fall",
            "level": "Ebene",
            "method": "Verfahren",
            "n": "Vergleiche",
            "mape": "MAPE",
            "mae_pp": "mittl. Abweichung Anteile (Prozentpunkte)",
            "median_ape": "Median-APE",
            "mean_signed_pct_error": "mittlere Abweichung",
            "worst_municipality": "größter Fehler bei",
            "worst_ape": "größter Fehler",
        },
    },
    "criteria": {
        "caption": "Einwohnerzahlen der Gemeinden: Modell und bestes einfaches Verfahren",
        "columns": {
            "case": "Fall",
            "model": "Modell (MAPE)",
            "best_naive": "bestes einfaches Verfahren (MAPE)",
            "best_naive_method": "Verfahren",
            "gap": "Modell minus Verfahren (Prozentpunkte)",
        },
    },
    "agedynamics": {
        "caption": "Altersstruktur der Gemeinden, Zensus 2011 → Zensus 2022 (Anteile der 11 Altersklassen)",
        "columns": {
            "method": "Verfahren",
            "n": "Vergleiche",
            "mae_pp": "mittlere Abweichung (Prozentpunkte)",
            "kept_under19": "erhaltener Abstand unter 19",
            "kept_67plus": "erhaltener Abstand ab 67",
            "out_of_sample": "ohne die vorhergesagte Klasse geschätzt",
        },
    },
    "official": {
        "caption": "Kreis Düren: Basis, bisherige Annahme und amtlicher Pfad",
        "columns": {
            "label": "Variante",
            "net_migration": "Wanderungssaldo je Jahr",
            "population_2030": "Einwohner 2030",
            "population_2045": "Einwohner 2045",
            "change_2045": "Veränderung {base}–2045",
            "source": "Grundlage",
        },
    },
    "coverage": {
        "caption": "Trefferquote der Intervalle in der Rückrechnung",
        "columns": {
            "level": "Ebene",
            "nominal": "Sollwert",
            "n": "Vergleiche",
            "inside": "im Intervall",
            "coverage": "Trefferquote",
        },
    },
    "coverage_horizon": {
        "caption": "Trefferquote und Breite der Intervalle nach Zeitabstand",
        "columns": {
            "level": "Ebene",
            "horizon": "Zeitabstand",
            "interval": "Sollwert",
            "n": "Vergleiche",
            "covered": "Trefferquote",
            "mean_width": "mittlere Breite (Anteil der Vorausberechnung)",
        },
    },
    "drivers": {
        "caption": "Zeitreihenmodelle der Einflussgrößen (Auswahl nach BIC)",
        "columns": {
            "driver": "Größe",
            "model": "Modell",
            "nobs": "Beobachtungen",
            "aic": "AIC",
            "bic": "BIC",
            "converged": "konvergiert",
            "selected": "gewählt",
        },
    },
}

METHODIK = {
    "uncertainty": (
        "Die Bänder in den Grafiken entstehen aus vielen Simulationen: Geburtenrate, Lebenserwartung und "
        "Wanderung schwanken zufällig um die Annahmen des Szenarios, so stark und so beharrlich, wie es ihre "
        "amtlichen Reihen zeigen (Zeitreihenmodelle, nach dem Informationskriterium BIC ausgewählt: "
        "Geburtenrate NRW 2013–2024, Lebenserwartung NRW 2004/06–2021/23, Wachstum des Kreises 1996–2020 als "
        "Maß für die Schwankung der Wanderung; die Zuzugswelle der frühen 1990er-Jahre ist nicht enthalten). "
        "Wie stark die Wanderung schwankt, ist zusätzlich an den Fehlern geeicht, die das Modell für den Kreis "
        "in den früheren Rückrechnungen tatsächlich gemacht hat: Das Zeitreihenmodell gibt vor, wie der Fehler "
        "mit dem Zeitabstand wächst, die Rückrechnung, wie groß er ist. Weil dafür nur vier Basisjahre "
        "vorliegen, ist diese Eichung selbst unsicher; die Simulationen tragen diese Unsicherheit mit (seltene "
        "große Abweichungen werden dadurch etwas wahrscheinlicher). Für die Gemeinden kommt der zusätzliche Fehler hinzu, den das Modell in früheren Rückrechnungen je "
        "nach Gemeindegröße und Zeitabstand gemacht hat. Geprüft wird die Trefferquote: Wie oft lag die "
        "später veröffentlichte Zahl im 80- bzw. 95-%-Intervall, das das Modell damals angegeben hätte? Dabei "
        "stammen der Gemeindefehler und die Eichung jeweils nur aus den anderen Basisjahren. Liegt die Quote über dem "
        "Sollwert, sind die Intervalle eher zu breit; liegt sie darunter, zu schmal."
    ),
    "few_cases": (
        "Wichtig: Es gibt nur wenige unabhängige Vergleiche. Die {n_muni} Gemeindevergleiche stammen aus "
        "{n_bases} Basisjahren; alle Gemeinden eines Basisjahres erleben dieselbe Wanderungsgeschichte (etwa "
        "die Flüchtlingszuwanderung 2015), ihre Fehler hängen also zusammen. Für den Kreis sind es "
        "{n_kreis} Vergleiche aus {n_kreis_bases} Basisjahren. Eine Trefferquote von 100 % bei 4 "
        "Basisjahren ist mit einem richtigen 80-%-Intervall gut vereinbar; die Quoten sind selbst unsicher."
    ),
    "official_estimated": (
        "Amtlich sind: die Einwohnerzahlen des Kreises nach Geschlecht und 17 Altersgruppen (2015–2024), "
        "die Einwohner des Kreises nach einzelnen Altersjahren am 31.12.2024, die Einwohnerzahlen der 15 "
        "Gemeinden (Fortschreibung, zuletzt 31.12.2024), die Altersklassen der Gemeinden im Zensus 2011 "
        "(Gitterzellen) und im Zensus 2022, die Geburten, Sterbefälle und Wanderungen des Kreises 2020–2024 "
        "und die Sterbetafel Deutschland. Geschätzt sind: die Altersstruktur der Gemeinden nach einzelnen "
        "Altersjahren und Geschlecht im Basisjahr, die Geburtenrate und das Sterblichkeitsniveau des Kreises, "
        "das Geburtenniveau und die Zuzugsneigung nach Alter jeder Gemeinde und alle vorausberechneten "
        "Werte. Geschätzte Werte sind in den Tabellen und Downloads als „geschätzt“ gekennzeichnet."
    ),
    "accuracy": (
        "Die Rückrechnung (Backtest) startet das Modell mit genau den Regeln der Vorausberechnung in früheren "
        "Jahren (2009, 2013, 2017) und vergleicht mit den später veröffentlichten Einwohnerzahlen; dazu "
        "dieselben Vergleiche für einfache Verfahren: Einwohnerzahl konstant, linearer Trend der Gemeinde und "
        "konstanter Anteil am linear fortgeschriebenen Kreis. MAPE ist der mittlere absolute Fehler in "
        "Prozent. Die Zahlen stehen hier, auch wo das Modell nicht besser ist."
    ),
    "accuracy_result": (
        "Ergebnis für die Gemeindesummen: Das Modell liegt im Mittel der drei Fälle bei {model} "
        "(bestes einfaches Verfahren im Mittel: {naive}, {naive_method}). Im ungünstigsten Fall liegt es "
        "{worst_gap} Prozentpunkte über dem dort besten einfachen Verfahren ({worst_case}). Die größte "
        "Fehlerquelle ist die Wanderung des Kreises: Mit nachträglich bekannter Wanderung läge der Fehler bei "
        "{ex_post}."
    ),
    "age_dynamics": (
        "Altersstruktur: Das Modell wurde außerdem von der Altersstruktur jeder Gemeinde im Zensus 2011 bis "
        "zum Zensus 2022 fortgeschrieben und mit den elf Altersklassen des Zensus 2022 verglichen (die "
        "Einwohnerzahlen der Gemeinden 2022 sind dabei vorgegeben). Die Zuzugsneigungen der Gemeinden sind "
        "aus genau diesem Vergleich geschätzt; damit das fair bleibt, wird jede Altersklasse mit einer "
        "Schätzung vorhergesagt, die diese Klasse nicht kannte. „Erhaltener Abstand“: Wie viel von ihrem "
        "Abstand zum Kreis (Anteil unter 19 bzw. ab 67 Jahren) behält eine Gemeinde nach elf Jahren? Im "
        "Zensus waren es {census_u19} bzw. {census_67}; das frühere Modell, in dem alle Gemeinden das "
        "Wanderungsprofil des Kreises erhielten, kam nur auf {before_u19} bzw. {before_67}."
    ),
    "official_projection": (
        "Die amtliche Vorausberechnung von IT.NRW (2021–2050) erwartet für den Kreis Düren {official} bis "
        "2050, umgerechnet {official_2045} von 2024 bis 2045. Die Basis dieses Modells kommt bis 2045 auf "
        "{basis}. Der Unterschied liegt fast ganz in der Wanderung: Die Basis nimmt {basis_net} Personen "
        "Wanderungsgewinn je Jahr an (je zur Hälfte der Saldo 2020–2024 und der Saldo, der die "
        "Einwohnerzahl konstant hielte); mit etwa {itnrw_net} Personen je Jahr folgt das Modell dem "
        "amtlichen Pfad. Schreibt man den Saldo 2020–2024 einfach fort ({recent_net} je Jahr), ergäbe sich "
        "{recent}. Den amtlichen Pfad können Sie unter „Szenarien“ als „Amtlicher Pfad (IT.NRW)“ wählen."
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
        "Amtlich sind die Einwohnerzahlen der 15 Gemeinden am 31.12.2024 (IT.NRW, Tabelle 12411-15i), "
        "die Bevölkerung des Kreises nach einzelnen Altersjahren (IT.NRW 12411-09i, 0 bis 89 Jahre "
        "und 90+, beide Geschlechter zusammen) und nach Geschlecht und 17 Altersgruppen "
        "(Regionalstatistik 12411-02-03-4). Für die einzelnen Gemeinden gibt es keine frei verfügbare "
        "amtliche Tabelle nach Alter und Geschlecht; diese Aufteilung schätzt das Projekt. "
        "Ausgangspunkt sind die amtlichen Altersklassen jeder Gemeinde aus dem Zensus 2022 "
        "(Stichtag 15.05.2022, 11 Altersklassen). Sie werden Jahrgang für Jahrgang bis zum "
        "31.12.2024 fortgeschrieben: Jede Gemeinde behält ihren Anteil an jedem Geburtsjahrgang des "
        "Kreises, Sterbefälle und Wanderungen wirken also wie im Kreis. Danach werden die Werte so "
        "abgeglichen (iterative proportionale Anpassung), dass die amtlichen Einwohnerzahlen der "
        "Gemeinden, die Einzelalter des Kreises und seine Werte nach Geschlecht und Altersgruppe "
        "exakt stimmen. Geschätzt sind auch die Aufteilung nach Geschlecht innerhalb der "
        "Altersgruppen und die Verteilung der 90-Jährigen und Älteren auf einzelne Altersjahre. Alle "
        "so entstandenen Werte sind als „geschätzt“ gekennzeichnet. Sobald Sie eine amtliche "
        "Gemeindetabelle (z. B. Regionalstatistik 12411-02-03-5) hochladen, ersetzt sie die Schätzung."
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
        "Angemeldete Benutzerinnen und Benutzer können einen Export aus GENESIS-Online, der "
        "Regionalstatistik oder der Landesdatenbank NRW (CSV oder XLSX, höchstens {mb} MB) hochladen. Die "
        "Datei wird vollständig geprüft, mit denselben Regeln wie im Modell (alle 15 Gemeinden, Summen = "
        "amtliche Kreistabelle, Stichtag); gefundene Probleme werden mit Zeile, Spalte, erwartetem und "
        "gefundenem Wert aufgelistet. Eine gültige Datei wird Ihr Entwurf mit Vorschau; öffentlich "
        "ändert sich erst etwas, wenn die Datenpflege (Rolle „pflege“) ihn veröffentlicht."
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
    "to_filters": "↑ Nach oben zu den Filtern",
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
        "Sie ihn angemeldet hier wieder hoch. Die Datei wird vollständig geprüft; eine fehlerfreie "
        "Arbeitsmappe wird Ihr Entwurf. Für alle sichtbar wird sie erst, wenn die Datenpflege (Rolle "
        "„pflege“) sie veröffentlicht; jeder frühere Katalog bleibt erhalten."
    ),
    "upload_button": "Arbeitsmappe (.xlsx) auswählen oder hierher ziehen",
    "download": "Aktiven Katalog als Excel herunterladen",
    "reset": "Mitgelieferten Katalog wiederherstellen",
    "upload_ok": (
        "Die Arbeitsmappe {name} wurde vollständig geprüft und als Entwurf {id} gespeichert: {measures}, "
        "{sources}. Öffentlich ändert sich nichts, bis die Datenpflege ihn veröffentlicht."
    ),
    "to_draft": "Entwurf und Änderungen ansehen",
    "upload_fail": "Die Arbeitsmappe {name} wurde nicht übernommen. Bitte beheben Sie {problems}:",
    "reset_ok": (
        "Der mitgelieferte Katalog ist wieder aktiv (neuer Stand; der vorige Katalog bleibt gespeichert "
        "und kann unter „Daten & Konten“ wiederhergestellt werden)."
    ),
    "reset_none": "Der mitgelieferte Katalog ist bereits aktiv.",
    "origin_shipped": "Aktiver Katalog: mitgeliefert ({measures}).",
    "origin_imported": "Aktiver Katalog: importiert ({measures}; {path}).",
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


# --------------------------------------------------------------------------------------------
# Store, accounts and imports (issue 12)
# --------------------------------------------------------------------------------------------

STORE: dict[str, str] = {
    "bad_channel": "Unbekannter Bereich {channel!r}; erlaubt sind: {allowed}.",
    "bad_name": "Der Benutzername muss 1 bis {max} Zeichen lang sein, ohne Leerzeichen.",
    "bad_role": "Unbekannte Rolle {role!r}; erlaubt sind: {allowed}.",
    "short_password": "Das Passwort muss mindestens {n} Zeichen lang sein.",
    "name_taken": "Den Benutzernamen {name!r} gibt es schon.",
    "no_user": "Einen Benutzer {name!r} gibt es nicht.",
    "no_version": "Eine Version {id} gibt es nicht.",
    "no_release": "Einen Stand {number} gibt es nicht.",
    "only_pflege_accounts": "Nur Benutzer mit der Rolle „pflege“ dürfen Konten verwalten.",
    "only_pflege_publish": "Nur Benutzer mit der Rolle „pflege“ dürfen veröffentlichen oder zurücksetzen.",
    "login_to_upload": "Bitte melden Sie sich an, um Daten hochzuladen.",
    "not_your_draft": "Diesen Entwurf dürfen nur sein Autor und Benutzer mit der Rolle „pflege“ verwerfen.",
    "not_a_draft": "Version {id} ist kein Entwurf (Status: {status}).",
    "discarded": "Version {id} wurde verworfen und kann nicht veröffentlicht werden.",
    "already_published": "Version {id} ist bereits veröffentlicht.",
    "not_usable": "Version {id} hat die Prüfung nicht bestanden und kann nicht veröffentlicht werden.",
    "synthetic_refused": (
        "Nicht veröffentlicht: Version {ids} ist als SYNTHETISCH gekennzeichnet (Testaufzeichnung, keine "
        "amtlichen Zahlen) und darf nicht als amtliche Tabelle veröffentlicht oder wiederhergestellt werden."
    ),
    "nothing_to_rollback": "Es gibt keinen früheren Stand, auf den zurückgesetzt werden könnte.",
    "rollback_same": "Stand {number} ist inhaltlich der aktuelle Stand; nichts zurückgesetzt.",
    "conflict": (
        "Nicht veröffentlicht: Sie haben Stand {expected} gesehen, inzwischen gilt Stand {number} "
        "({action} von {who}, {when}). Bitte prüfen Sie den neuen Stand und versuchen Sie es erneut."
    ),
    "conflict_generic": (
        "Nicht veröffentlicht: Seit Stand {expected} hat jemand anderes veröffentlicht oder "
        "zurückgesetzt. Bitte laden Sie die Seite neu und versuchen Sie es erneut."
    ),
    "action_publish": "veröffentlicht",
    "action_rollback": "zurückgesetzt",
    "status_draft": "Entwurf",
    "status_published": "veröffentlicht",
    "status_superseded": "abgelöst",
    "status_discarded": "verworfen",
    "scenario_login": "Bitte melden Sie sich an, um ein Szenario zu speichern.",
    "scenario_title": "Der Name des Szenarios muss 1 bis {max} Zeichen lang sein (erhalten: {n} Zeichen).",
    "scenario_description": "Die Beschreibung darf höchstens {max} Zeichen lang sein (erhalten: {n} Zeichen).",
    "scenario_control": "{field} enthält Steuerzeichen; bitte nur druckbaren Text eingeben.",
    "scenario_document": "Das Szenario ist zu groß: höchstens {max} Bytes (erhalten: {n}).",
    "scenario_municipality": "Unbekannter Gemeindeschlüssel {ags!r} (erwartet: 8 Ziffern).",
    "no_scenario": "Ein gespeichertes Szenario {key!r} gibt es nicht.",
    "not_your_scenario": "Dieses Szenario dürfen nur sein Autor und Benutzer mit der Rolle „pflege“ zurückziehen.",
    "scenario_withdrawn": "Das Szenario {key!r} wurde am {when} von {who} zurückgezogen.",
}

IMPORTS: dict[str, str] = {
    "zip_unpacked_max": "entpackt höchstens {mb} MB",
    "zip_unpacked_found": "{mb} MB entpackt (ZIP-Bombe?)",
    "zip_ratio_max": "Kompressionsverhältnis höchstens {ratio}:1",
    "zip_ratio_found": "{ratio}:1 (ZIP-Bombe?)",
    "problems_head": "{problems} gefunden:",
    "more": "… und {n} weitere",
    "by_kind": "Nach Art:",
    "kind_population": "Bevölkerungsstand",
    "kind_events": "Bewegungen",
    "level_kreis": "Kreis",
    "level_gemeinde": "Gemeinden",
    "level_land": "Land",
    "level_deutschland": "Deutschland",
    "level_regierungsbezirk": "Regierungsbezirk",
    "summary_table": "Tabelle {code} ({kind}), Format {fmt}, Datei {file}",
    "summary_values": "{n} Werte, Jahre {years}, Regionen: {regions}",
    "summary_source": "Quelle: {publisher}, Lizenz {licence}",
    "summary_stand": ", Stand {stand}",
    "note": "Hinweis: {note}",
    "usable_yes": (
        "Für die Prognose verwendbar: ja – alle Prüfungen des Modells bestanden "
        "(15 Gemeinden, Summen = amtliche Kreistabelle je Geschlecht × Altersgruppe, Stichtag 31.12.)."
    ),
    "not_used": (
        "Wird von der Vorausberechnung derzeit nicht verwendet (keine Gemeindetabelle nach Alter); "
        "sie bleibt mit Herkunftsangaben gespeichert."
    ),
    "expected_kreis": "Regionen des Kreises Düren (AGS 05358…)",
    "found_other": "nur Regionen eines anderen Gebiets, z. B. {found}",
    "other_regions_ignored": "{n} Region(en) außerhalb des Kreises Düren werden nicht verwendet.",
    "expected_official": "amtliche Zahlen",
    "found_synthetic": "als SYNTHETISCH gekennzeichnete Testdaten",
    "found_synthetic_version": "Version {id} ist als SYNTHETISCH gekennzeichnet (Testaufzeichnung)",
    "synthetic_draft": (
        "ACHTUNG: SYNTHETISCHE Testaufzeichnung – keine amtlichen Zahlen. Dieser Entwurf darf nicht "
        "veröffentlicht werden (nur in Tests erlaubt)."
    ),
    "expected_complete": "eine vollständige Tabelle ohne fehlende Werte",
    "found_placeholders": "fehlende Werte (GENESIS-Zeichen {counts})",
    "expected_31_12": "Stichtag 31.12.{year}",
    "expected_15": "alle 15 Gemeinden des Kreises Düren am 31.12.{year}",
    "found_missing": "{n} fehlen: {names}",
    "expected_ages": "lückenlose Altersgruppen ab 0 Jahren für {ags}, {sex}",
    "expected_kreis_sum": "Kreiszeile = Summe der Gemeinden (31.12.{year}, {sex}, {group})",
    "found_sums": "Gemeinden {mun}, Kreiszeile {kreis}",
    "expected_size": "höchstens {mb} MB",
    "expected_file": "eine vorhandene Datei",
    "found_no_file": "nicht gefunden",
    "found_size": "{mb} MB",
    "login_to_upload": "Bitte melden Sie sich an, um Daten hochzuladen.",
    "draft_saved": (
        "Als Entwurf {id} gespeichert. Sichtbar für Sie und die Datenpflege; öffentlich ändert sich "
        "nichts, bis ein Benutzer mit der Rolle „pflege“ ihn veröffentlicht."
    ),
    "source_line": "Import {id} ({file}, sha256 {sha}, veröffentlicht {when} von {who})",
    "stand_line": (
        "Amtliche Gemeindetabelle {table} ({years}, {publisher}): Import {id}, Datei {file}, "
        "veröffentlicht am {when} von {who}"
    ),
    "banner_fallback": (
        "Hinweis: Der veröffentlichte Datenstand {active} besteht die Prüfung nicht und wird nicht "
        "verwendet; angezeigt wird Stand {served}. Grund: {reason}"
    ),
    "banner_fallback_shipped": (
        "Hinweis: Der veröffentlichte Datenstand {active} besteht die Prüfung nicht und wird nicht "
        "verwendet; angezeigt werden die mitgelieferten Daten. Grund: {reason}"
    ),
    "banner_db": (
        "Hinweis: Die Datenbank ist nicht erreichbar ({error}); angezeigt werden die mitgelieferten "
        "Daten ohne importierte Tabellen."
    ),
    "preview_unused": "Keine Änderung an den Zahlen: die Tabelle wird von der Vorausberechnung nicht verwendet.",
    "preview_head": "Basisbevölkerung 31.12.{year}: aktuell (Stand {release}) → mit diesem Entwurf",
    "preview_head_new_base": (
        "Neues Basisjahr 31.12.{year}: bisher vorausberechnet (Basis, Stand {release}) → amtlich mit diesem "
        "Entwurf"
    ),
    "preview_biggest": "  größte Änderung: {name}, {group} Jahre: {diff}",
}

AUTH: dict[str, str] = {
    "title_login": "Anmelden",
    "title_logout": "Abmelden",
    "button_login": "Anmelden",
    "button_logout": "Abmelden",
    "back": "Zur Übersicht",
    "continue": "Weiter",
    "already": "Sie sind angemeldet als {name} (Rolle {role}).",
    "form_invalid": (
        "Das Formular war unvollständig oder ist abgelaufen. Bitte laden Sie die Seite neu und "
        "versuchen Sie es erneut."
    ),
    "wrong": "Benutzername oder Passwort ist falsch (oder das Konto ist gesperrt).",
    "too_many": "Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.",
    "hint_login": (
        "Das Dashboard ist für alle lesbar. Anmelden müssen sich nur Personen, die Daten hochladen "
        "(Rolle „planung“) oder veröffentlichen und Konten verwalten (Rolle „pflege“). Konten legt die "
        "Datenpflege an."
    ),
    "logged_out": "Sie sind abgemeldet.",
    "not_logged_in": "Sie sind nicht angemeldet.",
    "logout_question": "Angemeldet als {name}. Möchten Sie sich abmelden?",
    "header_login": "Anmelden",
    "header_user": "Angemeldet: {name} ({role})",
    "header_admin": "Daten & Konten",
    "header_logout": "Abmelden",
}

#: Messages of the browser's upload check (dashboard/app/assets/upload-limit.js): {name} file
#: name, {size} and {limit} in MB (German decimals).
UPLOAD_NOTES: dict[str, str] = {
    "too_big": (
        "Die Datei „{name}“ wurde nicht hochgeladen: Sie ist {size} MB groß, erlaubt sind höchstens "
        "{limit} MB."
    ),
}

ADMIN: dict[str, str] = {
    "login_to_upload": "Bitte melden Sie sich an, um Daten hochzuladen.",
    "unreadable": "Die Datei konnte nicht gelesen werden.",
    "too_big": "Die Datei ist zu groß ({size} KB; erlaubt sind höchstens {limit} KB).",
    "refused": "Die Datei „{name}“ wurde nicht übernommen: {problems} gefunden. Es wurde nichts gespeichert.",
    "problems_caption": "Gefundene Probleme (die ersten 50)",
    "more": "… und {n} weitere Probleme (nicht einzeln aufgeführt).",
    "by_kind": "Probleme nach Art",
    "draft_ok": (
        "Die Datei „{name}“ wurde vollständig geprüft und als Entwurf {id} gespeichert. Öffentlich "
        "ändert sich nichts, bis die Datenpflege ihn veröffentlicht."
    ),
    "to_preview": "Entwurf und Vorschau ansehen",
    "preview_failed": "Die Vorschau konnte nicht berechnet werden; der Fehler wurde protokolliert.",
    "preview_unused": (
        "Keine Änderung an den angezeigten Zahlen: Diese Tabelle wird von der Vorausberechnung nicht "
        "verwendet."
    ),
    "preview_caption": "Basisbevölkerung 31.12.{year} je Gemeinde: aktuell und mit diesem Entwurf",
    "preview_groups_caption": (
        "Differenz je Gemeinde und Altersgruppe am 31.12.{year} (mit Entwurf minus aktuell, Personen)"
    ),
    "col_current": "aktuell (Stand {release})",
    "col_projected": "bisher vorausberechnet (Basis, Stand {release})",
    "preview_new_base": (
        "Mit diesem Entwurf wird {years} das neue Basisjahr der Vorausberechnung (bisher 31.12.{base}). "
        "„Bisher vorausberechnet“ sind die Zahlen, die das Dashboard heute für diesen Tag zeigt (Szenario "
        "Basis); nach dem Veröffentlichen gelten dort die amtlichen Zahlen und die Vorausberechnung beginnt "
        "mit ihnen."
    ),
    "col_new": "mit Entwurf",
    "version_label": "Version {id}: {table} ({years}), Datei {file}, hochgeladen von {who} am {when}",
    "synthetic_label": " – SYNTHETISCHE Testaufzeichnung, nicht veröffentlichbar",
    "synthetic_notice": (
        "Dieser Entwurf stammt aus einer als SYNTHETISCH gekennzeichneten Testaufzeichnung: Seine Zahlen "
        "sind keine amtlichen Zahlen. Er kann nicht veröffentlicht werden."
    ),
    "synthetic_notice_tests": (
        "Dieser Entwurf stammt aus einer als SYNTHETISCH gekennzeichneten Testaufzeichnung: Seine Zahlen "
        "sind keine amtlichen Zahlen. Veröffentlichen ist nur erlaubt, weil die Test-Einstellung "
        "DASHBOARD_TESTS_ALLOW_SYNTHETIC gesetzt ist."
    ),
    "title": "Daten & Konten",
    "intro": (
        "Hochgeladene Tabellen und Maßnahmenkataloge sind zunächst Entwürfe. Ein Benutzer mit der "
        "Rolle „pflege“ prüft die Vorschau und veröffentlicht sie für alle; jeder frühere Stand "
        "bleibt erhalten und kann wiederhergestellt werden."
    ),
    "please_login": "Bitte melden Sie sich an, um Entwürfe zu sehen und Daten hochzuladen.",
    "tables": "Amtliche Tabellen",
    "catalogue": "Maßnahmenkatalog",
    "active": "Aktueller Stand {number}: {what}",
    "active_none_tables": "keine importierte Tabelle (mitgelieferte Daten und Schätzung)",
    "active_none_catalogue": "mitgelieferter Katalog",
    "drafts": "Entwürfe",
    "no_drafts": "Keine Entwürfe.",
    "history": "Frühere Stände",
    "preview_title": "Vorschau von Entwurf {id}",
    "publish": "Veröffentlichen",
    "discard": "Verwerfen",
    "rollback": "Auf den vorigen Stand zurücksetzen",
    "published_ok": "Veröffentlicht: Stand {number} ist jetzt für alle sichtbar.",
    "rolled_back": "Zurückgesetzt: Stand {number} entspricht Stand {restored}.",
    "discarded_ok": "Entwurf {id} verworfen (bleibt gespeichert, wird aber nicht veröffentlicht).",
    "only_pflege": "Nur Benutzer mit der Rolle „pflege“ dürfen veröffentlichen und zurücksetzen.",
    "not_visible": "Diesen Entwurf können nur sein Autor und die Datenpflege sehen.",
    "accounts": "Konten",
    "new_account": "Konto anlegen",
    "account_name": "Benutzername",
    "account_role": "Rolle",
    "account_password": "Passwort (mindestens 10 Zeichen)",
    "account_created": "Konto {name} ({role}) angelegt.",
    "lock": "Sperren",
    "unlock": "Entsperren",
    "locked": "gesperrt",
    "account_changed": "Konto {name}: {state}.",
    "audit": "Protokoll (neueste zuerst)",
    "provenance": "Verwendete importierte Tabellen: {items}",
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
    "keyring_failed": (
        "Der Schlüsselbund des Betriebssystems konnte für {service} nicht gelesen werden ({error}); "
        "es werden nur die Umgebungsvariablen verwendet."
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
    "rejected": (
        "Die Tabelle {table} von {service} besteht die Prüfung des Dashboards nicht (dieselbe wie beim "
        "Hochladen einer Datei):\n{details}"
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
    "summary_synthetic_drafts": (
        "ACHTUNG: Entwurf {drafts} enthält SYNTHETISCHE Testdaten (keine amtlichen Zahlen) und kann nicht "
        "veröffentlicht werden."
    ),
    "summary_unusable": " – nicht verwendbar (fehlende Werte)",
    "summary_drafts": (
        "Entwürfe {drafts} angelegt (je Tabelle einer). Sie werden erst sichtbar, wenn eine Person mit der "
        "Rolle „pflege“ sie veröffentlicht: python -m dashboard data publish ID (Vorschau: data preview ID) "
        "oder auf der Seite /methodik unter „Daten aktualisieren“."
    ),
    "actor_cli": "data update (GENESIS-Webdienste)",
    # app: /methodik
    "base_heading": "Basisjahr und amtliche Grundlage",
    "base_intro": (
        "Die Vorausberechnung beginnt am 31.12.{year}. Sobald eine vollständige amtliche Tabelle der "
        "Bevölkerung aller 15 Gemeinden nach Geschlecht und Alter für einen späteren 31. Dezember "
        "veröffentlicht ist, wird dieser Tag zum Basisjahr. Die Tabelle zeigt, welche Eingaben der Basis "
        "amtlich sind und welche noch geschätzt."
    ),
    "base_caption": "Eingaben der Basis 31.12.{year}: amtlich oder geschätzt",
    "col_input": "Eingabe",
    "col_status": "Stand",
    "col_source": "Quelle bzw. Verfahren",
    "app_heading": "Daten aktualisieren",
    "app_intro": (
        "Holt die neuesten amtlichen Tabellen für den Kreis und seine Gemeinden von den Web-Diensten der "
        "Statistikämter (Regionalstatistik, Landesdatenbank NRW), prüft sie wie einen Datei-Import und legt "
        "sie als Entwürfe ab. Vor dem Veröffentlichen sehen Sie, was sich ändern würde. Nichts wird "
        "öffentlich, bevor Sie einen Entwurf veröffentlichen."
    ),
    "app_button": "Daten aktualisieren",
    "app_not_allowed": "Nur Personen mit der Rolle „pflege“ können Daten aktualisieren.",
    "app_offline_note": "Quelle: {source}.",
    "app_preview_head": "Was sich mit dem Entwurf {id} ({table}) ändern würde",
    "app_no_model_change": "Entwurf {id} ({table}): wird gespeichert, ändert die Vorausberechnung nicht.",
    "app_to_publish": "Entwurf {id} ansehen und veröffentlichen",
    "app_synthetic": (
        "Entwurf {id} ({table}) stammt aus einer SYNTHETISCHEN Testaufzeichnung – keine amtlichen Zahlen; "
        "er kann nicht veröffentlicht werden."
    ),
    "source_online": "online",
    "source_offline": "Aufzeichnungen aus {folder}",
}

CATALOGUE: dict[str, str] = {
    "login_to_upload": "Bitte melden Sie sich an, um Daten hochzuladen.",
    "summary": "Arbeitsmappe {file}: {measures} Maßnahmen, {sources} Quellen – vollständig geprüft.",
    "diff_counts": (
        "Gegenüber dem aktiven Katalog ({old} Maßnahmen): {new} Maßnahmen, davon {added} neu, "
        "{changed} geändert; {removed} entfallen."
    ),
    "added": "Neu",
    "removed": "Entfallen",
    "changed": "Geändert",
    "origin_line": "Import {id} ({file}, veröffentlicht {when} von {who})",
    "invalid": "Der veröffentlichte Katalog (Version {id}, Stand {number}) ist ungültig und wird nicht verwendet: {reason}",
    "db_down": "Die Datenbank ist nicht erreichbar; angezeigt wird der mitgelieferte Katalog.",
}

#: German headers of the downloaded tables (CSV/XLSX for spreadsheet users; issue 17.6). Every
#: column a download can carry is listed; ``None`` = left out of the German file (English codes
#: whose German label is another column).
DOWNLOAD_COLUMNS: dict[str, str | None] = {
    "ags": "AGS",
    "municipality": "Gemeinde",
    "year": "Jahr",
    "reference_date": "Stichtag",
    "sex": "Geschlecht",
    "age": "Alter (Jahre)",
    "age_group": "Altersgruppe",
    "population": "Personen",
    "share": "Anteil (%)",
    "estimated": "geschätzt",
    "total_estimated": "Einwohnerzahl geschätzt",
    "age_split_estimated": "Altersaufteilung geschätzt",
    "projected": "vorausberechnet",
    "basis": "Zensusbasis",
    "table": "Tabelle",
    "publisher": "Herausgeber",
    "licence": "Lizenz",
    "source": "Quelle",
    "origin": "Herkunft",
    "median_age": "Medianalter (Jahre)",
    "mean_age": "Durchschnittsalter (Jahre)",
    "youth_dependency": "Jugendquotient",
    "old_age_dependency": "Altenquotient",
    "n_65plus": "Personen 65 Jahre und älter",
    "share_65plus": "Anteil 65 Jahre und älter (%)",
    "n_80plus": "Personen 80 Jahre und älter",
    "share_80plus": "Anteil 80 Jahre und älter (%)",
    "births": "Geburten",
    "deaths": "Sterbefälle",
    "net_migration": "Wanderungssaldo",
    "in_migration": "Zuzüge",
    "out_migration": "Fortzüge",
    "component": None,
    "parameter": None,
    "unit": None,
    "component_de": "Bereich",
    "parameter_de": "Annahme",
    "qualifier": "Merkmal",
    "value": "Wert",
    "unit_de": "Einheit",
    "period": "Zeitraum",
    "method": "Methode",
    "fit": "Schätzgüte",
    "case": "Fall",
    "level": "Ebene",
    "base_year": "Basisjahr",
    "target_year": "Zieljahr",
    "horizon": "Horizont (Jahre)",
    "actual": "amtlich",
    "predicted": "berechnet",
    "error": "Abweichung (Personen)",
    "ape": "absolute Abweichung (%)",
    "note": "Hinweis",
    "scenario": "Szenario",
    "draws": "Simulationen",
    "seed": "Startwert",
    "band": "Band",
    "quantity": "Größe",
    "median": "Median",
    "lower_80": "80-%-Intervall von",
    "upper_80": "80-%-Intervall bis",
    "lower_95": "95-%-Intervall von",
    "upper_95": "95-%-Intervall bis",
    "nominal": "Sollwert (%)",
    "n": "Vergleiche",
    "inside": "davon im Intervall",
    "coverage": "Trefferquote (%)",
    "kind": "Art",
    "amount": "Personen",
}

#: Values of German downloads: sexes, truth values, totals.
DOWNLOAD_VALUES: dict[str, str] = {
    "female": "weiblich",
    "male": "männlich",
    "total": "insgesamt",
    "true": "ja",
    "false": "nein",
}

#: The brief's headline sentence (issue 17.10), filled from the numbers by
#: :func:`dashboard.figures.summary.headline_sentence`.
HEADLINE: dict[str, str] = {
    "sentence": "{name} {trend} bis {year} ({change}; {now} → {later} Einwohnerinnen und Einwohner); {groups}.",
    "grows_strongly": "wächst deutlich",
    "grows": "wächst leicht",
    "flat": "verändert sich kaum",
    "shrinks": "schrumpft leicht",
    "shrinks_strongly": "schrumpft deutlich",
    "up": "die Zahl {group} steigt um {n} ({pct})",
    "down": "die Zahl {group} sinkt um {n} ({pct})",
    "and": ", ",
}
#: Planning age groups in a sentence ("die Zahl … steigt"): genitive plural.
GROUP_PHRASES: dict[str, str] = {
    "0-2": "der Kinder unter 3 Jahren",
    "3-5": "der 3- bis 5-Jährigen (Kita-Alter)",
    "6-9": "der 6- bis 9-Jährigen (Grundschulalter)",
    "10-15": "der 10- bis 15-Jährigen",
    "16-18": "der 16- bis 18-Jährigen",
    "19-24": "der 19- bis 24-Jährigen",
    "25-44": "der 25- bis 44-Jährigen",
    "45-64": "der 45- bis 64-Jährigen",
    "65-79": "der 65- bis 79-Jährigen",
    "80+": "der Menschen ab 80 Jahren",
}

#: Texts inside Dash's dropdowns (the component's own defaults are English: "Search" …).
DROPDOWN_LABELS: dict[str, str] = {
    "search": "Suchen (Namen eintippen)",
    "clear_search": "Suche löschen",
    "clear_selection": "Auswahl löschen",
    "no_options_found": "Keine Treffer",
    "select_all": "Alle auswählen",
    "deselect_all": "Alle abwählen",
    "selected_count": "{num_selected} ausgewählt",
}

DOWNLOAD: dict[str, str] = {
    "legend": "Daten herunterladen",
    "table": "Tabelle",
    "scope": "Umfang",
    "scope_region": "nur {region}",
    "scope_all": "Kreis und alle 15 Gemeinden",
    "format": "Dateiformat",
    "csv": "CSV (für Excel, Semikolon, Dezimalkomma)",
    "xlsx": "Excel-Arbeitsmappe (XLSX)",
    "exact": "Personen mit Nachkommastellen (exakte Modellwerte, für Analysen)",
    "button": "{file} herunterladen",
    "scenario_line": "Szenario: {scenario}",
    "hint": (
        "Personen sind auf ganze Zahlen gerundet, Anteile in Prozent. Die Excel-Datei enthält "
        "zusätzlich das Blatt „exakt“ mit den ungerundeten Modellwerten und das Blatt „Quelle“."
    ),
    "working": "Die Datei „{file}“ wird erstellt … Das kann einige Sekunden dauern; der Download startet von selbst.",
    "done": "Die Datei „{file}“ wurde erstellt; der Download hat begonnen.",
    "slow": ("Die Datei „{file}“ wird noch erstellt. Bitte warten Sie oder versuchen Sie es später erneut."),
    "sheet_data": "Daten",
    "sheet_exact": "exakt",
    "sheet_source": "Quelle",
    "sheet_note": "Hinweis",
    "rounded_note": (
        "Personen auf ganze Zahlen gerundet (Summen können daher um wenige Personen abweichen); "
        "Anteile in Prozent. Ungerundete Werte: Blatt „exakt“."
    ),
    "exact_note": "Exakte Modellwerte (ungerundet); Anteile in Prozent.",
    "region_line": "Gebiet: {region}",
    "bad_ags": "unbekanntes Gebiet „ags={value}“ (erwartet: 05358 für den Kreis oder der AGS einer Gemeinde)",
    "bad_exact": "ungültiger Wert „exakt={value}“ (erwartet: ja oder nein)",
    "band_exact": "eigene Simulation",
    "band_scaled": "Streuung der Basis-Simulation um das eigene Szenario",
}

QUERY: dict[str, str] = {
    "bad_ags": "erwartet wird der Schlüssel einer Gemeinde des Kreises Düren (z. B. 05358008) oder 05358",
    "bad_ags_muni": "erwartet wird der achtstellige Schlüssel einer Gemeinde des Kreises Düren (z. B. 05358008)",
    "bad_int": "erwartet wird eine ganze Zahl von {lo} bis {hi}",
    "bad_float": "erwartet wird eine Zahl von {lo} bis {hi}",
    "bad_choice": "erlaubt sind: {options}",
    "bad_text": "erwartet wird ein Text mit höchstens {n} Zeichen",
    "repeated": "„{key}“ steht {n}-mal im Link; erlaubt ist ein Wert",
    "not_text": "„{key}“ hat keinen lesbaren Wert",
    "bad_value": "„{key}={value}“ ist ungültig: {why}",
    "link_problems": (
        "Der Link enthält ungültige Angaben. Sie wurden nicht verwendet; die Seite zeigt stattdessen "
        "die Standardauswahl:"
    ),
    "page_failed": (
        "Diese Ansicht konnte nicht erstellt werden. Der Fehler wurde protokolliert; bitte wählen Sie "
        "eine andere Ansicht."
    ),
    "download_refused": "Download abgelehnt: {problems}.",
    "cb_json": "Ungültige Anfrage: Der Inhalt ist kein gültiges JSON.",
    "cb_envelope": "Ungültige Anfrage: Aufbau der Anfrage entspricht nicht dem Dashboard.",
    "cb_unknown": "Ungültige Anfrage: Diese Aktualisierung gibt es im Dashboard nicht.",
    "cb_nonfinite": "Ungültige Eingabe für {id}.{prop}: NaN oder unendlich ist keine Zahl.",
    "cb_type": "Ungültige Eingabe für {id}.{prop}: erwartet {kind}.",
    "kind_text": "einen Text",
    "kind_option": "einen der angebotenen Auswahlwerte",
    "kind_options": "eine Liste der angebotenen Auswahlwerte",
    "kind_number": "eine endliche Zahl",
    "kind_count": "eine ganze Zahl ≥ 0",
    "kind_bool": "ja oder nein (true/false)",
    "kind_path": "einen Pfad, der mit „/“ beginnt",
    "kind_dataurl": "eine hochgeladene Datei (data:-URL)",
}

#: Rows of :func:`dashboard.data.baseyear.base_inputs` ("which inputs of the base are official").
BASE_INPUTS: dict[str, str] = {
    "kreis": "{kreis} nach Geschlecht und 17 Altersgruppen",
    "totals": "Einwohnerzahl je Gemeinde",
    "sex": "Aufteilung je Gemeinde nach Geschlecht",
    "structure": "Altersstruktur je Gemeinde (Geschlecht × Altersgruppen)",
    "single": "Einzelne Altersjahre innerhalb der Altersgruppen",
    "official": "amtlich",
    "estimated": "geschätzt",
    "partly": "teilweise amtlich",
    "src_tables": "veröffentlichte amtliche Gemeindetabelle(n) nach Geschlecht und Alter",
    "src_kreis": "Regionalstatistik 12411-02-03-4",
    "src_kreis_sum": "Summe der veröffentlichten amtlichen Gemeindetabellen",
    "src_totals": "IT.NRW Landesdatenbank 12411-15i",
    "src_totals_est": "Schätzung aus Zensus 2022 und Trend",
    "src_sex_est": "letzte amtliche Anteile, an die amtliche Kreissumme angepasst",
    "src_structure_est": "Schätzung: Zensus-2011-Gitter, an amtliche Kreis- und Gemeindesummen angepasst",
    "src_single_est": "Zerlegung der amtlichen Altersgruppen (PCHIP, oberste Gruppe nach der Sterbetafel)",
}

# --------------------------------------------------------------------------------------------
# Local scenarios: Neubau, own migration, one-off changes; saved scenarios (issue 13)
# --------------------------------------------------------------------------------------------

#: Messages about local inputs (:mod:`dashboard.projection.local`): the checks of an entry, of its
#: text form (CLI flags, link items) and of a scenario file's ``local`` object.
LOCAL_CHECK: dict[str, str] = {
    "kind_new_housing": "Neubau",
    "kind_own_migration": "Eigene Wanderung",
    "kind_one_off": "Einmalige Veränderung",
    "first_year": "das erste Jahr",
    "last_year": "das letzte Jahr",
    "year": "das Jahr",
    "dwellings": "die Zahl der Wohnungen",
    "persons_per_dwelling": "Personen je Wohnung",
    "share": "der Anteil aus dem Kreis",
    "share_pct": "der Anteil aus dem Kreis (Prozent)",
    "net": "der Wanderungssaldo",
    "persons_per_year": "Personen je Jahr",
    "persons": "die Personenzahl",
    "age_min": "das Mindestalter",
    "age_max": "das Höchstalter",
    "whole_number": "eine ganze Zahl",
    "number": "eine Zahl",
    "bad_ags": "{kind}: Gemeinde muss der achtstellige Gemeindeschlüssel einer der 15 Gemeinden des Kreises "
    "sein (z. B. 05358044 für Nideggen), erhalten: {value}.",
    "out_of_range": "{where}: {label} muss {what} von {lo} bis {hi}{unit} sein, erhalten: {value}.",
    "years_reversed": "{where}: das letzte Jahr ({last}) liegt vor dem ersten ({first}).",
    "both_years": "{where}: bitte beide Jahre angeben (von–bis) oder keines.",
    "persons_zero": "{where}: die Personenzahl darf nicht 0 sein (Zuzug > 0, Fortzug < 0).",
    "ages_reversed": "{where}: das Höchstalter ({hi}) liegt unter dem Mindestalter ({lo}).",
    "bad_permanent": "{where}: 'dauerhaft' muss ja oder nein sein, erhalten: {value}.",
    "departure_permanent": "{where}: ein Fortzug (negative Personenzahl) ist immer einmalig; 'dauerhaft' gilt nur "
    "für Zuzüge.",
    "not_a_list": "Lokale Annahmen: {name} muss eine Liste sein, erhalten: {type}.",
    "too_many": "Lokale Annahmen: höchstens {n} Einträge je Art, erhalten: {count} ({name}).",
    "wrong_type": "Lokale Annahmen: Eintrag vom Typ {cls} erwartet, erhalten: {value}.",
    "two_own": "{where}: zwei Angaben für das Jahr {year}; bitte nur eine je Gemeinde und Jahr.",
    "query_not_text": "URL-Parameter {key}: Text erwartet, erhalten: {type}.",
    "json_not_object": "{where}: ein Objekt mit {kinds} erwartet, erhalten: {value}.",
    "json_unknown_key": "{path}: unbekannter Schlüssel (erlaubt: {allowed}).",
    "json_not_list": "{path}: eine Liste erwartet, erhalten: {value}.",
    "json_not_entry": "{path}: ein Objekt erwartet, erhalten: {value}.",
    "json_unknown_fields": "{path}: unbekannte Felder {unknown} (erlaubt: {allowed}).",
    "json_missing": "{path}: es fehlen die Felder {missing}.",
    "json_invalid": "Lokale Annahmen: kein gültiges JSON ({error}).",
    "not_text": "{kind}: Text erwartet, erhalten: {value}.",
    "bad_format": "{item}: falsches Format, erwartet {syntax}.",
    "not_municipality": "{item}: {value} ist keine Gemeinde des Kreises Düren (erwartet: Gemeindeschlüssel wie "
    "05358044 oder Name wie Nideggen).",
    "not_years": "{item}: {value} ist kein Jahr oder Zeitraum (erwartet z. B. 2026-2030 oder 2027).",
    "not_int": "{item}: {label} {value} ist keine ganze Zahl (erwartet z. B. 200 oder 1.200).",
    "not_dec": "{item}: {label} {value} ist keine Zahl (erwartet z. B. 2,3).",
    "not_ages": "{item}: {value} ist kein Altersbereich (erwartet z. B. 80-100 oder 80+).",
    "not_mode": "{item}: {value} – erwartet 'dauerhaft' oder 'einmalig'.",
    "typed_not_int": "{label}: {value} ist keine ganze Zahl (erwartet z. B. 200 oder 1.200).",
    "typed_not_dec": "{label}: {value} ist keine Zahl (erwartet z. B. 2,3 oder 1.200).",
}

LOCAL: dict[str, str] = {
    "title": "Lokale Annahmen für {name}",
    "intro": (
        "Was die Gemeinde plant, kommt zu den Annahmen für den ganzen Kreis hinzu: geplante Wohnungen "
        "(Neubau), ein eigener Wanderungssaldo der Gemeinde und einmalige Veränderungen wie ein neues "
        "Pflegeheim. Die Wirkung sehen Sie unten für die Planungsaltersgruppen."
    ),
    "pick_municipality": "Bitte wählen Sie oben eine Gemeinde, um lokale Annahmen einzugeben.",
    "none": "Noch keine lokalen Annahmen.",
    "entries": "Eingetragene lokale Annahmen",
    "col_kind": "Art",
    "col_what": "Angabe",
    "col_remove": "Entfernen",
    "kind_new_housing": "Neubau",
    "kind_own_migration": "Eigener Wanderungssaldo",
    "kind_one_off": "Einmalige Veränderung",
    "remove": "Entfernen",
    "remove_label": "{what} entfernen",
    "nb_legend": "Neubau: geplante Wohnungen",
    "nb_dwellings": "Zahl der Wohnungen",
    "nb_from": "fertig ab Jahr",
    "nb_to": "bis Jahr",
    "nb_ppd": "Personen je Wohnung (leer: {default} – mittlere Haushaltsgröße {name}, Zensus 2022)",
    "share": (
        "Anteil der Zuziehenden aus anderen Gemeinden des Kreises in % (leer: 0 % – keine amtliche Zahl; "
        "sie werden dort anteilig abgezogen)"
    ),
    "nb_add": "Neubau hinzufügen",
    "wg_legend": "Eigener Wanderungssaldo der Gemeinde",
    "wg_net": "Wanderungssaldo (Personen je Jahr; negativ: mehr Fort- als Zuzüge)",
    "wg_from": "von Jahr (leer: ab {first})",
    "wg_to": "bis Jahr (leer: bis 2045)",
    "wg_add": "Wanderungssaldo übernehmen",
    "em_legend": "Einmalige Veränderung (z. B. Pflegeheim eröffnet, Unterkunft schließt)",
    "em_year": "Jahr",
    "em_persons": "Personen (Zuzug positiv, Fortzug negativ)",
    "em_age_from": "Alter von",
    "em_age_to": "Alter bis",
    "em_permanent": "Plätze bleiben belegt (Verstorbene werden jedes Jahr ersetzt; nur bei Zuzug)",
    "em_add": "Veränderung hinzufügen",
    "added": "Übernommen: {what}.",
    "removed": "Entfernt: {what}.",
    "empty_field": "{label}: bitte eine Zahl eingeben.",
    "effect_title": "Wirkung auf die Planungsaltersgruppen",
    "effect_year": "Stichtag der Wirkung",
    "effect_reference_basis": "Basis",
    "effect_reference_own": "ohne lokale Annahmen",
    "effect_col_group": "Altersgruppe",
    "effect_col_without": "{reference}",
    "effect_col_with": "mit lokalen Annahmen",
    "effect_col_diff": "Differenz",
    "effect_note": (
        "Personen am 31.12. des gewählten Jahres. Vergleich: dieselben Kreisannahmen ohne lokale Annahmen. "
        "Neubau: Wohnungen × Personen je Wohnung, Altersprofil der Zuzüge über die Kreisgrenze 2020–2024; "
        "Zuzug zur Jahresmitte, danach altern, sterben und bekommen die Zugezogenen Kinder wie alle anderen."
    ),
    "gemeinde_note": "Die übrigen Grafiken dieser Seite zeigen die Basis ohne lokale Annahmen.",
    "open_in_scenarios": "Mit diesen lokalen Annahmen im Szenario-Vergleich öffnen",
    "fan_note_local": (
        " Mit lokalen Annahmen: Streuung der Simulation ohne lokale Annahmen um den Pfad mit ihnen (gleiches "
        "Verfahren wie beim eigenen Szenario). Die lokalen Annahmen selbst gelten dabei als sicher – ob, wann "
        "und wie dicht gebaut wird, ist im Band nicht enthalten."
    ),
    "saved_title": "Gespeicherte Szenarien",
    "saved_for": "Gespeicherte Szenarien mit lokalen Annahmen für {name}",
    "saved_none": "Noch keine gespeicherten Szenarien.",
    "saved_item": "{title} – {who}, {when}",
    "save_legend": "Szenario speichern und teilen",
    "save_login": "Zum Speichern melden Sie sich bitte an (Rolle „planung“ oder „pflege“).",
    "save_login_link": "Anmelden",
    "save_name": "Name des Szenarios",
    "save_description": "Beschreibung (optional)",
    "save_button": "Szenario speichern",
    "saved_ok": "Gespeichert als „{title}“. Link zum Teilen (nur lesend):",
    "permalink_label": "Link zum gespeicherten Szenario",
    "permalink_copy": "Link kopieren",
    "opened": (
        "Gespeichertes Szenario „{title}“ von {who} vom {when} (nur lesend). {description}"
        "Wenn Sie etwas ändern, entsteht ein neues, ungespeichertes Szenario."
    ),
    "opened_withdrawn": "Dieses Szenario wurde am {when} von {who} zurückgezogen.",
    "open_failed": "Das gespeicherte Szenario lässt sich nicht öffnen: {why}",
    "json_legend": "Szenario als Datei",
    "json_download": "Szenario herunterladen (JSON)",
    "json_upload": "Szenario-Datei hochladen (JSON)",
    "json_upload_hint": "Datei hierher ziehen oder klicken (höchstens 64 KB)",
    "json_loaded": "Szenario aus {name} übernommen.",
    "json_failed": "Die Datei {name} wurde nicht übernommen: {why}",
    "json_file": "Datei",
    "json_no_file": "keine Datei erhalten.",
    "json_not_base64": "unerwartete Übertragung (kein base64).",
    "json_too_big": "höchstens {kb} KB erlaubt.",
    "json_broken": "die Übertragung ist beschädigt (base64).",
    # field names in the messages of a wrong form value
    "field_ppd": "Personen je Wohnung",
    "field_share": "Anteil aus dem Kreis",
    "field_net": "Wanderungssaldo",
    "field_persons": "Personen",
}
