"""Settings from environment variables, read once at import.

===========================  ==========================================  ===========
variable                     meaning                                     default
===========================  ==========================================  ===========
``DASHBOARD_HOST``           address of the development server           127.0.0.1
``DASHBOARD_PORT``           port of the development server              8050
``DASHBOARD_DEBUG``          ``1``/``true`` enables Dash debug mode       off
``DASHBOARD_USER_DATA``      folder for imported user files              <repo>/user_data
``DASHBOARD_FRAME_ANCESTORS`` origins allowed to embed the app (CSP)     'none'
``DASHBOARD_MAX_REQUEST_MB``  largest accepted HTTP request body (MB)     the app's, else 32
``DASHBOARD_PUBLIC_URL``      public address of the site, for links in    none (links
                              files made on the server (PDF)              printed as text)
``DASHBOARD_CACHE_DIR``       folder for rendered PDFs and workbooks      <user data>/cache
``DASHBOARD_PDF_SLOTS``       simultaneous PDF renders on the host        1
``DASHBOARD_PDF_QUEUE``       PDF renders that may wait for a slot        24
===========================  ==========================================  ===========
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on", "ja"}


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    debug: bool
    user_data_dir: Path
    frame_ancestors: str
    max_request_mb: float | None = None
    public_url: str | None = None


_PUBLIC_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~%/-]*)?$")


def public_url(value: str | None) -> str | None:
    """Validated ``DASHBOARD_PUBLIC_URL`` without a trailing slash (None when unset).

    Raises ValueError for anything but a plain ``http(s)://host[:port][/path]`` address.
    """
    raw = (value or "").strip()
    if not raw:
        return None
    if not _PUBLIC_URL.match(raw):
        raise ValueError(
            f"DASHBOARD_PUBLIC_URL={raw!r} ist keine Adresse der Form https://host[/pfad] "
            "(ohne Abfrage und Fragment)."
        )
    return raw.rstrip("/")


def load_settings() -> Settings:
    """Read the settings from the environment (called once by :data:`SETTINGS`)."""
    return Settings(
        host=os.environ.get("DASHBOARD_HOST", "127.0.0.1"),
        port=int(os.environ.get("DASHBOARD_PORT", "8050")),
        debug=_flag("DASHBOARD_DEBUG"),
        user_data_dir=Path(os.environ.get("DASHBOARD_USER_DATA", REPO_DIR / "user_data")),
        frame_ancestors=os.environ.get("DASHBOARD_FRAME_ANCESTORS", "'none'"),
        max_request_mb=(
            float(os.environ["DASHBOARD_MAX_REQUEST_MB"])
            if os.environ.get("DASHBOARD_MAX_REQUEST_MB", "").strip()
            else None
        ),
        public_url=public_url(os.environ.get("DASHBOARD_PUBLIC_URL")),
    )


SETTINGS: Settings = load_settings()

#: Flags for headless Debian Chromium on these machines (server-side brief PDF, browser tests,
#: benchmarks): no sandbox as root, no GPU, and no background network traffic, which a closed
#: network refuses many times per start.
HEADLESS_CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
