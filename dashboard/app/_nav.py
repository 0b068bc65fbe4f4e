"""Navigation targets carry the cross-page selection (municipality, scenario)."""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard.constants import KREIS_AGS

#: Which selection keys each page understands in its URL.
_LOCAL = ("neubau", "wanderung_gemeinde", "einmalig")  # local inputs (dashboard.projection.local)
_PAGE_KEYS = {
    "/gemeinde": ("ags", *_LOCAL),
    "/szenarien": ("ags", "szenario", "tfr", "e0", "wanderung", *_LOCAL),
    "/kurzbericht": ("ags", "szenario", "tfr", "e0", "wanderung", *_LOCAL),
    "/werkzeugkoffer": ("ags", "szenario", *_LOCAL),
}


def nav_href(path: str, sel: dict) -> str:
    """``path`` plus the selection values that page reads (e.g. ``/gemeinde?ags=05358008``)."""
    keys = _PAGE_KEYS.get(path, ())
    q = {k: sel[k] for k in keys if sel.get(k) not in (None, "")}
    if path == "/gemeinde" and q.get("ags") == KREIS_AGS:
        q.pop("ags")
    return f"{path}?{urlencode(q)}" if q else path
