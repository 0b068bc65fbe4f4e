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


def contiguous_age_groups(*starts: int) -> dict[str, tuple[int, int]]:
    """Age groups that follow each other without a gap from 0 to the open group, from their
    lowest ages: label -> (min age, max age incl.), labelled "lo-hi" and the last "lo+" (max
    :data:`OPEN_AGE`). ``contiguous_age_groups(0, 3, 75)`` is
    ``{"0-2": (0, 2), "3-74": (3, 74), "75+": (75, OPEN_AGE)}``."""
    if (
        not starts
        or starts[0] != 0
        or any(b <= a for a, b in zip(starts, starts[1:]))
        or starts[-1] > OPEN_AGE
    ):
        raise ValueError(f"group starts must rise from 0 to at most {OPEN_AGE}, got {starts}")
    ends = [b - 1 for b in starts[1:]] + [OPEN_AGE]
    return {
        (f"{lo}+" if hi == OPEN_AGE else f"{lo}-{hi}"): (lo, hi) for lo, hi in zip(starts, ends, strict=True)
    }


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
PLANNING_AGE_GROUPS: dict[str, tuple[int, int]] = contiguous_age_groups(0, 3, 6, 10, 16, 19, 25, 45, 65, 80)

#: The 17 age groups of Regionalstatistik table 12411-02-03-4/-5 (label -> (min, max incl.)).
AGE_GROUPS_17: dict[str, tuple[int, int]] = contiguous_age_groups(
    0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75
)

#: Census bases of official population figures.
BASIS_VZ1987 = "VZ 1987"
BASIS_Z2011 = "Zensus 2011"
BASIS_Z2022 = "Zensus 2022"

#: Census reference dates (ISO), shown as breaks on history charts: the jump of the official
#: levels at a census is a correction of the register count, not people moving.
CENSUS_DATES: dict[str, str] = {BASIS_Z2011: "2011-05-09", BASIS_Z2022: "2022-05-15"}
