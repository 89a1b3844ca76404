"""The service as ``make run`` serves it, started for a test: ``manage.py serve`` (uvicorn)
in a process of its own, production settings, static files collected by the production
storage. And a real ``redis-server`` when a test needs one.

Both are Debian's programs, never downloaded: without them a test is skipped on a
developer's machine and *fails* under CI (``CI=true``), so that a green CI always means
these tests ran. ``make test`` installs them (see the Makefile).
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process stopped with exit code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without the project's settings, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CERFA_", "DJANGO_", "REDIS", "WEB_CONCURRENCY"))
    }
    env.update(extra)
    return env


_static_root: Path | None = None


def collect_static() -> Path:
    """``collectstatic`` with the production storage, once per test run (as ``make run``).

    Into a folder of this run's own (``CERFA_STATIC_ROOT``): two runs side by side on one
    checkout would otherwise clear each other's files while their servers serve them.
    """
    global _static_root
    if _static_root is None:
        folder = Path(tempfile.mkdtemp(prefix="cerfa-static-"))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=clean_environment(CERFA_ENV="production", CERFA_STATIC_ROOT=str(folder)),
            check=True,
            timeout=300,
        )
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _static_root = folder
    return _static_root


@dataclass
class Server:
    """A running ``manage.py serve``; ``log()`` is everything it printed so far."""

    url: str
    process: subprocess.Popen
    log_path: Path
    tmpdir: Path
    # Where its statistics database lives (SQLite; migrated before it starts), unless
    # DATABASE_URL was given.
    data_dir: Path | None = None
    database_url: str | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server, or its workers when it has some."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        kids = [int(p) for p in children.read_text().split()] if children.exists() else []
        # With workers, multiprocessing also starts its resource tracker: not a worker.
        workers = [
            pid
            for pid in kids
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        return workers or [self.pid]

    def stop(self, clean: bool = True) -> None:
        """Stop it as an operator would (SIGINT: it ends its requests and writes its
        counts); ``clean=False`` leaves its folders for a test to search, ``clean()``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if clean:
            self.clean()

    def clean(self) -> None:
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        if self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def _postgres_database(url: str) -> str:
    """A new empty database on the PostgreSQL cluster of ``url``; its URL."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = f"cerfa_{secrets.token_hex(6)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def start_server(**env: str) -> Server:
    """The production server on a free port, with ``env`` added to its environment.

    Its temporary folder is a fresh one (``TMPDIR``), so that a test can check that nothing
    was written there; what it prints goes to a file in that folder's parent. Its
    statistics database too is its own: a fresh SQLite file (``CERFA_DATA_DIR``), or the
    ``DATABASE_URL`` given, migrated first as ``make install`` does.
    """
    static_root = collect_static()
    port = free_port()
    tmpdir = Path(tempfile.mkdtemp(prefix="cerfa-server-"))
    (tmpdir / "tmp").mkdir()
    # Lookups off unless a test points them at its fake upstream (tests/upstream.py).
    full_env = clean_environment(
        **{
            "CERFA_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "CERFA_LOOKUPS_ENABLED": "false",
            "TMPDIR": str(tmpdir / "tmp"),
            "PYTHONUNBUFFERED": "1",
            "CERFA_STATIC_ROOT": str(static_root),
            **env,
        }
    )
    data_dir = None
    if "DATABASE_URL" in env:
        pass
    elif "CERFA_DATA_DIR" in env:  # another server's data, read again
        data_dir = Path(env["CERFA_DATA_DIR"])
    elif os.environ.get("CERFA_TEST_POSTGRES") and os.environ.get("DATABASE_URL"):
        # Under tests/postgres.py: a database of this server's own on the run's cluster.
        full_env["DATABASE_URL"] = _postgres_database(os.environ["DATABASE_URL"])
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="cerfa-data-"))
        full_env["CERFA_DATA_DIR"] = str(data_dir)
        full_env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=full_env,
        check=True,
        timeout=120,
    )
    log_path = tmpdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(
        f"http://127.0.0.1:{port}",
        process,
        log_path,
        tmpdir / "tmp",
        data_dir,
        full_env.get("DATABASE_URL"),
    )
    try:
        wait_for_port(port, process)
    except RuntimeError as exc:
        text = server.log()
        server.stop()
        raise RuntimeError(f"{exc}\n{text}") from None
    return server


@dataclass
class Redis:
    url: str
    port: int
    process: subprocess.Popen
    folder: Path

    def client(self):
        import redis

        return redis.Redis(port=self.port)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_redis(*settings: str) -> Redis:
    """Debian's redis-server on a free port, keeping nothing on disk unless ``settings``
    (redis-server command-line options, e.g. ``"--save", "60 1"``) say otherwise."""
    if not Path(REDIS_SERVER).exists():
        unavailable("redis-server is missing (apt-get install redis-server)")
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="cerfa-redis-"))
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory-policy",
            "noeviction",
            *settings,
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    return Redis(f"redis://127.0.0.1:{port}/0", port, process, folder)


POSTGRES_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))


@dataclass
class Postgres:
    """A throwaway PostgreSQL cluster: its own folder, a free port, no password (trust on
    127.0.0.1 only), nothing kept after ``stop``."""

    port: int
    process: subprocess.Popen
    folder: Path

    def url(self, name: str = "postgres") -> str:
        return f"postgres://cerfa@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # « smart » shutdown: the clients are gone by then
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> Postgres:
    """Debian's PostgreSQL (``apt-get install postgresql``: its programs, never its service)
    as a cluster in a temporary folder. PostgreSQL refuses to run as root: as root, the
    cluster belongs to the ``postgres`` user that the Debian package creates, and its
    programs run as that user (``runuser``)."""
    if not POSTGRES_BIN:
        unavailable("PostgreSQL is missing (apt-get install postgresql)")
    bindir = POSTGRES_BIN[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="cerfa-postgres-"))
    folder.chmod(0o755)
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "cerfa", "-A", "trust",
         "-E", "UTF8", "--no-locale"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120,
    )  # fmt: skip
    port = free_port()
    # Speed over durability: the cluster is thrown away after the run.
    process = subprocess.Popen(
        [*as_user, str(bindir / "postgres"), "-D", str(data), "-p", str(port),
         "-h", "127.0.0.1", "-k", str(folder), "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off"],
        stdout=subprocess.DEVNULL, stderr=(folder / "postgres.log").open("wb"),
    )  # fmt: skip
    try:
        wait_for_port(port, process)
    except RuntimeError:
        log = (folder / "postgres.log").read_text(errors="replace")
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start:\n{log}") from None
    return Postgres(port, process, folder)
