"""The request body of Dash's pages-router callback, as the browser sends it (shared by tests
that render a page through /_dash-update-component)."""

from __future__ import annotations


def router_body(path: str, search: str = "") -> dict:
    """Body of the POST that asks the pages router for ``path`` with query ``search``."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
