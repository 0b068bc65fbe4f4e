"""The method text of a population estimate, German and English, from its summary.

Written for :func:`dashboard.data.estimate.estimate_population` (``Estimate.method_de`` /
``method_en``): what was official, what was estimated and how, with the measured figures
of the raking (iterations, persons moved, largest adjustment).
"""

from __future__ import annotations

import numpy as np

from dashboard.constants import BASIS_Z2022
from dashboard.text import fmt_dec


def _totals_sentence(s: dict) -> tuple[str, str]:
    """German and English sentence on the municipal totals used as margin (official or estimated)."""
    y = s["year"]
    if s["basis"] == BASIS_Z2022 and not s["municipal_totals_estimated"]:
        return (
            f"Die Einwohnerzahlen der Gemeinden am 31.12.{y} sind amtlich (IT.NRW, Tabelle 12411-15i); "
            "geschätzt ist ihre Aufteilung nach Alter und Geschlecht. ",
            f"The municipal totals of 31.12.{y} are official (IT.NRW table 12411-15i); their split by age "
            "and sex is estimated. ",
        )
    if s["basis"] == BASIS_Z2022:
        return (
            "Die Gemeindesummen sind selbst geschätzt (amtliche Werte liegen für diesen Stichtag nicht vor): "
            "zwischen dem Zensus-2022-Ergebnis (15.05.2022) und den amtlichen Einwohnerzahlen vom 31.12.2024 "
            "(IT.NRW 12411-15i) zeitlich interpoliert und auf die amtliche Kreissumme abgestimmt. ",
            "Municipal totals are themselves estimated (no official figure for this date): interpolated in "
            "time between the Zensus 2022 result (15.05.2022) and the official totals of 31.12.2024 (IT.NRW "
            "12411-15i), constrained to the official Kreis total. ",
        )
    if s["municipal_totals_estimated"]:
        return (
            "Die Gemeindesummen sind selbst geschätzt (amtliche Werte liegen für diesen Stichtag nicht vor): "
            "Gemeindeanteile zwischen amtlichen Stichtagen interpoliert und auf die amtliche Kreissumme "
            "abgestimmt. ",
            "Municipal totals are themselves estimated (no official figure for this date): municipal shares "
            "interpolated between official dates, constrained to the official Kreis total. ",
        )
    return (
        "Die Gemeindesummen nach Geschlecht sind amtlich (Destatis Gemeindeverzeichnis). ",
        "Municipal totals by sex are official (Destatis GV). ",
    )


def _closing_sentences(s: dict) -> tuple[str, str]:
    """German and English end of a method text: the municipal totals, then how many municipalities
    an official municipal table replaced (nothing when none)."""
    totals_de, totals_en = _totals_sentence(s)
    n_off = len(s["official_municipal_tables"])
    if not n_off:
        return totals_de, totals_en
    return (
        totals_de + f"Für {n_off} Gemeinde(n) wurde eine amtliche Gemeindetabelle übernommen.",
        totals_en + f"An official municipal table replaced the estimate for {n_off} municipality(ies).",
    )


