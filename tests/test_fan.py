"""Fan chart builder: one hue, nested bands, median line, no draws, table alternative."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import fan


@pytest.fixture(scope="module")
def result():
    from dashboard.projection.uncertainty import project_probabilistic

    return project_probabilistic(draws=200, seed=5)


def _rgb(color: str) -> str:
    return color.split("(")[1].rsplit(",", 1)[0] if color.startswith("rgba") else color


def test_fan_chart_has_two_bands_in_one_hue_and_a_median(result):
    fig = fan.fan_chart(result.quantiles, ags="05358008", quantity="population", draws=result.draws)
    fills = [t for t in fig.data if t.fill == "tonexty"]
    assert [t.name for t in fills] == ["95-%-Intervall", "80-%-Intervall"]
    hues = {_rgb(t.fillcolor) for t in fills}
    assert hues == {"0,114,178"}  # one hue (Okabe–Ito blue)
    alphas = [float(t.fillcolor.rsplit(",", 1)[1].rstrip(")")) for t in fills]
    assert alphas[0] < alphas[1]  # wider band lighter
    lines = [t for t in fig.data if t.fill is None and t.showlegend is not False]
    assert len(lines) == 1 and "Median" in lines[0].name and "200" in lines[0].name
    assert len(fig.data) == 5  # no spaghetti of draws
    q = result.quantiles[(result.quantiles.ags == "05358008") & (result.quantiles.quantity == "population")]
    q = q.sort_values("year")
    assert np.allclose(lines[0].y, q.q50)
    assert np.allclose(fills[0].y, q.q025) and np.allclose(fills[1].y, q.q10)
    assert fig.layout.separators == ",."
    assert "Düren" in fig.layout.title.text


def test_fan_table_is_german_and_matches(result):
    t = fan.fan_table(result.quantiles, ags="05358012", quantity="80+")
    assert list(t.columns) == ["Jahr", "Median", "80-%-Intervall", "95-%-Intervall"]
    assert t.Jahr.iloc[0] == "2024" and len(t) == 22
    q = result.quantiles
    r = q[(q.ags == "05358012") & (q.quantity == "80+") & (q.year == 2035)].iloc[0]
    row = t[t.Jahr == "2035"].iloc[0]
    from dashboard.text import fmt_int

    assert row["80-%-Intervall"] == f"{fmt_int(r.q10)}–{fmt_int(r.q90)}"


def test_interval_text_rounds_and_formats():
    q = pd.DataFrame(
        {
            "ags": ["05358008"],
            "municipality": ["Düren"],
            "year": [2030],
            "quantity": ["population"],
            "q025": [92_000.0],
            "q10": [93_412.0],
            "q50": [95_081.0],
            "q90": [96_940.0],
            "q975": [98_000.0],
        }
    )
    assert fan.interval_text(q, ags="05358008", year=2030) == "2030: 95.100 (80 %-Intervall 93.400–96.900)"
    assert fan.round_uncertain(4_537) == 4_540 and fan.round_uncertain(987.4) == 987


def test_unknown_quantity_raises(result):
    with pytest.raises(KeyError):
        fan.fan_chart(result.quantiles, ags="05358008", quantity="nope", draws=1)
