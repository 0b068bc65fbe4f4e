"""Validation errors at the data boundary.

Every problem names the file, the source row (1-based line or sheet row), the column,
what was expected and what was found. Loaders collect *all* problems and raise one
:class:`DataFormatError` holding them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.text import problems_count


class Described(str):
    """What was found, in words ("leere Datei (0 Byte)"), as opposed to a value read from the
    file: shown as it is, without quotes."""


@dataclass(frozen=True)
class Problem:
    """One failed check at one place in one file."""

    file: str
    row: int | None
    column: str | None
    expected: str
    found: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"Blatt {self.sheet!r}")
        if self.row is not None:
            where.append(f"Zeile {self.row}")
        if self.column is not None:
            where.append(f"Spalte {self.column!r}")
        return f"{', '.join(where)}: erwartet {self.expected}, gefunden {self.found}"


class DataFormatError(ValueError):
    """Raised when an input file does not meet its contract.

    Attributes
    ----------
    problems : list of Problem
        Every problem found (not only the first).
    """

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("DataFormatError needs at least one problem")
        self.problems: list[Problem] = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            shown += f"\n  … und {more} weitere Probleme"
        super().__init__(f"{problems_count(len(self.problems))} in den Eingabedaten:\n{shown}")

    @property
    def file(self) -> str:
        return self.problems[0].file


def problem(
    file: str | Path,
    row: int | None,
    column: str | None,
    expected: str,
    found: object,
    sheet: str | None = None,
) -> Problem:
    """Build a :class:`Problem`, rendering ``found`` readably: a value read from the file in
    quotes (``repr``, so blanks and control characters show), a :class:`Described` finding as
    it is."""
    shown = repr(found) if isinstance(found, str) and not isinstance(found, Described) else str(found)
    if len(shown) > 120:
        shown = shown[:117] + "…"
    return Problem(
        Path(file).name if isinstance(file, Path) else str(file), row, column, expected, shown, sheet
    )
