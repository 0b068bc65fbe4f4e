"""Settings are read in one place: every environment variable of the package is read by
dashboard/settings.py (the functions read at call time, so tests and gunicorn.conf.py can set
them after import)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard import settings

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"


def _env_reads(path: Path) -> list[int]:
    """Lines reading the environment: os.environ.get/[]/in, os.getenv (copies such as
    ``{**os.environ}`` for a child process and ``setdefault`` are not reads of a setting)."""

    def os_environ(n: ast.AST) -> bool:  # not a WSGI request's environ
        return isinstance(n, ast.Attribute) and n.attr == "environ" and getattr(n.value, "id", "") == "os"

    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "getenv":
            lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            if os_environ(node.func.value):
                lines.append(node.lineno)
        if isinstance(node, ast.Subscript) and os_environ(node.value) and isinstance(node.ctx, ast.Load):
            lines.append(node.lineno)
        if isinstance(node, ast.Compare) and any(os_environ(c) for c in node.comparators):
            lines.append(node.lineno)
    return lines


def test_environment_is_read_only_in_settings():
    found = {
        str(p.relative_to(PACKAGE.parent)): _env_reads(p)
        for p in PACKAGE.rglob("*.py")
        if p.name != "settings.py" or p.parent != PACKAGE
    }
    assert {k: v for k, v in found.items() if v} == {}
    assert _env_reads(PACKAGE / "settings.py"), "the check finds reads where there are some"


def test_warm_up_mode(monkeypatch):
    monkeypatch.delenv("DASHBOARD_WARM_UP", raising=False)
    assert settings.warm_up_mode() == "background"
    monkeypatch.setenv("DASHBOARD_WARM_UP", " Master ")
    assert settings.warm_up_mode() == "master"
    monkeypatch.setenv("DASHBOARD_WARM_UP", "sometimes")
    with pytest.raises(ValueError, match="DASHBOARD_WARM_UP='sometimes'"):
        settings.warm_up_mode()


def test_service_credentials_and_url(monkeypatch):
    monkeypatch.delenv("PYSTATIS_REGIO_API_USERNAME", raising=False)
    assert settings.service_credentials("regio") is None
    monkeypatch.setenv("PYSTATIS_REGIO_API_USERNAME", " user ")
    monkeypatch.setenv("PYSTATIS_REGIO_API_PASSWORD", "pw")
    assert settings.service_credentials("regio") == ("user", "pw")
    monkeypatch.setenv("DASHBOARD_UPDATE_URL_NRW", "http://127.0.0.1:9/")
    assert settings.service_url("nrw") == "http://127.0.0.1:9/"
    monkeypatch.delenv("DASHBOARD_UPDATE_URL_NRW")
    assert settings.service_url("nrw") is None


def test_cookie_and_rate_limit_settings(monkeypatch):
    monkeypatch.setenv("DASHBOARD_SECURE_COOKIES", "ja")
    monkeypatch.delenv("DASHBOARD_RATELIMIT_STORAGE", raising=False)
    monkeypatch.setenv("DASHBOARD_SECRET_KEY", "  ")
    assert settings.secure_cookies() is True
    assert settings.ratelimit_storage() == "memory://"
    assert settings.secret_key_from_env() is None


def test_int_setting_and_cache_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("DASHBOARD_PDF_SLOTS", raising=False)
    assert settings.int_setting("DASHBOARD_PDF_SLOTS", 1, 1, 8) == 1
    monkeypatch.setenv("DASHBOARD_PDF_SLOTS", " 3 ")
    assert settings.int_setting("DASHBOARD_PDF_SLOTS", 1, 1, 8) == 3
    monkeypatch.setenv("DASHBOARD_PDF_SLOTS", "9")
    with pytest.raises(ValueError, match="DASHBOARD_PDF_SLOTS=9 liegt nicht zwischen 1 und 8"):
        settings.int_setting("DASHBOARD_PDF_SLOTS", 1, 1, 8)
    monkeypatch.setenv("DASHBOARD_PDF_SLOTS", "zwei")
    with pytest.raises(ValueError, match="keine ganze Zahl"):
        settings.int_setting("DASHBOARD_PDF_SLOTS", 1, 1, 8)
    # no upper bound (gunicorn.conf.py): only the minimum is checked
    monkeypatch.setenv("GUNICORN_THREADS", "500")
    assert settings.int_setting("GUNICORN_THREADS", 4, 1) == 500
    monkeypatch.setenv("GUNICORN_THREADS", "0")
    with pytest.raises(ValueError, match="GUNICORN_THREADS=0 ist kleiner als 1"):
        settings.int_setting("GUNICORN_THREADS", 4, 1)
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path))
    assert settings.cache_dir_from_env() == tmp_path
    monkeypatch.delenv("DASHBOARD_CACHE_DIR")
    assert settings.cache_dir_from_env() is None
