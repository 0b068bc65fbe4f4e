"""Effect of local inputs (Neubau, own migration, one-off changes) on the planning age groups."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import _fast as fast
from dashboard.figures.labels import AXIS, OKABE_ITO, base_layout, region_name


def local_effect_figure(effect: pd.DataFrame, *, ags: str, year: int, reference: str = "Basis") -> go.Figure:
    """Horizontal bars: persons more (or fewer) per planning age group than ``reference``.

    Parameters
    ----------
    effect : rows ``label, without, with_local, difference`` (persons), in display order
        (:func:`dashboard.app._model.local_effect`).

    Built without Plotly's property validation (one layout dict; a slider move must stay fast);
    the tests re-validate it.
    """
    d = effect.iloc[::-1]  # first group at the top
    colors = [OKABE_ITO["blue"] if v >= 0 else OKABE_ITO["vermillion"] for v in d.difference]
    layout = base_layout(
        title=f"{region_name(ags)} 31.12.{year}: Wirkung der lokalen Annahmen gegenüber {reference}",
        height=340,
    )
    layout["xaxis"] = dict(
        AXIS, ticks="outside", tickformat=",.0f", title={"text": "Personen"}, zeroline=True
    )
    layout["xaxis"]["zerolinecolor"] = "#333333"
    layout["yaxis"] = dict(AXIS, automargin=True)
    layout["showlegend"] = False
    bar = fast.Bar(
        x=list(d.difference),
        y=list(d.label),
        orientation="h",
        name=f"mit lokalen Annahmen – {reference}",
        marker={"color": colors},
        hovertemplate="%{y}: %{x:+,.0f} Personen<extra></extra>",
    )
    return fast.Figure(data=[bar], layout=layout)