def _census_method_texts(s: dict) -> tuple[str, str]:
    """German and English method text of the census-anchored estimate (Zensus 2022 basis)."""
    y = s["year"]
    closing_de, closing_en = _closing_sentences(s)
    adj = np.expm1(s["max_abs_log_adjustment_group17"])
    if s["kreis_single_ages_official"]:
        ages_de = (
            "Die Zahl der Personen je Altersjahr liefert die amtliche Kreistabelle nach Einzelalter "
            "(IT.NRW 12411-09i, 0 bis 89 Jahre und 90+); geschätzt sind ihre Aufteilung nach Geschlecht "
            "(Frauenanteil der Sterbetafel Deutschland 2023/25, glatt korrigiert, sodass die amtlichen "
            "17 Altersgruppen nach Geschlecht exakt stimmen) und die Verteilung von 90+ auf 90 bis 100+ "
            "(nach der Sterbetafel). "
        )
        ages_en = (
            "The persons per year of age come from the official Kreis single ages (IT.NRW 12411-09i, "
            "0–89 and 90+); their split by sex (life-table female share with a smooth correction that "
            "meets the official 17 groups by sex exactly) and the split of 90+ over 90–100+ (life "
            "table) are estimated. "
        )
        margins_de = ", die amtlichen Einzelalter des Kreises"
        margins_en = ", the official Kreis single ages"
    else:
        ages_de = (
            "Die Kreiswerte je Altersjahr sind aus den amtlichen 17 Altersgruppen nach Geschlecht "
            "interpoliert (PCHIP; 75+ nach der Sterbetafel Deutschland 2023/25). "
        )
        ages_en = (
            "The Kreis values per year of age are interpolated from the official 17 groups by sex "
            "(PCHIP; 75+ by the Germany 2023/25 life table). "
        )
        margins_de = margins_en = ""
    de = (
        f"Bevölkerung nach Gemeinde, Geschlecht und Einzelalter am 31.12.{y} (Basis Zensus 2022) – "
        "Schätzung, verankert im Zensus 2022: Die amtlichen Altersklassen jeder Gemeinde aus dem "
        "Zensus 2022 (15.05.2022, 11 Klassen) werden jahrgangsweise bis zum "
        f"31.12.{y} fortgeschrieben. Jede Gemeinde behält ihren Zensus-Anteil an jedem Geburtsjahrgang "
        "des Kreises; ihre Jahrgänge verändern sich also wie die des Kreises (Sterbefälle und "
        "Wanderungssaldo des Kreises je Jahrgang, als Rate auf die örtliche Bevölkerung übertragen). "
        "Nach dem Zensusstichtag Geborene werden wie die Altersklasse 0–2 verteilt. "
        + ages_de
        + "Den Frauenanteil jeder Gemeinde übernimmt die Schätzung aus dem Zensus 2022. Anschließend "
        "werden die Werte iterativ proportional angepasst (IPF), bis die Einwohnerzahlen der Gemeinden"
        + margins_de
        + " und die amtlichen Kreiswerte nach Geschlecht und 17 Altersgruppen exakt getroffen sind "
        f"({s['ipf_iterations']} Iterationen; verschoben wurden {fmt_dec(s['persons_moved'], 0)} Personen "
        f"= {fmt_dec(100 * s['persons_moved_share'], 2)} %, größte Anpassung einer Altersgruppe "
        f"±{fmt_dec(100 * adj, 1)} %). " + closing_de
    )
    en = (
        f"Population by municipality, sex and single age at 31.12.{y} (Zensus 2022 basis) – estimate "
        "anchored on the Zensus 2022: each municipality's official census age classes (15.05.2022, 11 "
        f"classes) are carried forward cohort by cohort to 31.12.{y}. Every municipality keeps its census "
        "share of each Kreis birth cohort, so its cohorts change like the Kreis's (Kreis deaths and net "
        "migration per cohort, applied as rates to the local population); persons born after the census "
        "day are shared like the class 0–2. "
        + ages_en
        + "The female share of each municipality is its Zensus 2022 share. The cells are then raked "
        "(IPF) until the municipal totals"
        + margins_en
        + " and the official Kreis figures by sex × 17 age groups are met exactly "
        f"({s['ipf_iterations']} iterations; {s['persons_moved']:,.0f} persons = "
        f"{100 * s['persons_moved_share']:.2f} % moved, largest group adjustment ±{100 * adj:.1f} %). "
        + closing_en
    )
    return de.strip(), en.strip()


def method_texts(s: dict) -> tuple[str, str]:
    """German and English method text of an estimate from its ``summary`` (see
    :class:`dashboard.data.estimate.Estimate`)."""
    if s.get("method_kind") == "zensus2022_aged_forward":
        return _census_method_texts(s)
    y = s["year"]
    closing_de, closing_en = _closing_sentences(s)
    de = (
        f"Bevölkerung nach Gemeinde, Geschlecht und Einzelalter am 31.12.{y} (Basis {s['basis']}) – "
        "Schätzung: Die amtlichen 17 Altersgruppen des Kreises (Regionalstatistik) werden mit einer "
        "monotonen kubischen Interpolation (PCHIP) der kumulierten Bevölkerung in Einzelalter zerlegt; "
        "die Gruppe 75+ wird nach der Sterbetafel Deutschland 2023/25 auf 75 bis 100+ verteilt. Die "
        "Altersanteile je Gemeinde aus dem Zensus-2011-Gitter (5 Gruppen, über das Alter stetig "
        "geglättet, Gruppenmittel exakt erhalten) dienen als Startwerte; diese werden "
        "iterativ proportional angepasst (IPF), bis die amtlichen Kreiswerte nach Geschlecht und "
        f"Altersgruppe und die Gemeindesummen nach Geschlecht exakt getroffen sind "
        f"({s['ipf_iterations']} Iterationen; größte Anpassung ±{fmt_dec(100 * np.expm1(s['max_abs_log_adjustment_group17']), 2)} %). "
        + "Annahme: Das Altersprofil jeder Gemeinde relativ zum Kreis entspricht dem vom Mai 2011. "
        + closing_de
    )
    en = (
        f"Population by municipality, sex and single age at 31.12.{y} ({s['basis']} basis) – estimate: "
        "the Kreis's 17 official age groups are split into single years by monotone cubic (PCHIP) "
        "interpolation of the cumulative population; 75+ follows the Germany 2023/25 life table. "
        "Zensus 2011 grid age shares per municipality (5 groups, spread smoothly over age with every "
        "group mean kept exactly) form the prior, raked (IPF) until the official "
        "Kreis figures by sex × age group and the municipal totals by sex are met exactly "
        f"({s['ipf_iterations']} iterations; largest adjustment ±{100 * np.expm1(s['max_abs_log_adjustment_group17']):.2f} %). "
        + "Assumption: each municipality's age profile relative to the Kreis is that of May 2011. "
        + closing_en
    )
    return de.strip(), en.strip()
