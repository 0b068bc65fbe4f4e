"""Navigation targets carry the cross-page selection (municipality, scenario)."""

from __future__ import annotations

from urllib.parse import urlencode

#: Which selection keys each page understands in its URL.
_PAGE_KEYS = {
    "/gemeinde": ("ags", "szenario", "tfr", "e0", "wanderung"),
    "/szenarien": ("ags", "szenario", "tfr", "e0", "wanderung"),
    "/kurzbericht": ("ags", "szenario", "tfr", "e0", "wanderung"),
    "/werkzeugkoffer": ("ags", "szenario"),
}


def nav_href(path: str, sel: dict) -> str:
    """``path`` plus the selection values that page reads (e.g. ``/gemeinde?ags=05358008``)."""
    keys = _PAGE_KEYS.get(path, ())
    q = {k: sel[k] for k in keys if sel.get(k) not in (None, "")}
    return f"{path}?{urlencode(q)}" if q else path
