#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
# Used verbatim by README.md and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! command -v chromium >/dev/null 2>&1; then
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core
fi
# A real PostgreSQL for the store tests: Debian's postgresql brings pg_virtualenv (a throw-away
# cluster per run, works as root).
if ! command -v pg_virtualenv >/dev/null 2>&1; then
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi
python -m pip install -q --upgrade pip
python -m pip install -q -e ".[test]"
# pystatis 0.5.5 (client of the GENESIS web services, used by `data update`) declares
# pandas~=2.0 and would downgrade the project's pandas 3; its other dependency (requests) is a
# dependency of this project, so it is installed without dependencies.
python -m pip install -q --no-deps "pystatis==0.5.5"
# Known vulnerabilities in the dependencies: reported in the log, never fails the run
# (policy and --strict mode: scripts/dependency_audit.py).
python scripts/dependency_audit.py || echo "Abhängigkeitsprüfung konnte nicht laufen (siehe oben)."
# Lint and format (rules in pyproject.toml [tool.ruff]).
python -m ruff check .
python -m ruff format --check .
# Import contracts between the layers (pyproject.toml [tool.importlinter]; README "Architecture").
lint-imports --no-cache
# Two workers: the machine has 2 cores (pytest-xdist, in the test extra).
python -m pytest -p no:cacheprovider -n 2 "$@"
# The store tests a second time against PostgreSQL (conftest's store_url; fails, never skips,
# if the server is not reachable).
pg_virtualenv env STORE_TEST_POSTGRES=1 python -m pytest -p no:cacheprovider -q -m store
