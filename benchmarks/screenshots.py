"""Take full-page screenshots of every page with Playwright + Debian chromium.

Usage: ``python benchmarks/screenshots.py [BASE_URL] [OUT_DIR]``. Without BASE_URL the app
is served from a thread on a free port. Prints the console errors seen per page.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's dashboard package

from dashboard.settings import HEADLESS_CHROMIUM_ARGS  # noqa: E402

CHROMIUM_ARGS = list(HEADLESS_CHROMIUM_ARGS)
PAGES = {
    "uebersicht": "/",
    "gemeinde": "/gemeinde?ags=05358044&jahr=2035",
    "szenarien": "/szenarien?ags=05358&vergleich=zuwanderung_hoch,geburten_niedrig",
    "kurzbericht": "/kurzbericht?ags=05358012&szenario=basis",
    "methodik": "/methodik",
}


def serve() -> tuple[str, object]:
    import logging

    from werkzeug.serving import make_server

    from dashboard.app import server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    srv = make_server("127.0.0.1", 0, server, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_port}", srv


def main(base: str | None = None, out: str = "screenshots") -> None:
    from playwright.sync_api import sync_playwright

    srv = None
    if not base:
        base, srv = serve()
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for name, path in PAGES.items():
            errors.clear()
            page.goto(base + path)
            page.wait_for_selector("h1", timeout=20000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(800)
            page.screenshot(path=f"{out}/{name}.png", full_page=True)
            print(name, "console errors:", errors)
        page.goto(base + PAGES["kurzbericht"])
        page.wait_for_selector("#kb-title")
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        page.screenshot(path=f"{out}/kurzbericht_print.png", full_page=True)
        pdf = page.pdf(format="A4", print_background=True)
        Path(f"{out}/kurzbericht.pdf").write_bytes(pdf)
        print("brief pdf pages:", pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages"))
        browser.close()
    if srv is not None:
        srv.shutdown()


if __name__ == "__main__":
    main(*(sys.argv[1:3]))
