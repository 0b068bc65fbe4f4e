"""Municipal population tables in the layout of GENESIS 12411-02-03-5, built for tests.

No official municipal table by sex × age group ships with the project, so the tables here are
TEST FILES, never official figures, and every file says so in its title row:

* :func:`derived_table` — the project's own estimate of 31.12.2024 (``load_population``)
  summed to the 17 age groups and rounded so that the 15 municipalities add up EXACTLY to the
  official Kreis table by sex × age group (largest-remainder rounding per column). Optionally
  ``shift`` persons of one age group are moved from one municipality to another (the Kreis
  margins stay exact): a consistent table whose numbers differ visibly from the estimate.
* :func:`inconsistent_table` — the same with one municipality inflated, so that the municipal
  sums EXCEED the Kreis table (the case of issue 12, finding 1).
* :func:`madeup_table` — small invented counts for all 15 municipalities (finding 7).
* :func:`other_kreis_table` — the derived numbers under the keys of another Kreis
  (Euskirchen, 05366…; finding 3).

The layout (title rows, three header rows, footnote block, "Stand") is that of the project's
sample files (``tests/data/make_samples.py``, modelled on a real Regionalstatistik export).
"""

from __future__ import annotations

import csv
import io

import numpy as np

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, KREIS_AGS, MUNICIPALITIES, SEXES
from tests.data.make_samples import AGE17, wide_rows

TEST_NOTE = "TESTDATEI - abgeleitet aus der Schätzung des Dashboards, nicht amtlich"
#: Euskirchen (05366) and the first municipal keys of that Kreis, for the "other Kreis" case.
OTHER_KREIS = ("05366", "Euskirchen, Kreis")


def estimate_groups(year: int = 2024) -> np.ndarray:
    """The project's estimate summed to (municipality, sex, 17 groups), rounded to whole persons
    with the official Kreis margins kept exactly; int array (15, 2, 17), sexes in ``SEXES`` order."""
    from dashboard.data import kreis_age_groups, load_population

    pop = load_population(year)
    arr = pop.population.to_numpy(dtype=float).reshape(len(AGS_LIST), len(SEXES), -1)
    groups = np.zeros((len(AGS_LIST), len(SEXES), len(AGE_GROUPS_17)))
    for g, (lo, hi) in enumerate(AGE_GROUPS_17.values()):
        groups[:, :, g] = arr[:, :, lo : hi + 1].sum(axis=2)
    k = kreis_age_groups()
    k = k[k.year == year]
    out = np.floor(groups).astype(np.int64)
    for s, sex in enumerate(SEXES):
        for g, label in enumerate(AGE_GROUPS_17):
            target = int(k[(k.sex == sex) & (k.age_group == label)].population.iloc[0])
            missing = target - int(out[:, s, g].sum())
            order = np.argsort(-(groups[:, s, g] - out[:, s, g]), kind="stable")
            out[order[:missing], s, g] += 1
    return out


def _rows(regions: list[tuple[str, str, np.ndarray]], *, year: int, note: str, stand: str) -> list[list]:
    """The classic table export (wide): one row per region, sex × 17 groups + total across, in
    the layout of the project's samples (:func:`make_samples.wide_rows`)."""
    by_region = []
    for ags, name, cells in regions:  # cells: (2, 17) in SEXES order (female, male)
        female, male = cells[SEXES.index("female")], cells[SEXES.index("male")]
        values = {}
        for sex, v in (("total", female + male), ("male", male), ("female", female)):
            values.update({(sex, label): int(x) for label, x in zip(AGE17, v)})
            values[(sex, "Insgesamt")] = int(v.sum())
        by_region.append((ags, name, values))
    return wide_rows("12411-02-03-5", "regionale Ebenen", f"{year}-12-31", by_region, note, stand)


def _csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("cp1252")


def table_bytes(
    cells: np.ndarray, *, year: int = 2024, note: str = TEST_NOTE, kreis=None, keys=None
) -> bytes:
    """CSV bytes of a 12411-02-03-5 table: Kreis row + one row per municipality.

    ``cells`` (15, 2, 17) int; ``kreis`` (2, 17) defaults to the municipal sum; ``keys`` a list
    of (ags, name) for the rows (default: Kreis Düren and its 15 municipalities).
    """
    keys = keys or [(KREIS_AGS, "Düren, Kreis")] + [(a, MUNICIPALITIES[a]) for a in AGS_LIST]
    kreis_cells = cells.sum(axis=0) if kreis is None else kreis
    regions = [(keys[0][0], f"      {keys[0][1]}", kreis_cells)]
    regions += [(a, f"        {name}", cells[i]) for i, (a, name) in enumerate(keys[1:])]
    return _csv_bytes(_rows(regions, year=year, note=note, stand=f"{year + 1}-06-30"))


def derived_table(*, shift: int = 0, year: int = 2024) -> bytes:
    """Consistent test table (Kreis margins exact); ``shift`` persons aged 75+ (both sexes)
    move from Düren (05358008) to Heimbach (05358012)."""
    cells = estimate_groups(year)
    if shift:
        g = list(AGE_GROUPS_17).index(list(AGE_GROUPS_17)[-1])
        for s in range(len(SEXES)):
            cells[AGS_LIST.index("05358008"), s, g] -= shift
            cells[AGS_LIST.index("05358012"), s, g] += shift
    note = TEST_NOTE + (
        f" (je Geschlecht {shift} Personen 75+ von Düren nach Heimbach verschoben)" if shift else ""
    )
    return table_bytes(cells, year=year, note=note, kreis=estimate_groups(year).sum(axis=0))


def inconsistent_table(*, excess: int = 7137, year: int = 2024) -> bytes:
    """Well-formed, but Düren's women 75+ exceed the Kreis table by ``excess`` persons; the Kreis
    row printed in the file is the official one."""
    cells = estimate_groups(year)
    kreis = cells.sum(axis=0).copy()
    cells[AGS_LIST.index("05358008"), SEXES.index("female"), -1] += excess
    return table_bytes(cells, year=year, kreis=kreis, note=TEST_NOTE + " (Düren absichtlich zu groß)")


def madeup_table(*, per_group: int = 41, year: int = 2024) -> bytes:
    """Invented counts: every municipality has ``per_group`` persons in each age group (split
    20/21 between the sexes), 697 persons per municipality by default."""
    cells = np.zeros((len(AGS_LIST), len(SEXES), len(AGE_GROUPS_17)), dtype=np.int64)
    cells[:, 0, :] = per_group // 2
    cells[:, 1, :] = per_group - per_group // 2
    return table_bytes(cells, year=year, note="TESTDATEI - erfundene Zahlen, nicht amtlich")


def other_kreis_table(year: int = 2024) -> bytes:
    """The derived numbers under the keys of Kreis Euskirchen (05366…)."""
    keys = [OTHER_KREIS] + [(f"05366{i * 4 + 4:03d}", f"Gemeinde {i + 1}") for i in range(len(AGS_LIST))]
    return table_bytes(estimate_groups(year), year=year, keys=keys)
