"""The browser's plotly.js is the cartesian partial bundle in assets (1.5 MB instead of 4.8 MB).

dcc.Graph uses ``window.Plotly`` when a page already has it, so the file in ``assets/`` replaces
the full bundle Dash would fetch. It must stay the same plotly.js version as the ``plotly``
package (figures are built for that version) and must contain every trace type the code draws.
"""

from __future__ import annotations

import re
from pathlib import Path

import plotly
import pytest

import dashboard
from tests._live import wait_until

PKG = Path(dashboard.__file__).resolve().parent
BUNDLE = PKG / "app" / "assets" / "plotly-cartesian.min.js"
FULL = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _version(path: Path) -> str:
    head = path.read_text(encoding="utf-8", errors="replace")[:400]
    m = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)", head)
    assert m, f"{path}: no plotly.js version in the header"
    return m.group(1)


def _trace_types(path: Path) -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', path.read_text(encoding="utf-8")))


def test_bundle_is_the_plotly_packages_version():
    assert _version(BUNDLE) == _version(FULL), (
        "assets/plotly-cartesian.min.js must be plotly.js-cartesian-dist-min of the plotly.js "
        "version in the plotly package (npm pack plotly.js-cartesian-dist-min@<version>)"
    )


def test_every_trace_type_the_code_uses_is_in_the_bundle():
    available = _trace_types(BUNDLE)
    assert {"scatter", "bar", "heatmap"} <= available
    used = set()
    for path in PKG.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= {n.lower() for n in re.findall(r"\bgo\.([A-Z][A-Za-z0-9]*)\(", text)}
        used |= set(re.findall(r"""["']type["']\s*:\s*["']([a-z0-9]+)["']""", text)) & _trace_types(FULL)
    used -= {"figure", "frame", "layout"}
    assert used, "no trace type found: the scan is broken"
    assert used <= available, f"trace types missing in the cartesian bundle: {sorted(used - available)}"


@pytest.mark.browser
def test_pages_draw_with_the_cartesian_bundle_and_never_fetch_the_full_one(live_server, browser_page):
    page = browser_page
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    for path in ("/", "/gemeinde?ags=05358012", "/werkzeugkoffer"):
        page.goto(live_server + path)
        page.wait_for_selector("#inhalt h1")
        page.wait_for_load_state("networkidle")
        wait_until(page, "document.querySelectorAll('.js-plotly-plot .main-svg').length > 0", timeout=60)
    assert any("/assets/plotly-cartesian.min.js" in u for u in scripts), scripts
    assert not [u for u in scripts if "plotly.min.js" in u and "cartesian" not in u], scripts
    assert page.evaluate("() => window.Plotly.version") == _version(FULL)
    assert page.console_errors == []
