"""Scenarios: frozen, hashable parameter sets and the named presets."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from dashboard.constants import BASE_YEAR
from dashboard.projection.local import LocalScenario

__all__ = ["Scenario", "PRESETS", "MIN_HORIZON", "MAX_HORIZON"]

MIN_HORIZON = BASE_YEAR + 1
MAX_HORIZON = 2045

_LABELS = {
    "basis": "Basis",
    "zuwanderung_niedrig": "Niedrige Zuwanderung",
    "zuwanderung_hoch": "Hohe Zuwanderung",
    "geburten_niedrig": "Niedrige Geburtenrate",
    "geburten_hoch": "Hohe Geburtenrate",
    "laengeres_leben": "Längeres Leben",
    "itnrw": "Amtlicher Pfad (IT.NRW)",
}


@dataclass(frozen=True)
class Scenario:
    """Assumptions that the user can vary (frozen and hashable: used as a cache key).

    Parameters
    ----------
    name : identifier (preset key or free text).
    tfr : total fertility rate (children per woman) from the first projected year on;
        ``None`` = the Kreis level estimated from the data (Basis).
    e0_gain : years of life expectancy at birth gained by ``horizon`` (both sexes), reached
        by a linear ramp from the base year (proportional change of all death rates).
    net_migration : Kreis net migration over the Kreis border, persons per year (constant);
        ``None`` = the estimated base level times ``migration_factor``.
    migration_factor : multiplies the base net migration (ignored if ``net_migration`` is set).
    horizon : last projected year (31 December), BASE_YEAR+1 … 2045.
    local : per-municipality inputs (new housing, own net migration, one-off changes;
        :mod:`dashboard.projection.local`); empty = the Basis treatment of every municipality.
    """

    name: str = "basis"
    tfr: float | None = None
    e0_gain: float = 0.0
    net_migration: float | None = None
    migration_factor: float = 1.0
    horizon: int = MAX_HORIZON
    local: LocalScenario = LocalScenario()

    def __post_init__(self) -> None:
        problems = []
        if self.tfr is not None and not (_finite(self.tfr) and 0.5 <= self.tfr <= 3.0):
            problems.append(
                f"Die Geburtenrate muss zwischen 0,5 und 3,0 Kindern je Frau liegen (erhalten: {self.tfr})."
            )
        if not (_finite(self.e0_gain) and -5.0 <= self.e0_gain <= 10.0):
            problems.append(
                f"Der Gewinn an Lebenserwartung muss zwischen −5 und +10 Jahren liegen (erhalten: {self.e0_gain})."
            )
        if self.net_migration is not None and not (
            _finite(self.net_migration) and -20_000 <= self.net_migration <= 50_000
        ):
            problems.append(
                "Die Nettozuwanderung muss zwischen −20.000 und 50.000 Personen je Jahr liegen "
                f"(erhalten: {self.net_migration})."
            )
        if not (_finite(self.migration_factor) and -5.0 <= self.migration_factor <= 10.0):
            problems.append(
                f"Der Wanderungsfaktor muss zwischen −5 und 10 liegen (erhalten: {self.migration_factor})."
            )
        if isinstance(self.horizon, numbers.Integral) and not isinstance(self.horizon, bool):
            object.__setattr__(self, "horizon", int(self.horizon))  # e.g. numpy integers
        if (
            isinstance(self.horizon, bool)
            or not isinstance(self.horizon, int)
            or not (MIN_HORIZON <= self.horizon <= MAX_HORIZON)
        ):
            problems.append(
                f"Das Zieljahr muss eine ganze Zahl zwischen {MIN_HORIZON} und {MAX_HORIZON} sein "
                f"(erhalten: {self.horizon!r})."
            )
        if not isinstance(self.local, LocalScenario):
            problems.append(
                f"Lokale Annahmen: LocalScenario erwartet, erhalten: {type(self.local).__name__}."
            )
        if problems:
            raise ValueError(" ".join(problems))

    @property
    def label(self) -> str:
        """German display name (``… mit lokalen Annahmen`` when local inputs are set)."""
        base = _LABELS.get(self.name, self.name)
        return f"{base} mit lokalen Annahmen" if self.local else base

    @property
    def years(self) -> range:
        """Projected years (31 December), BASE_YEAR+1 … horizon."""
        return range(BASE_YEAR + 1, self.horizon + 1)


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


#: Named presets. Low/high fertility: 1.3 / 1.7 children per woman, about ±0.2 around the
#: estimated Kreis level 2023–2024 (≈1.48), i.e. about the span of the NRW TFR 2013–2024 (1.39–1.62); low/high
#: migration: half / one and a half times the Basis net migration; longer life: +2 years of
#: life expectancy by 2045 on top of the Basis improvement (Destatis L2, +0.10/+0.13 years per year),
#: i.e. about the strong-increase assumption; IT.NRW: the official Kreis path as a migration level.
PRESETS: dict[str, Scenario] = {
    "basis": Scenario("basis"),
    "zuwanderung_niedrig": Scenario("zuwanderung_niedrig", migration_factor=0.5),
    "zuwanderung_hoch": Scenario("zuwanderung_hoch", migration_factor=1.5),
    "geburten_niedrig": Scenario("geburten_niedrig", tfr=1.3),
    "geburten_hoch": Scenario("geburten_hoch", tfr=1.7),
    "laengeres_leben": Scenario("laengeres_leben", e0_gain=2.0),
    # Net migration with which the Basis model follows the official IT.NRW projection for the
    # Kreis (Vorausberechnung 2021–2050: +1.4 %, i.e. +0.048 % a year): 279,285 (31.12.2024)
    # → 282,111 in 2045. Solved with solve_net_migration_for_target(282_111, 2045) on the
    # Basis assumptions; tests/test_scenarios.py recomputes the path and checks it.
    "itnrw": Scenario("itnrw", net_migration=1_380.0),
}
