"""Integrity of the shipped raw files: SHA-256 hashes recorded in ``data/raw/SHA256SUMS``.

Raw files are immutable. Every embedded loader verifies the file it reads against the
recorded hash (once per process), so a modified or corrupted file is refused with a
:class:`~dashboard.data.errors.DataFormatError` instead of quietly showing other numbers.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from dashboard.data.errors import DataFormatError, problem


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@functools.cache
def recorded_hashes(raw_dir: Path) -> dict[str, str]:
    """Map ``relative/path`` -> recorded SHA-256 from ``SHA256SUMS`` (sha256sum format)."""
    sums = raw_dir / "SHA256SUMS"
    out: dict[str, str] = {}
    for lineno, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise DataFormatError(problem(sums, lineno, None, "'<sha256>  <pfad>'", line))
        out[name.removeprefix("./")] = digest
    return out


@functools.cache
def verify_raw_file(raw_dir: Path, relative: str) -> None:
    """Check one raw file against its recorded hash (cached per process).

    Raises
    ------
    DataFormatError
        If the file has no recorded hash or its content differs.
    """
    expected = recorded_hashes(raw_dir).get(relative)
    if expected is None:
        raise DataFormatError(
            problem(relative, None, None, "einen Eintrag in data/raw/SHA256SUMS", "keinen Eintrag")
        )
    actual = sha256_file(raw_dir / relative)
    if actual != expected:
        raise DataFormatError(
            problem(
                relative,
                None,
                None,
                f"SHA-256 {expected[:16]}…",
                f"SHA-256 {actual[:16]}… (Datei wurde verändert)",
            )
        )


def verify_all(raw_dir: Path) -> list[str]:
    """Verify every recorded file; return the list of checked relative paths."""
    names = sorted(recorded_hashes(raw_dir))
    for name in names:
        verify_raw_file(raw_dir, name)
    return names
