"""The project's command line run as an operator runs it: ``python -m dashboard …`` in a fresh
process from the repository root, with an environment the test chooses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def cli_env(*, drop: tuple[str, ...] = (), drop_prefixes: tuple[str, ...] = (), **extra: str) -> dict:
    """This process's environment without the variables named in ``drop`` or starting with one
    of ``drop_prefixes``, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith(drop_prefixes)}
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict, stdin: str | None = None, timeout: float = 180
) -> subprocess.CompletedProcess:
    """Run ``python -m dashboard *args`` in the repository; output captured as text."""
    cmd = [sys.executable, "-m", "dashboard", *args]
    return subprocess.run(
        cmd, cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=timeout
    )
