"""SYNTHETIC fixtures for the measures linking tests: invented numbers and measures.

Not real data: every population figure and every measure here is made up for the arithmetic
of worked examples (ids S1-S4, URLs on example.org).
"""

from __future__ import annotations

import pandas as pd

from dashboard.constants import KREIS_AGS, MUNICIPALITIES, PLANNING_AGE_GROUPS
from dashboard.data import measures as M
from dashboard.data.measures.catalogue import _frames

F = M.FIELDS_OF_ACTION
NIDEGGEN, TITZ, DUEREN, HEIMBACH = "05358044", "05358056", "05358008", "05358012"


def synthetic_age_groups() -> pd.DataFrame:
    """SYNTHETIC projection: every group 400 persons in every year, except declared changes."""
    growth = {  # (ags, group) -> (2030, 2045) population; base 2024 is 400 (or 20 for Heimbach 3-5)
        (NIDEGGEN, "80+"): (480, 560),  # +80, +20 %: strongly growing
        (NIDEGGEN, "0-2"): (480, 400),  # +80, +20 %
        (DUEREN, "0-2"): (420, 380),  # +20, +5 %: not strongly growing
        (TITZ, "80+"): (520, 600),  # +120, +30 %
        (HEIMBACH, "3-5"): (30, 30),  # +10 persons, +50 %: below the persons floor
    }
    rows = []
    for ags, name in MUNICIPALITIES.items():
        for g in PLANNING_AGE_GROUPS:
            base = 20 if (ags, g) == (HEIMBACH, "3-5") else 400
            p30, p45 = growth.get((ags, g), (base, base))
            for year, pop in ((2024, base), (2030, p30), (2045, p45)):
                rows.append((ags, name, year, g, float(pop)))
    df = pd.DataFrame(rows, columns=["ags", "municipality", "year", "age_group", "population"])
    kreis = df.groupby(["year", "age_group"], as_index=False, sort=False).population.sum()
    kreis["ags"], kreis["municipality"] = KREIS_AGS, "Kreis Düren"
    df = pd.concat([df, kreis], ignore_index=True)
    df["share"] = df.population / df.groupby(["ags", "year"]).population.transform("sum")
    return df


def synthetic_catalogue() -> M.Catalogue:
    """SYNTHETIC catalogue of four invented measures (ids S1-S4)."""

    def m(i, field, lo, hi, basis, status):
        return {
            "id": i,
            "title": f"Synthetisch {i}",
            "field_of_action": field,
            "target_group": "x",
            "age_min": lo,
            "age_max": hi,
            "age_band_basis": basis,
            "age_band_note": "synthetisch",
            "status": status,
            "start_year": None,
            "lead": "",
            "description": "",
            "municipality_text": "",
        }

    measures = [
        m("S1", F[4], 65, None, "convention", "laufend"),  # seniors, Nideggen only
        m("S2", F[1], 0, 6, "convention", "abgeschlossen"),  # Kita, whole district, ended
        m("S3", F[3], 0, None, "all ages", "laufend"),  # bus for all, whole district
        m("S4", F[2], 80, None, "source", "laufend"),
    ]  # 80+, Düren only
    munis = [
        ("S1", NIDEGGEN, "Nideggen"),
        ("S2", KREIS_AGS, "Kreis Düren"),
        ("S3", KREIS_AGS, "Kreis Düren"),
        ("S4", DUEREN, "Düren"),
    ]
    srcs = [(i, f"https://example.org/{i}") for i in ("S1", "S2", "S3", "S4")]
    return M.Catalogue(*_frames(measures, munis, srcs), origin="synthetic")
