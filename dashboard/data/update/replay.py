"""Replay recorded web-service answers on 127.0.0.1 so pystatis runs unchanged without a network.

A recordings folder (e.g. ``tests/data/genesis_api/``) holds :data:`MANIFEST` and the response
bodies. The manifest::

    {
      "basis": "..",                       # optional: inherit the answers of another folder
      "description": "…",
      "answers": [
        {"service": "regio", "endpoint": "data/tablefile", "name": "12411-02-03-5",
         "responses": [                    # served in this order; the last one repeats
           {"status": 200, "content_type": "application/zip", "file": "regio/….zip",
            "headers": {"Content-Disposition": "attachment; filename=…"}}
         ],
         "synthetic": true, "how": "…"}    # provenance of the recording (see its README)
      ]
    }

Answers of a folder replace the inherited answer with the same ``(service, endpoint, name)``.
A response may give ``"body"`` (text) instead of ``"file"``. The server answers
``POST /<service>/rest/2020/<endpoint>`` (the form field ``name`` selects the answer) and 404
for anything else; it keeps a log of the requests (path and form fields; the credential
headers only as "present"/"absent", never their values).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from dashboard.data.update.errors import UpdateError
from dashboard.text import UPDATE

MANIFEST = "aufzeichnungen.json"
_MAX_BODY = 1 << 20


@dataclass(frozen=True)
class Answer:
    """The recorded answers to one request, in order (the last one repeats)."""

    service: str
    endpoint: str
    name: str
    responses: tuple[dict[str, Any], ...]
    synthetic: bool
    how: str
    folder: Path


@dataclass
class Recordings:
    """The answers of a recordings folder (with everything it inherits)."""

    folder: Path
    description: str
    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)

    def synthetic_tables(self) -> set[str]:
        """Table codes whose recorded data answer is synthetic."""
        return {a.name for a in self.answers.values() if a.endpoint == "data/tablefile" and a.synthetic}

    def how(self, name: str) -> str:
        """How the data answer for table ``name`` was obtained (from the manifest)."""
        for (_, endpoint, n), a in self.answers.items():
            if endpoint == "data/tablefile" and n == name:
                return a.how
        return ""


def _bad(folder: Path, detail: str) -> UpdateError:
    return UpdateError("recordings", UPDATE["recordings_invalid"].format(folder=folder, detail=detail))


def load_recordings(folder: str | Path, _seen: tuple[Path, ...] = ()) -> Recordings:
    """Read a recordings folder (see module docstring).

    Raises
    ------
    UpdateError
        ``recordings`` when the manifest is missing, unreadable, cyclic or names a missing file.
    """
    folder = Path(folder).resolve()
    mf = folder / MANIFEST
    if not mf.is_file():
        raise UpdateError("recordings", UPDATE["recordings_missing"].format(folder=folder, manifest=MANIFEST))
    if folder in _seen:
        raise _bad(folder, "die Basis-Ordner verweisen im Kreis aufeinander")
    try:
        spec = json.loads(mf.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(folder, f"{MANIFEST} ist kein gültiges JSON ({exc})") from exc
    rec = Recordings(folder, str(spec.get("description", "")))
    if spec.get("basis"):
        base = load_recordings(folder / spec["basis"], (*_seen, folder))
        rec.answers.update(base.answers)
    for i, a in enumerate(spec.get("answers", [])):
        try:
            key = (str(a["service"]), str(a["endpoint"]), str(a["name"]))
            responses = tuple(a["responses"])
        except (KeyError, TypeError) as exc:
            raise _bad(folder, f"Eintrag {i + 1} in {MANIFEST}: Feld {exc} fehlt") from exc
        if not responses:
            raise _bad(folder, f"Eintrag {i + 1} in {MANIFEST}: keine Antwort")
        for r in responses:
            if "file" in r and not (folder / r["file"]).is_file():
                raise _bad(folder, f"Datei {r['file']} fehlt")
        rec.answers[key] = Answer(*key, responses, bool(a.get("synthetic")), str(a.get("how", "")), folder)
    return rec


class ReplayServer:
    """A local HTTP server answering like the GENESIS services from a :class:`Recordings`.

    Use as a context manager; :meth:`base_url` gives the URL to configure per service.
    Attributes ``log`` (list of dicts: ``service, endpoint, name, params, credentials``) and
    ``hits`` (answers served per key) are for tests.
    """

    def __init__(self, recordings: Recordings):
        self.recordings = recordings
        self.log: list[dict[str, Any]] = []
        self.hits: dict[tuple[str, str, str], int] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ReplayServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # silence the default stderr log
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._answer({})

            def do_POST(self) -> None:  # noqa: N802
                n = min(int(self.headers.get("Content-Length") or 0), _MAX_BODY)
                form = parse_qs(self.rfile.read(n).decode("utf-8", "replace"), keep_blank_values=True)
                self._answer({k: v[0] for k, v in form.items()})

            def _answer(self, params: dict[str, str]) -> None:
                parts = self.path.split("?", 1)[0].strip("/").split("/")
                # /<service>/rest/2020/<endpoint...>
                service = parts[0] if parts else ""
                endpoint = "/".join(parts[3:]) if len(parts) > 3 else ""
                name = params.get("name", "")
                key = (service, endpoint, name)
                cred = "present" if self.headers.get("username") else "absent"
                with server._lock:
                    server.log.append(
                        {
                            "service": service,
                            "endpoint": endpoint,
                            "name": name,
                            "params": params,
                            "credentials": cred,
                        }
                    )
                    ans = server.recordings.answers.get(key)
                    i = server.hits.get(key, 0)
                    server.hits[key] = i + 1
                if ans is None:
                    body = json.dumps(
                        {"Status": {"Code": 90, "Content": "Keine Aufzeichnung", "Type": "Information"}}
                    )
                    self._send(404, "application/json;charset=UTF-8", body.encode(), {})
                    return
                r = ans.responses[min(i, len(ans.responses) - 1)]
                if "file" in r:
                    data = (ans.folder / r["file"]).read_bytes()
                else:
                    data = str(r.get("body", "")).encode("utf-8")
                self._send(
                    int(r.get("status", 200)),
                    str(r.get("content_type", "text/plain")),
                    data,
                    r.get("headers", {}),
                )

            def _send(self, status: int, ctype: str, data: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="genesis-replay",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    def base_url(self, service: str) -> str:
        """Base URL for ``service`` on this server (``http://127.0.0.1:<port>/<service>/rest/2020/``)."""
        return f"http://127.0.0.1:{self.port}/{service}/rest/2020/"


__all__ = ["MANIFEST", "Answer", "Recordings", "ReplayServer", "load_recordings"]
