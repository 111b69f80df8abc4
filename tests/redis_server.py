"""A redis-server of a test's own, on a free port, that the test can stop and start again.

Fault tests stop this server for real (never the shared Redis, never a mock): clients see refused connections
exactly as they would in production. It keeps nothing on disk, so a restart comes back empty, as a Redis without
persistence does after a crash: whatever was queued in it is gone and must be recovered from the database.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """`redis-server` on 127.0.0.1:`port` (a free one unless given), logging into `folder`."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> str | None:
        return shutil.which("redis-server") or next(
            (str(p) for p in (Path("/usr/bin/redis-server"), Path("/usr/sbin/redis-server")) if p.exists()),
            None,
        )

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        if self.is_running():
            return
        binary = self.binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"]
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}; see {self.folder}")
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise TimeoutError(f"redis-server on port {self.port} did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL); the port refuses connections until `start`."""
        if not self.is_running():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def flush(self) -> None:
        redis.Redis(port=self.port).flushall()
