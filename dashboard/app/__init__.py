"""The Dash app (placeholder until the app issue lands): ``server`` is the WSGI entry point."""

from __future__ import annotations

from dash import Dash, html

from dashboard.settings import SETTINGS

app = Dash(__name__, title="Kreis Düren 2030")
app.layout = html.Main([html.H1("Kreis Düren 2030"),
                        html.P("Das Demografie-Dashboard für den Kreis Düren wird aufgebaut.")])
server = app.server


def run_dev_server(host: str | None = None, port: int | None = None) -> None:
    """Start the Dash development server (debug only if DASHBOARD_DEBUG is set)."""
    app.run(host=host or SETTINGS.host, port=port or SETTINGS.port, debug=SETTINGS.debug)
