"""Zip containers (XLSX workbooks, zipped GENESIS ffcsv): checked before anything is unpacked.

The one declaration of the zip-bomb limits, used by every importer (official tables in
:mod:`dashboard.data.genesis`, measures catalogues in
:mod:`dashboard.data.measures.workbook_reader`). The file-size limit itself is
:data:`dashboard.settings.UPLOAD_MAX_BYTES`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from dashboard.data.errors import DataFormatError, Problem, problem
from dashboard.text import IMPORTS, fmt_dec, fmt_int

#: Largest total uncompressed size of all members (bytes); was 200 MB for tables and 100 MB for
#: catalogues, now one limit (the shipped catalogue unpacks to 0.13 MB, the XLSX test table
#: to 0.03 MB).
MAX_UNCOMPRESSED_BYTES: int = 200 * 2**20
#: Largest ratio of the unpacked to the packed size (both files above: about 5:1).
MAX_COMPRESSION_RATIO: float = 100.0


def refuse_oversized(name: str, size: int, limit: int) -> None:
    """Raise :class:`DataFormatError` naming the file when ``size`` (bytes) exceeds ``limit``
    (the upload limit of the importer, :data:`dashboard.settings.UPLOAD_MAX_BYTES`)."""
    if size > limit:
        raise DataFormatError(_megabytes(name, limit, size, "expected_size", "found_size"))


def _megabytes(file: str | Path, limit: int, size: int, expected: str, found: str) -> Problem:
    """A file's ``size`` over ``limit`` (bytes), in the German MB messages ``expected``/``found``."""
    return problem(
        file,
        None,
        None,
        IMPORTS[expected].format(mb=fmt_int(limit // 2**20)),
        IMPORTS[found].format(mb=fmt_dec(size / 2**20, 1)),
    )


def zip_members(source) -> list[zipfile.ZipInfo]:
    """The members of a zip archive (a path or a seekable binary file, left at position 0).

    Raises ``zipfile.BadZipFile``, ``OSError``, ``EOFError``, ``ValueError`` or
    ``NotImplementedError`` for damaged archives (callers report them in their own words).
    """
    with zipfile.ZipFile(source) as zf:
        infos = zf.infolist()
    if not isinstance(source, str | Path):
        source.seek(0)
    return infos


def expansion_problems(infos: list[zipfile.ZipInfo], file: str | Path) -> list[Problem]:
    """Problems of an archive that would unpack too large or too compressed (a zip bomb)."""
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    out = []
    if total > MAX_UNCOMPRESSED_BYTES:
        out.append(_megabytes(file, MAX_UNCOMPRESSED_BYTES, total, "zip_unpacked_max", "zip_unpacked_found"))
    if total / packed > MAX_COMPRESSION_RATIO:
        out.append(
            problem(
                file,
                None,
                None,
                IMPORTS["zip_ratio_max"].format(ratio=fmt_int(MAX_COMPRESSION_RATIO)),
                IMPORTS["zip_ratio_found"].format(ratio=fmt_int(total / packed)),
            )
        )
    return out
