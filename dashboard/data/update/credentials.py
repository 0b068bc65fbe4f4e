"""Credentials for the GENESIS web services: environment variables first, then the OS keyring.

Never from a file in the project folder, and never written anywhere: pystatis receives them in
its in-memory configuration only for the duration of one update run (see
:mod:`dashboard.data.update.client`), and no message of the update contains them.

Environment variables (the names pystatis itself documents, extended to the NRW service)::

    PYSTATIS_REGIO_API_USERNAME / PYSTATIS_REGIO_API_PASSWORD   Regionalstatistik
    PYSTATIS_NRW_API_USERNAME   / PYSTATIS_NRW_API_PASSWORD     Landesdatenbank NRW

An API token goes into ``…_USERNAME`` with an empty (or unset) password, as pystatis expects.
OS keyring (optional, only when the ``keyring`` package is installed): service
:data:`KEYRING_SERVICE`, user names ``"<service>-username"`` and ``"<service>-password"``.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass

from dashboard.settings import service_credentials, service_env_names
from dashboard.text import UPDATE

KEYRING_SERVICE = "kreis-dueren-2030"
LOG = logging.getLogger("dashboard.data.update")


@dataclass(frozen=True)
class Credentials:
    """User name (or API token) and password of one service; ``repr`` never shows them."""

    username: str
    password: str
    origin: str  # "environment", "keyring" or "recording"

    def __repr__(self) -> str:  # never print secrets, not even in a traceback
        return f"Credentials(origin={self.origin!r}, username=***, password=***)"

    __str__ = __repr__


def env_names(service: str) -> tuple[str, str]:
    """Names of the two environment variables of ``service`` (e.g. ``"regio"``)."""
    return service_env_names(service)


def _from_keyring(service: str) -> Credentials | None:
    if importlib.util.find_spec("keyring") is None:  # optional: not a dependency
        return None
    import keyring

    try:
        user = keyring.get_password(KEYRING_SERVICE, f"{service}-username")
        pw = keyring.get_password(KEYRING_SERVICE, f"{service}-password") or ""
    except Exception as exc:  # noqa: BLE001 (a keyring backend may fail in many ways: then there is none)
        # said, not hidden: the type only (a backend's message might echo what it was asked for)
        LOG.warning(UPDATE["keyring_failed"].format(service=service, error=type(exc).__name__))
        return None
    return Credentials(user, pw, "keyring") if user else None


def lookup(service: str) -> Credentials | None:
    """Credentials of ``service`` from the environment, else the OS keyring, else ``None``."""
    env = service_credentials(service)
    if env:
        return Credentials(env[0], env[1], "environment")
    return _from_keyring(service)


__all__ = ["Credentials", "KEYRING_SERVICE", "env_names", "lookup"]
