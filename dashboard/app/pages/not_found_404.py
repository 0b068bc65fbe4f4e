"""German page for unknown addresses (Dash shows the module named ``not_found_404`` for every
path without a page; the server answers it with HTTP 404, see ``dashboard/app/__init__.py``)."""

from __future__ import annotations

import dash
from dash import html

from dashboard.text import T

dash.register_page(
    __name__, path="/404", name="Seite nicht gefunden", title="Seite nicht gefunden – Kreis Düren 2030"
)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1(T["not_found_title"], id="not-found-title"),
            html.P(T["not_found"]),
            html.P(html.A(T["not_found_home"], href="/")),
        ]
    )
