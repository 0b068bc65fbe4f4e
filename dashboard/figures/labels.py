"""Figure style (palette, house layout) and region names.

The German number/date formatter and the message catalogue live in :mod:`dashboard.text`
(the bottom layer, importable by data and model code); figure and page code import them from
there. This module keeps what needs the project's constants or Plotly: region names, the
colour palette and :func:`style`.

The palette is Okabe–Ito (colour-blind safe); the sexes are orange (female) and bluish
green (male), never pink/blue.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.constants import KREIS_AGS, KREIS_NAME, MUNICIPALITIES, TOWNS
from dashboard.text import PLOTLY_SEPARATORS
from dashboard.text import assumptions_de as text_assumptions_de

# --------------------------------------------------------------------------- names


def region_name(ags: str) -> str:
    """German display name of the Kreis or a municipality (towns carry "Stadt")."""
    if ags == KREIS_AGS:
        return KREIS_NAME
    name = MUNICIPALITIES[ags]
    return f"{name} (Stadt)" if ags in TOWNS else name


def region_options(include_kreis: bool = True) -> list[dict[str, str]]:
    """Dropdown options: Kreis first, then municipalities alphabetically (German collation)."""
    opts = [
        {"label": region_name(a), "value": a}
        for a in sorted(MUNICIPALITIES, key=lambda a: MUNICIPALITIES[a].replace("Ü", "U"))
    ]
    return ([{"label": KREIS_NAME, "value": KREIS_AGS}] if include_kreis else []) + opts


def assumptions_de(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`dashboard.text.assumptions_de` with the municipality names of the Kreis."""
    return text_assumptions_de(table, names={**MUNICIPALITIES, KREIS_AGS: KREIS_NAME})


#: Derived map indicator: relative change of the population to a target year.
CHANGE_KEY = "change"


# --------------------------------------------------------------------------- colours

#: Okabe–Ito palette (colour-blind safe).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6B6B6B",
}
#: Sex colours: orange and bluish green (no pink/blue stereotypes, distinguishable in CVD).
SEX_COLORS = {"female": OKABE_ITO["orange"], "male": OKABE_ITO["green"]}
#: Colour sequence for lines (dark enough for 3:1 contrast on white, yellow left out).
SEQUENCE = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "black", "purple", "sky", "grey")]
#: Sequential colour scale for maps (cividis is perceptually uniform and CVD-safe).
MAP_SCALE = "Cividis"
#: Diverging scale for changes (orange = decline, blue = growth, CVD-safe).
DIVERGING_SCALE = [[0.0, "#C46A1B"], [0.5, "#F7F7F7"], [1.0, "#3A86C2"]]

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


GRID = "#E3E7EC"
AXIS = {"gridcolor": GRID, "linecolor": "#8A939C", "zerolinecolor": GRID, "tickcolor": "#8A939C"}


def base_layout(*, title: str | None = None, height: int | None = None) -> dict:
    """The house layout as a dict: German separators, font, white background, light grid."""
    lay: dict = {
        "separators": PLOTLY_SEPARATORS,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": SEQUENCE,
        "font": {"family": FONT, "size": 14, "color": "#1a1a1a"},
        "margin": {"l": 60, "r": 20, "t": 60 if title else 20, "b": 50},
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "xaxis": dict(AXIS, ticks="outside"),
        "yaxis": dict(AXIS),
    }
    if title:
        lay["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}}
    if height:
        lay["height"] = height
    return lay


def style(fig: go.Figure, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply :func:`base_layout` to a figure (one layout update).

    The style is set explicitly (no named template), so it also holds for figures built
    without validation (:mod:`dashboard.figures._fast`).
    """
    fig.update_layout(base_layout(title=title, height=height))
    return fig
