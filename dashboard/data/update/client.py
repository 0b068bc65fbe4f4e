"""Fetch one table through pystatis, with retries, backoff and a German answer for every failure.

pystatis (https://github.com/CorrelAid/pystatis) speaks the GENESIS-Webservice 2020 REST
interface: ``POST <base_url>data/tablefile`` returns the table as a zipped flat CSV ("ffcsv"),
``POST <base_url>metadata/table`` its metadata as JSON (title, time range, ``Updated`` = the
service's "Stand", copyright/licence). Credentials travel in the ``username``/``password``
request headers.

pystatis keeps its configuration in one module-level ``ConfigParser`` that it loads from (and
on first import writes, with EMPTY credentials, to) ``~/.pystatis/config.ini``, and it caches
every downloaded table forever in ``~/.pystatis/data``. For an update run
:func:`pystatis_session` therefore

* sets the credentials **in memory only** (pystatis' ``write_config`` is never called, so they
  never reach a file) and blanks those of every other database pystatis knows;
* points the cache to a fresh temporary folder, deleted afterwards (a stale cached table would
  otherwise hide a newer one);
* registers services pystatis does not know (the Landesdatenbank NRW) as an extra database with
  a table-code pattern, and sets each service's base URL (the recordings' local server in
  offline mode);
* silences pystatis' loggers (their texts are English and would duplicate ours);
* restores everything afterwards, under a lock (pystatis' state is global).

Failures are classified from what pystatis raises:

==============================================  ===========================  =======
pystatis / requests raises                      kind                         retried
==============================================  ===========================  =======
``HTTPError`` "… 401/403 status code"           ``credentials_wrong``        no
``HTTPError`` 429                               ``rate_limited``             yes
``HTTPError`` 5xx                               ``server_error``             yes
``HTTPError`` other 4xx                         ``http_error``               no
``ConnectionError`` (incl. DNS, refused, TLS)   ``offline``                  yes
``SystemExit`` (pystatis' answer to a timeout)  ``timeout``                  yes
``DestatisStatusError`` naming the login        ``credentials_wrong``        no
``TableNotFoundError``                          ``not_found``                no
other ``DestatisStatusError``                   ``service_error``            no
unreadable zip/CSV/JSON, decoding errors        ``malformed``                no
==============================================  ===========================  =======

pystatis hides the response headers, so a ``Retry-After`` header cannot be honoured; the
backoff doubles instead (:func:`backoff_delays`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import re
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from dashboard.data.update.credentials import Credentials, env_names
from dashboard.data.update.errors import UpdateError
from dashboard.data.update.registry import Service, TableSpec
from dashboard.text import UPDATE

#: pystatis release this code was written and tested against.
PYSTATIS_VERSION = "0.5.5"
#: Attempts per table (1 + retries) and the first backoff delay in seconds.
ATTEMPTS = 4
FIRST_DELAY = 2.0

_LOCK = threading.Lock()
_STATUS_RE = re.compile(r"\b([1-5]\d\d) status code")
_LOGIN_WORDS = re.compile(r"passwort|password|kennung|benutzer|nutzername|anmeld|login|token|zugang", re.I)


def backoff_delays(attempts: int = ATTEMPTS, first: float = FIRST_DELAY) -> list[float]:
    """Waits between the attempts: ``first``, ``2·first``, ``4·first`` … (``attempts − 1`` values)."""
    return [first * 2**i for i in range(max(attempts - 1, 0))]


def import_pystatis():
    """Import pystatis or raise :class:`UpdateError` (``pystatis_missing``) with the install command."""
    if importlib.util.find_spec("pystatis") is None:  # optional: installed with --no-deps
        raise UpdateError("pystatis_missing", UPDATE["pystatis_missing"])
    import pystatis
    from pystatis import config as _config  # noqa: F401 (the module we configure)

    return pystatis


@contextlib.contextmanager
def pystatis_session(
    services: dict[str, Service], credentials: dict[str, Credentials], base_urls: dict[str, str]
) -> Iterator[Any]:
    """Configure pystatis in memory for one run and restore it afterwards (see module docstring).

    Parameters
    ----------
    services : the services of this run, by key.
    credentials : credentials by service key (in memory only).
    base_urls : base URL by service key (the real service or a local replay server).

    Yields
    ------
    The imported ``pystatis`` module.
    """
    pystatis = import_pystatis()
    from pystatis import config as pconfig

    cfg = pconfig.config
    with _LOCK, tempfile.TemporaryDirectory(prefix="kd2030-pystatis-") as cache:
        saved: dict[tuple[str, str], str | None] = {}
        added_sections: list[str] = []
        added_patterns: list[str] = []
        log = logging.getLogger("pystatis")
        old_log = (log.level, log.propagate, list(log.handlers))

        def remember(section: str, option: str) -> None:
            saved[(section, option)] = cfg.get(section, option, fallback=None)

        try:
            if not cfg.has_section("data"):
                cfg.add_section("data")
                added_sections.append("data")
            remember("data", "cache_dir")
            cfg.set("data", "cache_dir", cache)
            # blank credentials of every database pystatis knows (e.g. from ~/.pystatis/config.ini)
            for section in cfg.sections():
                if cfg.has_option(section, "username"):
                    remember(section, "username")
                    remember(section, "password")
                    cfg.set(section, "username", "")
                    cfg.set(section, "password", "")
            for key, svc in services.items():
                db = svc.pystatis_db
                if not cfg.has_section(db):
                    cfg.add_section(db)
                    added_sections.append(db)
                for option in ("base_url", "username", "password"):
                    if (db, option) not in saved:
                        remember(db, option)
                cfg.set(db, "base_url", base_urls[key])
                cred = credentials[key]
                cfg.set(db, "username", cred.username)
                cfg.set(db, "password", cred.password)
                if svc.table_pattern and db not in pconfig.REGEX_DB:
                    pconfig.REGEX_DB[db] = re.compile(svc.table_pattern)
                    added_patterns.append(db)
            log.setLevel(logging.CRITICAL + 1)
            log.propagate = False
            log.handlers = [logging.NullHandler()]
            yield pystatis
        finally:
            for (section, option), value in saved.items():
                if section in added_sections:
                    continue
                if value is None:
                    cfg.remove_option(section, option)
                else:
                    cfg.set(section, option, value)
            for section in added_sections:
                cfg.remove_section(section)
            for db in added_patterns:
                pconfig.REGEX_DB.pop(db, None)
            log.setLevel(old_log[0])
            log.propagate = old_log[1]
            log.handlers = old_log[2]


@dataclass(frozen=True)
class RawTable:
    """What pystatis returned for one table.

    Attributes
    ----------
    ffcsv : str
        The flat CSV as delivered (``Table.raw_data``; pystatis unzips and decodes it).
    metadata : dict
        The ``metadata/table`` JSON answer (``Table.metadata``).
    pystatis_rows : int
        Number of value rows pystatis' own parser read (``len(Table.data)``).
    attempts : int
        Requests needed (1 = no retry).
    """

    ffcsv: str
    metadata: dict[str, Any]
    pystatis_rows: int
    attempts: int


@dataclass(frozen=True)
class _Failure:
    kind: str
    retryable: bool
    status: int | None
    detail: str


def _status_of(exc: BaseException) -> int | None:
    m = _STATUS_RE.search(str(exc))
    return int(m.group(1)) if m else None


def classify(exc: BaseException) -> _Failure | None:
    """Map an exception raised inside pystatis to a failure kind (``None``: not ours, re-raise)."""
    import requests
    from pystatis.exception import (  # pystatis is imported: only its calls raise these
        DestatisStatusError,
        NoNewerDataError,
        PystatisConfigError,
        TableNotFoundError,
    )

    if isinstance(exc, requests.exceptions.HTTPError):
        status = _status_of(exc) or (exc.response.status_code if exc.response is not None else None)
        if status in (401, 403):
            return _Failure("credentials_wrong", False, status, f"HTTP {status}")
        if status == 429:
            return _Failure("rate_limited", True, status, UPDATE["reason_429"])
        if status is not None and status >= 500:
            return _Failure("server_error", True, status, UPDATE["reason_5xx"].format(status=status))
        return _Failure("http_error", False, status, f"HTTP {status}")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _Failure("offline", True, None, UPDATE["reason_offline"])
    if isinstance(exc, requests.exceptions.Timeout) or isinstance(exc, SystemExit | TimeoutError):
        return _Failure("timeout", True, None, UPDATE["reason_timeout"])
    if isinstance(exc, TableNotFoundError):
        return _Failure("not_found", False, None, str(exc))
    if isinstance(exc, NoNewerDataError | PystatisConfigError):
        return _Failure("service_error", False, None, str(exc))
    if isinstance(exc, DestatisStatusError):
        text = str(exc) or "Fehler ohne Text"
        if _LOGIN_WORDS.search(text):
            return _Failure("credentials_wrong", False, None, text)
        return _Failure("service_error", False, None, text)
    if isinstance(
        exc, zipfile.BadZipFile | json.JSONDecodeError | UnicodeDecodeError | TypeError | IndexError
    ):
        return _Failure("malformed", False, None, f"{type(exc).__name__}: {exc}")
    if isinstance(exc, ValueError | KeyError):  # pandas parser errors are ValueErrors
        return _Failure("malformed", False, None, f"{type(exc).__name__}: {exc}")
    return None


def failure_error(f: _Failure, svc: Service, spec: TableSpec, attempts: int) -> UpdateError:
    """The :class:`UpdateError` for a classified failure (German message)."""
    host = urlsplit(svc.base_url).netloc or svc.base_url
    fields = {
        "service": svc.label,
        "table": spec.table,
        "status": f.status,
        "attempts": attempts,
        "host": host,
        "detail": f.detail,
        "reason": f.detail,
        "variables": " und ".join(env_names(svc.key)),
    }
    return UpdateError(f.kind, UPDATE[f.kind].format(**fields), table=spec.table, status=f.status)


def fetch_table(
    pystatis: Any,
    svc: Service,
    spec: TableSpec,
    *,
    attempts: int = ATTEMPTS,
    first_delay: float = FIRST_DELAY,
    sleep: Callable[[float], None] = time.sleep,
    notify: Callable[[str], None] | None = None,
) -> RawTable:
    """Fetch one table (data and metadata) through pystatis, retrying transient failures.

    Parameters
    ----------
    pystatis : the module yielded by :func:`pystatis_session`.
    svc, spec : service and table entry.
    attempts : requests at most (1 + retries) for retryable failures (429, 5xx, no connection,
        timeout).
    first_delay : first wait in seconds; doubles after each failed attempt.
    sleep, notify : injectable for tests; ``notify`` receives a German line per retry.

    Raises
    ------
    UpdateError
        Classified failure (see the module table) after the last attempt.
    """
    delays = backoff_delays(attempts, first_delay)
    for attempt in range(1, attempts + 1):
        try:
            t = pystatis.Table(name=spec.table)
            t.get_data(prettify=False, compress=True, quality="on", language="de", **spec.params)
            if not isinstance(t.metadata, dict):
                raise TypeError("Metadaten sind kein JSON-Objekt")
            return RawTable(t.raw_data, t.metadata, int(len(t.data)), attempt)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 (SystemExit is pystatis' timeout signal)
            f = classify(exc)
            if f is None:
                raise
            if not f.retryable or attempt == attempts:
                raise failure_error(f, svc, spec, attempt) from exc
            wait = delays[attempt - 1]
            if notify is not None:
                notify(
                    UPDATE["retry"].format(
                        service=svc.label,
                        reason=f.detail,
                        seconds=f"{wait:g}",
                        attempt=attempt + 1,
                        attempts=attempts,
                    )
                )
            sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = [
    "ATTEMPTS",
    "FIRST_DELAY",
    "PYSTATIS_VERSION",
    "RawTable",
    "backoff_delays",
    "classify",
    "fetch_table",
    "import_pystatis",
    "pystatis_session",
]
