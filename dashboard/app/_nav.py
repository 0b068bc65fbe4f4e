"""Navigation targets carry the cross-page selection (municipality, scenario)."""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard.projection.scenarios import URL_KEYS

#: Which selection keys each page understands in its URL (the scenario's keys come from the
#: parameter declaration, so a new parameter travels with every link).
_PAGE_KEYS = {
    "/gemeinde": ("ags", *URL_KEYS),
    "/szenarien": ("ags", *URL_KEYS),
    "/kurzbericht": ("ags", *URL_KEYS),
    "/werkzeugkoffer": ("ags", *URL_KEYS),
}


def nav_href(path: str, sel: dict) -> str:
    """``path`` plus the selection values that page reads (e.g. ``/gemeinde?ags=05358008``)."""
    keys = _PAGE_KEYS.get(path, ())
    q = {k: sel[k] for k in keys if sel.get(k) not in (None, "")}
    return f"{path}?{urlencode(q)}" if q else path
