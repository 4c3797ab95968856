"""Two real Corredor servers on loopback for the fault tests: central (runserver, on SQLite, or on a
database of its own on the PostgreSQL server of DATABASE_URL) and a post (SQLite, driven by commands),
with a small HTTP proxy between them that can drop a response after central answered, or deliver a
request twice."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
ACTOR = str(REPO / "tests" / "sync" / "actor.py")
CENTRAL_PORT = int(os.environ.get("SYNC_CENTRAL_PORT", "8711"))
PROXY_PORT = int(os.environ.get("SYNC_PROXY_PORT", "8712"))


class Proxy(http.server.ThreadingHTTPServer):
    """Forwards to central. `mode`: "pass"; "drop" closes the connection after central answered (the
    post never hears that its batch was stored); "twice" delivers each push twice; "hang" holds every
    request for `hang_seconds` before forwarding it (a link so slow that it is as good as down)."""

    daemon_threads = True

    def __init__(self, port: int, upstream: int) -> None:
        self.upstream = upstream
        self.mode = "pass"
        self.hang_seconds = 5.0
        self.pushes = 0
        self.dropped = 0
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Proxy

    def log_message(self, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        push = self.path.startswith("/api/v1/sync/push")
        if push:
            self.server.pushes += 1
        times = 2 if push and self.server.mode == "twice" else 1
        if self.server.mode == "hang":
            time.sleep(self.server.hang_seconds)
        try:
            for _ in range(times):
                upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=120)
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                status, reply_headers = response.status, response.getheaders()
                upstream.close()
        except OSError:
            self.close_connection = True
            self.connection.close()
            return
        if push and self.server.mode == "drop":
            self.server.dropped += 1
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(status)
        for key, value in reply_headers:
            if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    do_GET = _forward
    do_POST = _forward


def _wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


class Pair:
    """A central and a post in `root`, with the proxy between them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "central").mkdir(parents=True, exist_ok=True)
        (root / "post").mkdir(parents=True, exist_ok=True)
        base = {
            **os.environ,
            "CORREDOR_ALLOW_DEVELOPMENT_KEYS": "1",
            "DEBUG": "0",
            "CORREDOR_FAST_PASSWORDS": "1",
            "CORREDOR_SYNC_PUBLISH_SECONDS": "0",
            "CORREDOR_SYNC_TIMEOUT": "20",
            "PYTHONPATH": str(REPO),
        }
        base.pop("CORREDOR_DEVICE_ID", None)
        self.central_env = {**base, "CORREDOR_MODE": "central", "CORREDOR_DATA_DIR": str(root / "central")}
        self.postgres = base.get("DATABASE_URL", "").startswith("postgres")
        if self.postgres:
            # A database of its own on that server, dropped at the end: never the one DATABASE_URL names.
            self.server_url = base["DATABASE_URL"]
            self.database = f"corredor_sync_{os.getpid()}"
            self._admin(f"DROP DATABASE IF EXISTS {self.database}")
            self._admin(f"CREATE DATABASE {self.database}")
            self.central_env["DATABASE_URL"] = self.server_url.rsplit("/", 1)[0] + "/" + self.database
        self.post_env = {**base, "CORREDOR_MODE": "post", "CORREDOR_DATA_DIR": str(root / "post")}
        self.post_env.pop("DATABASE_URL", None)
        self.central: subprocess.Popen[bytes] | None = None
        self.proxy = Proxy(PROXY_PORT, CENTRAL_PORT)
        threading.Thread(target=self.proxy.serve_forever, daemon=True).start()

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    # --- processes ---

    def run(self, side: str, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
        environment = {**(self.central_env if side == "central" else self.post_env), **(env or {})}
        done = subprocess.run(
            [PYTHON, ACTOR, *args], env=environment, capture_output=True, text=True, timeout=600, cwd=REPO
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{side} {args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self) -> None:
        self.run("central", "cli", "migrate", "--no-input", "-v", "0")
        self.run("central", "setup-central")
        self.run("post", "cli", "migrate", "--no-input", "-v", "0")
        self.central_start()
        code = self.run("central", "cli", "device", "code", "--post", "PBL").strip()
        self.run(
            "post", "cli", "sync", "enrol", "--central", f"http://127.0.0.1:{PROXY_PORT}", "--code", code
        )

    def central_start(self, **env: str) -> None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", CENTRAL_PORT)) == 0:
                raise RuntimeError(f"port {CENTRAL_PORT} is taken: another central is running")
        log = open(self.root / "central.log", "ab")  # noqa: SIM115
        self.central = subprocess.Popen(
            [PYTHON, ACTOR, "cli", "runserver", f"127.0.0.1:{CENTRAL_PORT}", "--noreload"],
            env={**self.central_env, **env},
            stdout=log,
            stderr=log,
            cwd=REPO,
        )
        _wait_port(CENTRAL_PORT)

    def central_kill(self) -> None:
        if self.central is not None:
            os.kill(self.central.pid, signal.SIGKILL)
            self.central.wait()
            self.central = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", CENTRAL_PORT)) != 0:
                    return
            time.sleep(0.1)

    def stop(self) -> None:
        self.central_kill()
        self.proxy.shutdown()
        self.proxy.server_close()
        if self.postgres:
            self._admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")

    def sync_background(self, **env: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [PYTHON, ACTOR, "cli", "sync", "run"],
            env={**self.post_env, "CORREDOR_SYNC_INTERVAL": "1", **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
        )

    def sync_once(self, *, check: bool = True, **env: str) -> str:
        return self.run("post", "cli", "sync", "run", "--once", env=env, check=check)

    # --- what each side holds ---

    def records(self, side: str) -> dict[str, dict[str, str]]:
        return json.loads(self.run(side, "records"))  # type: ignore[no-any-return]

    def status(self) -> dict[str, Any]:
        return json.loads(self.run("post", "cli", "sync", "status", "--format", "json"))  # type: ignore[no-any-return]

    def receipts(self) -> dict[str, Any]:
        return json.loads(self.run("central", "receipts"))  # type: ignore[no-any-return]

    def assert_same(self) -> int:
        """Both sides hold exactly the same records (same ids, same content), none twice; returns how many."""
        post, central = self.records("post"), self.records("central")
        for label in post:
            missing = set(post[label]) - set(central[label])
            extra = set(central[label]) - set(post[label])
            assert not missing and not extra, (
                f"{label}: {len(missing)} missing at central, {len(extra)} extra"
            )
            different = [pk for pk in post[label] if post[label][pk] != central[label][pk]]
            assert not different, f"{label}: {len(different)} records differ, e.g. {different[:3]}"
        total = sum(len(rows) for label, rows in post.items() if label != "core.auditentry")
        assert self.receipts()["receipts"] == total, "central stored a record twice or lost one's receipt"
        assert self.status()["pending"] == 0
        return total
