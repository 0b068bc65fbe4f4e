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
``DASHBOARD_PUBLIC_URL``      public address of the site, for links in    none (links
                              files made on the server (PDF)              printed as text)
``DASHBOARD_CACHE_DIR``       folder for rendered PDFs and workbooks      <user data>/cache
``DASHBOARD_PDF_SLOTS``       simultaneous PDF renders on the host        1
``DASHBOARD_PDF_QUEUE``       PDF renders that may wait for a slot        24
``DASHBOARD_TESTS_ALLOW_SYNTHETIC`` TESTS ONLY: ``1`` lets tables marked       off
                             synthetic (test recordings) be published
``DASHBOARD_RATELIMIT_STORAGE`` counters of the sign-in rate limits       memory://
                             (shared, e.g. ``redis://…``)
``DASHBOARD_WARM_UP``         ``background`` (thread at start), ``master``  background
                             (gunicorn.conf.py warms up before forking),
                             ``off``
``PYSTATIS_<S>_API_USERNAME``  account of a statistics web service for     OS keyring
``PYSTATIS_<S>_API_PASSWORD``  ``data update`` (S = REGIO, NRW, …)
``DASHBOARD_UPDATE_URL_<S>``   other address of that web service (tests)    the service's
                                                                         own address
``DASHBOARD_UPDATE_RECORDINGS`` folder of recorded answers: the app's      online
                             "Daten aktualisieren" replays them (tests)
===========================  ==========================================  ===========

Every environment variable of the package is read here and nowhere else (``gunicorn.conf.py``
reads its own ``GUNICORN_*``). Values that a test or a deployment script may change after import
are read at call time by the functions below; the rest once, into :data:`SETTINGS`.
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
    upload_max_mb: float = 10.0
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
        upload_max_mb=float(os.environ.get("DASHBOARD_UPLOAD_MAX_MB", "").strip() or 10),
        public_url=public_url(os.environ.get("DASHBOARD_PUBLIC_URL")),
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


#: Values of ``DASHBOARD_WARM_UP``.
WARM_UP_MODES: tuple[str, ...] = ("background", "master", "off")


def warm_up_mode() -> str:
    """``DASHBOARD_WARM_UP`` (default ``background``), looked up at call time: gunicorn.conf.py
    sets ``master`` before it imports the app. Raises ValueError for any other value."""
    mode = os.environ.get("DASHBOARD_WARM_UP", "").strip().lower() or "background"
    if mode not in WARM_UP_MODES:
        raise ValueError(f"DASHBOARD_WARM_UP={mode!r}: erwartet {', '.join(WARM_UP_MODES)}")
    return mode


def secret_key_from_env() -> str | None:
    """``DASHBOARD_SECRET_KEY`` (None when unset: the app keeps a random key in the user data)."""
    return os.environ.get("DASHBOARD_SECRET_KEY", "").strip() or None


def secure_cookies() -> bool:
    """``DASHBOARD_SECURE_COOKIES``: the session cookie only over HTTPS."""
    return _flag("DASHBOARD_SECURE_COOKIES")


def ratelimit_storage() -> str:
    """``DASHBOARD_RATELIMIT_STORAGE``: where Flask-Limiter keeps its counters."""
    return os.environ.get("DASHBOARD_RATELIMIT_STORAGE", "").strip() or "memory://"


def service_env_names(service: str) -> tuple[str, str]:
    """Names of the user-name and password variables of a statistics web service
    (pystatis' convention, e.g. ``PYSTATIS_REGIO_API_USERNAME``)."""
    s = service.upper()
    return f"PYSTATIS_{s}_API_USERNAME", f"PYSTATIS_{s}_API_PASSWORD"


def service_credentials(service: str) -> tuple[str, str] | None:
    """(user name, password) of ``service`` from the environment, None when no user is set."""
    user_var, pw_var = service_env_names(service)
    user = os.environ.get(user_var, "").strip()
    return (user, os.environ.get(pw_var, "")) if user else None


#: Variable with another base URL of a statistics web service (``{service}`` upper case).
SERVICE_URL_ENV = "DASHBOARD_UPDATE_URL_{service}"


def service_url(service: str) -> str | None:
    """``DASHBOARD_UPDATE_URL_<SERVICE>`` (another address of the web service), None when unset."""
    return os.environ.get(SERVICE_URL_ENV.format(service=service.upper()), "").strip() or None


def cache_dir_from_env() -> Path | None:
    """``DASHBOARD_CACHE_DIR`` (read at call time), None when unset: ``<user data>/cache``."""
    raw = os.environ.get("DASHBOARD_CACHE_DIR", "").strip()
    return Path(raw) if raw else None


def int_setting(name: str, default: int, lo: int, hi: int | None = None) -> int:
    """Whole-number variable ``name`` (read at call time) in ``lo…hi`` (``hi`` None: no upper
    bound); ``default`` when unset. Also used by ``gunicorn.conf.py``.

    Raises ValueError naming the variable, the value and the allowed range.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    allowed = f"ab {lo}" if hi is None else f"{lo} bis {hi}"
    try:
        value = int(raw)
    except ValueError as err:
        raise ValueError(f"{name}={raw!r} ist keine ganze Zahl (erwartet {allowed})") from err
    if hi is None and value < lo:
        raise ValueError(f"{name}={value} ist kleiner als {lo}")
    if hi is not None and not lo <= value <= hi:
        raise ValueError(f"{name}={value} liegt nicht zwischen {lo} und {hi}")
    return value


#: Variable naming a folder of recorded web-service answers for the app's "Daten aktualisieren".
UPDATE_RECORDINGS_ENV = "DASHBOARD_UPDATE_RECORDINGS"


def update_recordings() -> str | None:
    """``DASHBOARD_UPDATE_RECORDINGS`` (read at call time), None when unset: go online."""
    return os.environ.get(UPDATE_RECORDINGS_ENV, "").strip() or None


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
