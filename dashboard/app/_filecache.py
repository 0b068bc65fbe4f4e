"""Files computed once per host and kept on disk (expensive downloads, rendered PDFs).

The folder is ``DASHBOARD_CACHE_DIR`` or ``<user data folder>/cache`` (looked up at call
time), shared by every gunicorn worker. Keys are hashes of everything a file depends on
(data version, scenario, …), so a new data version never serves an old file.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from dashboard.settings import cache_dir_from_env

#: Files kept per sub-folder (oldest removed first).
MAX_FILES = 200


def cache_dir() -> Path:
    """``DASHBOARD_CACHE_DIR`` or ``<user data folder>/cache``."""
    raw = cache_dir_from_env()
    if raw:
        return raw
    from dashboard.data.userdata import user_data_dir

    return user_data_dir() / "cache"


@functools.cache
def code_token() -> str:
    """Fingerprint of this installation: size and mtime of every file of the package and of
    the shipped data (``data/``). A deployment with changed code or data never serves files
    cached by the previous one."""
    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256()
    for base in (root / "dashboard", root / "data"):
        for p in sorted(base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                st = p.stat()
                h.update(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def key_of(*parts: object) -> str:
    """Stable hash of the parts and :func:`code_token` (JSON of their ``repr``), 24 hex digits."""
    raw = json.dumps([code_token(), *[repr(p) for p in parts]], ensure_ascii=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def prune(folder: Path, pattern: str, keep: int = MAX_FILES) -> None:
    files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
    for p in files[: max(0, len(files) - keep)]:
        with contextlib.suppress(OSError):
            p.unlink()


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def compute_once(kind: str, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    """The bytes of ``<cache>/<kind>/<key><suffix>``, made by ``make()`` only if missing.

    Concurrent requests for the same key (in any worker) wait on one ``flock`` and read
    the file the first one wrote, instead of each computing it.
    """
    folder = cache_dir() / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}{suffix}"
    with contextlib.suppress(OSError):
        return path.read_bytes()
    with open(folder / f"{key}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with contextlib.suppress(OSError):
                return path.read_bytes()
            data = make()
            write_atomic(path, data)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    with contextlib.suppress(OSError):
        (folder / f"{key}.lock").unlink()
    prune(folder, f"*{suffix}")
    return data
