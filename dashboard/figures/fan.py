"""Fan charts of the probabilistic projection: 80 % and 95 % bands in one hue and the median.

Honest uncertainty that does not draw the eye to extremes: two nested bands in one colour
(the wider one lighter), the median as a line, no individual draws. Every chart has a data
table alternative (:func:`fan_table`) and an accessible name in its title.

Input frame (``ProbabilisticResult.quantiles``): ``ags, municipality, year, quantity,
q025, q10, q50, q90, q975`` (persons).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.labels import OKABE_ITO, region_name, style
from dashboard.text import INDICATORS, PLANNING_GROUP_LABELS, fmt_int

#: The one hue of the fan (Okabe–Ito blue).
FAN_COLOR = OKABE_ITO["blue"]
BAND_ALPHA = {0.95: 0.16, 0.8: 0.34}


#: Quantities offered in the app's fan charts (totals and key planning groups).
KEY_QUANTITIES: tuple[str, ...] = ("population", "0-2", "3-5", "6-9", "n_65plus", "n_80plus")


def quantity_options() -> list[dict[str, str]]:
    """Dropdown options (German label, value) of :data:`KEY_QUANTITIES`."""
    return [{"label": quantity_label(q), "value": q} for q in KEY_QUANTITIES]


def quantity_label(quantity: str) -> str:
    """German label of a quantity (population, n_65plus, n_80plus or a planning age group)."""
    if quantity in INDICATORS:
        return INDICATORS[quantity][0]
    if quantity in PLANNING_GROUP_LABELS:
        return f"Alter {PLANNING_GROUP_LABELS[quantity]}"
    raise KeyError(quantity)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _select(quantiles: pd.DataFrame, ags: str, quantity: str) -> pd.DataFrame:
    q = quantiles[(quantiles.ags == ags) & (quantiles.quantity == quantity)].sort_values("year")
    if q.empty:
        raise KeyError(f"no quantiles for {ags} / {quantity}")
    return q


def fan_chart(
    quantiles: pd.DataFrame,
    *,
    ags: str,
    quantity: str = "population",
    draws: int,
    history: pd.DataFrame | None = None,
    title: str | None = None,
    height: int | None = 380,
) -> go.Figure:
    """Fan chart for one region and quantity.

    Parameters
    ----------
    quantiles : ``ProbabilisticResult.quantiles``.
    ags : region key (municipality or ``"05358"``).
    quantity : e.g. ``"population"``, ``"n_80plus"``, ``"3-5"``.
    draws : number of draws behind the quantiles (stated in the legend).
    history : optional ``year, population`` of observed values drawn as a black line.
    title : chart title (default: quantity and region).

    Returns
    -------
    Figure with traces, in order: 95 % band (upper edge, filled lower edge), 80 % band
    (upper, lower), median line, optional history line. Bands are filled areas of
    :data:`FAN_COLOR`; hover shows German numbers.
    """
    q = _select(quantiles, ags, quantity)
    label = quantity_label(quantity)
    fig = go.Figure()
    for level, lo, hi in ((0.95, "q025", "q975"), (0.8, "q10", "q90")):
        pct = round(level * 100)
        text = [f"{y}: {pct}-%-Intervall {fmt_int(a)}–{fmt_int(b)}" for y, a, b in zip(q.year, q[lo], q[hi])]
        fig.add_trace(
            go.Scatter(
                x=q.year,
                y=q[hi],
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
                name=f"{pct}-%-Intervall obere Grenze",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=q.year,
                y=q[lo],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_rgba(FAN_COLOR, BAND_ALPHA[level]),
                name=f"{pct}-%-Intervall",
                text=text,
                hovertemplate="%{text}<extra></extra>",
            )
        )
    med = [f"{y}: Median {fmt_int(v)}" for y, v in zip(q.year, q.q50)]
    fig.add_trace(
        go.Scatter(
            x=q.year,
            y=q.q50,
            mode="lines",
            line={"color": FAN_COLOR, "width": 2.5},
            name=f"Median ({fmt_int(draws)} Simulationen)",
            text=med,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    if history is not None and not history.empty:
        h = history.sort_values("year")
        fig.add_trace(
            go.Scatter(
                x=h.year,
                y=h.population,
                mode="lines+markers",
                line={"color": OKABE_ITO["black"], "width": 1.5},
                marker={"size": 4},
                name="amtlich / Basis",
                text=[f"{y}: {fmt_int(v)}" for y, v in zip(h.year, h.population)],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.add_vline(x=int(q.year.min()), line={"color": OKABE_ITO["grey"], "width": 1, "dash": "dot"})
    style(
        fig, title=title or f"{label}: {region_name(ags)} – Vorausberechnung mit Unsicherheit", height=height
    )
    fig.update_yaxes(tickformat=",.0f", title_text="Personen")
    fig.update_xaxes(title_text="Jahr (31.12.)")
    # Legend above the plot area (below the title): below the plot it collided with the x-axis title.
    # The title is pinned to the top of the figure; the legend pushes the top margin as it wraps.
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"},
        title={"yref": "container", "y": 0.98, "yanchor": "top"},
        margin={"t": 95, "b": 55},
    )
    return fig


def fan_table(quantiles: pd.DataFrame, *, ags: str, quantity: str = "population") -> pd.DataFrame:
    """Data table alternative of :func:`fan_chart` (German headers, formatted numbers)."""
    q = _select(quantiles, ags, quantity)
    return pd.DataFrame(
        {
            "Jahr": q.year.astype(int).astype(str),
            "Median": [fmt_int(v) for v in q.q50],
            "80-%-Intervall": [f"{fmt_int(a)}–{fmt_int(b)}" for a, b in zip(q.q10, q.q90)],
            "95-%-Intervall": [f"{fmt_int(a)}–{fmt_int(b)}" for a, b in zip(q.q025, q.q975)],
        }
    ).reset_index(drop=True)


def round_uncertain(x: float) -> float:
    """Round an uncertain count so that it does not pretend precision.

    Hundreds from 10,000 on, tens from 1,000 on, else whole persons.
    """
    step = 100 if abs(x) >= 10_000 else 10 if abs(x) >= 1_000 else 1
    return round(x / step) * step


def interval_text(quantiles: pd.DataFrame, *, ags: str, year: int, quantity: str = "population") -> str:
    """Sentence fragment for the brief: ``"2030: 95.100 (80 %-Intervall 93.400–96.900)"``.

    Numbers are rounded with :func:`round_uncertain`.
    """
    q = _select(quantiles, ags, quantity)
    r = q[q.year == year]
    if r.empty:
        raise KeyError(f"no interval for {year}")
    r = r.iloc[0]
    m, lo, hi = (fmt_int(round_uncertain(v)) for v in (r.q50, r.q10, r.q90))
    return f"{year}: {m} (80 %-Intervall {lo}–{hi})"
