"""Navigation targets carry the cross-page selection (municipality, scenario)."""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard.constants import KREIS_AGS
from dashboard.projection.scenarios import PARAMETERS, URL_KEYS

#: Which selection keys each page understands in its URL (the scenario's keys come from the
#: parameter declaration, so a new parameter travels with every link). /gemeinde reads the
#: local (per-municipality) inputs only.
_LOCAL = tuple(p.url_key for p in PARAMETERS if p.target == "local")
_PAGE_KEYS = {
    "/gemeinde": ("ags", *_LOCAL),
    "/szenarien": ("ags", *URL_KEYS),
    "/kurzbericht": ("ags", *URL_KEYS),
    "/werkzeugkoffer": ("ags", *URL_KEYS),
}


def nav_href(path: str, sel: dict) -> str:
    """``path`` plus the selection values that page reads (e.g. ``/gemeinde?ags=05358008``)."""
    keys = _PAGE_KEYS.get(path, ())
    q = {k: sel[k] for k in keys if sel.get(k) not in (None, "")}
    if path == "/gemeinde" and q.get("ags") == KREIS_AGS:
        q.pop("ags")
    return f"{path}?{urlencode(q)}" if q else path
