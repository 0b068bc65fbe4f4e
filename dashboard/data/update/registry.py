"""What ``data update`` fetches: the services and tables of ``sources.json`` as frozen dataclasses."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCES_PATH: Path = Path(__file__).with_name("sources.json")


@dataclass(frozen=True)
class Service:
    """One GENESIS web service (GENESIS-Webservice 2020 REST interface).

    Attributes
    ----------
    key : str
        Short name used in ``sources.json``, the environment variables and the recordings
        (``"regio"``, ``"nrw"``).
    label : str
        German name shown to users.
    pystatis_db : str
        Name of the database in pystatis' configuration (``"regio"`` is built in; ``"nrw"`` is
        registered at run time with ``table_pattern``).
    base_url : str
        Root of the REST interface, ending in ``/rest/2020/``.
    register_url, publisher, licence : str
        Where users register; default publisher and licence of the service's tables.
    table_pattern : str or None
        Regular expression of the service's table codes (only for services pystatis does not
        know by itself).
    """

    key: str
    label: str
    pystatis_db: str
    base_url: str
    register_url: str
    publisher: str
    licence: str
    table_pattern: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """One table to fetch.

    Attributes
    ----------
    key : str
        Identifier of the entry (e.g. ``"gemeinden_geschlecht_alter"``).
    service : str
        Key of the :class:`Service`.
    table : str
        GENESIS table code (must be registered in ``genesis_layouts.json``).
    label : str
        German description.
    params : dict
        Keyword arguments for ``pystatis.Table.get_data`` (region selection, time slices).
    expect : dict
        Structure the validated table must have (regions, sexes, age groups, events).
    """

    key: str
    service: str
    table: str
    label: str
    params: dict[str, str] = field(default_factory=dict)
    expect: dict[str, Any] = field(default_factory=dict)


@functools.cache
def _sources() -> dict[str, Any]:
    return json.loads(SOURCES_PATH.read_text(encoding="utf-8"))


def services() -> dict[str, Service]:
    """The services by key (from ``sources.json``)."""
    return {k: Service(key=k, **v) for k, v in _sources()["services"].items()}


def tables() -> tuple[TableSpec, ...]:
    """The tables to fetch, in fetch order (from ``sources.json``)."""
    return tuple(TableSpec(**t) for t in _sources()["tables"])


__all__ = ["SOURCES_PATH", "Service", "TableSpec", "services", "tables"]
