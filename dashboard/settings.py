"""Settings from environment variables, read once at import.

===========================  ==========================================  ===========
variable                     meaning                                     default
===========================  ==========================================  ===========
``DASHBOARD_HOST``           address of the development server           127.0.0.1
``DASHBOARD_PORT``           port of the development server              8050
``DASHBOARD_DEBUG``          ``1``/``true`` enables Dash debug mode       off
``DASHBOARD_USER_DATA``      folder for user files (and the default DB)  <repo>/user_data
``DATABASE_URL``             the store's database (SQLAlchemy URL)      SQLite file in the
                                                                         user-data folder
``DASHBOARD_FRAME_ANCESTORS`` origins allowed to embed the app (CSP)     'none'
``DASHBOARD_UPLOAD_MAX_MB``   largest uploaded/imported file (MB); the     10
                             server's request cap follows from it
``DASHBOARD_SECRET_KEY``       key signing sessions and form tokens        random, kept in
                                                                         the user-data folder
``DASHBOARD_SECURE_COOKIES``   ``1``: session cookie only over HTTPS       off
``DASHBOARD_TESTS_ALLOW_SYNTHETIC`` TESTS ONLY: ``1`` lets tables marked       off
                             synthetic (test recordings) be published
===========================  ==========================================  ===========
"""

from __future__ import annotations

import os
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
    upload_max_mb: float = 10.0


def load_settings() -> Settings:
    """Read the settings from the environment (called once by :data:`SETTINGS`)."""
    return Settings(
        host=os.environ.get("DASHBOARD_HOST", "127.0.0.1"),
        port=int(os.environ.get("DASHBOARD_PORT", "8050")),
        debug=_flag("DASHBOARD_DEBUG"),
        user_data_dir=Path(os.environ.get("DASHBOARD_USER_DATA", REPO_DIR / "user_data")),
        frame_ancestors=os.environ.get("DASHBOARD_FRAME_ANCESTORS", "'none'"),
        upload_max_mb=float(os.environ.get("DASHBOARD_UPLOAD_MAX_MB", "").strip() or 10),
    )


SETTINGS: Settings = load_settings()

#: Largest file (bytes) the upload boxes accept and the importers read (tables and catalogues,
#: web and command line) — the ONE declaration of the upload limit.
UPLOAD_MAX_BYTES: int = int(SETTINGS.upload_max_mb * 2**20)
#: Room for the rest of a Dash callback request around the file: the ``data:…;base64,`` prefix,
#: the file name and the other inputs of the callback as JSON.
REQUEST_ENVELOPE_BYTES: int = 256 * 1024


def request_cap_bytes(upload_max_bytes: int) -> int:
    """Largest HTTP request body that carries a file of ``upload_max_bytes`` to a callback:
    base64 turns every 3 bytes into 4 characters (rounded up), plus the envelope."""
    return 4 * -(-int(upload_max_bytes) // 3) + REQUEST_ENVELOPE_BYTES


#: The server's request cap (Flask ``MAX_CONTENT_LENGTH``): a file the upload box accepts is
#: never refused with 413.
MAX_REQUEST_BYTES: int = request_cap_bytes(UPLOAD_MAX_BYTES)


def user_data_dir() -> Path:
    """The user-data folder (``DASHBOARD_USER_DATA``, default ``<repo>/user_data``), resolved.

    Looked up at call time (not frozen in :data:`SETTINGS`) so that a test session or a
    deployment script can point it elsewhere after import; not created here.
    """
    env = os.environ.get("DASHBOARD_USER_DATA", "").strip()
    return (Path(env) if env else REPO_DIR / "user_data").expanduser().resolve()


#: Environment variable that lets the store publish tables marked synthetic (the labelled test
#: recordings of ``tests/data/genesis_api``). For tests only; never set it on a served site.
SYNTHETIC_ENV = "DASHBOARD_TESTS_ALLOW_SYNTHETIC"


def synthetic_tables_allowed() -> bool:
    """True only when :data:`SYNTHETIC_ENV` is ``1`` (looked up at call time): then tables
    marked synthetic may be published and served (tests of the publish path). Otherwise the
    store refuses to publish or restore them and the data layer never serves them."""
    return os.environ.get(SYNTHETIC_ENV, "").strip() == "1"


def database_url() -> str:
    """``DATABASE_URL`` (empty: the store's default SQLite file), looked up at call time."""
    return os.environ.get("DATABASE_URL", "").strip()


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
