"""Werkzeugkoffer figures and German texts (on the SYNTHETIC frames of test_measures_link)."""

from __future__ import annotations

from dashboard.figures import measures as FM
from dashboard.projection import measures_link as L
from tests._synthetic_measures import NIDEGGEN, synthetic_age_groups, synthetic_catalogue


def test_indicator_text_worked_examples():
    t = FM.indicator_text("80+", NIDEGGEN, 2024, 2030, 400, 480, 80, 20.0)
    assert t == "80+ in Nideggen 2024 → 2030: +80 (+20,0 %; 400 → 480)"
    t = FM.indicator_text("insgesamt", "05358", 2024, 2030, 279285, 278000.4, -1284.6, -0.46)
    assert t == "Bevölkerung insgesamt im Kreis Düren 2024 → 2030: −1.285 (−0,5 %; 279.285 → 278.000)"
    assert FM.signed_pct(12.34) == "+12,3 %" and FM.signed_pct(-0.04) == "±0,0 %"
    assert FM.signed_pct(-0.4, 0) == "±0 %" and FM.signed_pct(-0.6, 0) == "−1 %"


def test_age_band_text():
    assert FM.age_band_text(65, None, "convention") == "65 Jahre und älter (nach Konvention)"
    assert FM.age_band_text(13, 27, "source") == "13 bis 27 Jahre (laut Quelle)"
    assert FM.age_band_text(0, 6, "convention") == "bis 6 Jahre (nach Konvention)"
    assert FM.age_band_text(0, None, "all ages") == "alle Altersgruppen"


def test_gap_heatmap_marks_gaps():
    table = L.growth_coverage(synthetic_catalogue(), synthetic_age_groups())
    fig = FM.gap_heatmap(table)
    (tr,) = fig.data
    assert len(tr.y) == 15 and list(tr.x) == list(L.PLANNING_AGE_GROUPS)
    cells = {(m, g): tr.text[i][j] for i, m in enumerate(tr.y) for j, g in enumerate(tr.x)}
    gap_cells = {k for k, v in cells.items() if "Lücke" in v}
    assert gap_cells == {("Nideggen", "0-2"), ("Titz", "80+")}
    assert cells[("Nideggen", "80+")].startswith("+20 %")
    assert fig.layout.separators == ",."


def test_coverage_heatmap_counts():
    fig = FM.coverage_heatmap(L.coverage(synthetic_catalogue()))
    (tr,) = fig.data
    assert tr.z.shape == (15, 5) if hasattr(tr.z, "shape") else len(tr.z) == 15
    assert sum(sum(row) for row in tr.z) == 1 + 15 + 1  # S1, S3 everywhere, S4; S2 inactive


def test_coverage_heatmap_hover_agrees_in_number():
    fig = FM.coverage_heatmap(L.coverage(synthetic_catalogue()))
    (tr,) = fig.data
    for zrow, crow in zip(tr.z, tr.customdata):
        for z, (_, phrase) in zip(zrow, crow):
            assert phrase == (f"{int(z)} aktive Maßnahme" if z == 1 else f"{int(z)} aktive Maßnahmen")
