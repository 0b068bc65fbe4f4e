"""Constants shared by every layer (data contract, axis order, municipalities).

Arrays use the axis order ``(region, sex, age)``; draws ``(draw, region, sex, age)``.
Sex index 0 is ``"female"``, 1 is ``"male"`` (order of :data:`SEXES`).
"""

from __future__ import annotations

#: Highest single age; the value stands for the open age group "100 and older".
OPEN_AGE: int = 100
#: Number of single-age cells per sex (0 … OPEN_AGE).
N_AGES: int = OPEN_AGE + 1
#: Sex labels in array order.
SEXES: tuple[str, str] = ("female", "male")
#: Ages of women exposed to childbearing (15–49 inclusive).
FERTILE_AGES: range = range(15, 50)

#: AGS of Kreis Düren.
KREIS_AGS: str = "05358"
KREIS_NAME: str = "Kreis Düren"

#: The 15 municipalities of Kreis Düren, AGS -> short German name (checked against
#: VG250, Destatis GV Auszug and Zensus 2022 1000A; all are verbandsfreie Gemeinden).
MUNICIPALITIES: dict[str, str] = {
    "05358004": "Aldenhoven",
    "05358008": "Düren",
    "05358012": "Heimbach",
    "05358016": "Hürtgenwald",
    "05358020": "Inden",
    "05358024": "Jülich",
    "05358028": "Kreuzau",
    "05358032": "Langerwehe",
    "05358036": "Linnich",
    "05358040": "Merzenich",
    "05358044": "Nideggen",
    "05358048": "Niederzier",
    "05358052": "Nörvenich",
    "05358056": "Titz",
    "05358060": "Vettweiß",
}
#: Municipalities that carry the title "Stadt".
TOWNS: frozenset[str] = frozenset({"05358008", "05358012", "05358024", "05358036", "05358044"})
AGS_LIST: tuple[str, ...] = tuple(MUNICIPALITIES)

#: Base year of projections (population at 31 December).
BASE_YEAR: int = 2024

#: Planning age groups (Bertelsmann Wegweiser Kommune), label -> (min age, max age incl.).
PLANNING_AGE_GROUPS: dict[str, tuple[int, int]] = {
    "0-2": (0, 2),
    "3-5": (3, 5),
    "6-9": (6, 9),
    "10-15": (10, 15),
    "16-18": (16, 18),
    "19-24": (19, 24),
    "25-44": (25, 44),
    "45-64": (45, 64),
    "65-79": (65, 79),
    "80+": (80, OPEN_AGE),
}

#: The 17 age groups of Regionalstatistik table 12411-02-03-4/-5 (label -> (min, max incl.)).
AGE_GROUPS_17: dict[str, tuple[int, int]] = {
    "0-2": (0, 2),
    "3-5": (3, 5),
    "6-9": (6, 9),
    "10-14": (10, 14),
    "15-17": (15, 17),
    "18-19": (18, 19),
    "20-24": (20, 24),
    "25-29": (25, 29),
    "30-34": (30, 34),
    "35-39": (35, 39),
    "40-44": (40, 44),
    "45-49": (45, 49),
    "50-54": (50, 54),
    "55-59": (55, 59),
    "60-64": (60, 64),
    "65-74": (65, 74),
    "75+": (75, OPEN_AGE),
}

#: Census bases of official population figures.
BASIS_VZ1987 = "VZ 1987"
BASIS_Z2011 = "Zensus 2011"
BASIS_Z2022 = "Zensus 2022"

#: Census reference dates (ISO), shown as breaks on history charts: the jump of the official
#: levels at a census is a correction of the register count, not people moving.
CENSUS_DATES: dict[str, str] = {BASIS_Z2011: "2011-05-09", BASIS_Z2022: "2022-05-15"}
