"""Base year and the official/estimated inputs of the base (dashboard.data.baseyear).

The 31.12.2025 table used here is the labelled SYNTHETIC recording
``tests/data/genesis_api/basisjahr_2025/`` (the synthetic 2024 table relabelled; see its README).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.constants import AGS_LIST, BASE_YEAR, MUNICIPALITIES
from dashboard.data.baseyear import BASE_INPUT_COLUMNS, base_inputs, base_year, official_base_years
from dashboard.data.estimate import official_municipal_cells
from dashboard.data.genesis import load_genesis

REC = Path(__file__).parent / "data" / "genesis_api"
ZIP = "12411-02-03-5_1765000000000_de_flat.zip"


def _model_frame(path: Path, tmp_path: Path) -> pd.DataFrame:
    """The rows the model reads from a recorded 12411-02-03-5 answer (municipalities × sex × groups)."""
    p = tmp_path / f"{path.parent.name}_12411-02-03-5_de_flat.zip"
    p.write_bytes(path.read_bytes())
    d = load_genesis(p, format="ffcsv", table="12411-02-03-5").data
    d = d[d.ags.isin(list(MUNICIPALITIES)) & d.sex.isin(["female", "male"]) & (d.age_group != "total")]
    f = d.assign(population=d.population.astype("int64")).reset_index(drop=True)
    f.attrs["source"] = f"Aufzeichnung {path.parent.name}"
    return f


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("frames")
    return _model_frame(REC / "regio" / ZIP, tmp), _model_frame(REC / "basisjahr_2025" / ZIP, tmp)


def test_shipped_base_is_2024():
    assert base_year([]) == BASE_YEAR == 2024
    assert official_base_years([]) == []


def test_a_complete_newer_official_table_moves_the_base_year(frames):
    f24, f25 = frames
    assert base_year([f24]) == 2024  # an official 2024 table does not move the base
    assert official_base_years([f24, f25]) == [2025]
    assert base_year([f24, f25]) == 2025


def test_an_incomplete_newer_table_does_not_move_it(frames):
    _, f25 = frames
    partial = f25[f25.ags != AGS_LIST[-1]]  # one municipality missing
    assert base_year([partial]) == BASE_YEAR


def test_cells_of_the_new_base_are_the_official_table(frames):
    _, f25 = frames
    cells, _, prov = official_municipal_cells(2025, [f25])
    assert set(cells) == set(AGS_LIST) and "table=12411-02-03-5" in prov
    for ags, arr in cells.items():
        for s, sex in enumerate(("female", "male")):
            want = f25[(f25.ags == ags) & (f25.sex == sex)].population.sum()
            assert arr[s].sum() == pytest.approx(want, abs=1e-6)
            assert (arr[s] >= 0).all()


def test_base_inputs_say_what_is_official():
    t = base_inputs(2024)
    assert tuple(t.columns) == BASE_INPUT_COLUMNS
    status = dict(zip(t.input, t.official))
    assert status["Kreis Düren nach Geschlecht und 17 Altersgruppen"]
    assert status["Einwohnerzahl je Gemeinde"]  # IT.NRW 12411-15i, official since truthdata step 2
    assert not status["Altersstruktur je Gemeinde (Geschlecht × Altersgruppen)"]
    assert not status["Einzelne Altersjahre innerhalb der Altersgruppen"]
    assert set(t.status) <= {"amtlich", "geschätzt", "teilweise amtlich"}
