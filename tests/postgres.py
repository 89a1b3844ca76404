"""The tests that touch the database, against PostgreSQL: ``python -m tests.postgres``.

Starts a throwaway cluster of Debian's PostgreSQL (tests/server.py), sets DATABASE_URL to
it and runs pytest on the tests that use the database (``-m "django_db or database"``,
unless the arguments give their own ``-m``), among those the arguments name, then stops
it. The whole suite runs against
SQLite (``make test`` runs both); pytest-django creates its test database on the cluster,
and each production server a test starts gets a database of its own there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.server import POSTGRES_BIN, start_postgres

DEFAULT_ARGS = ["-m", "django_db or database"]


def main(argv: list[str]) -> int:
    if not POSTGRES_BIN:
        # As tests/server.py does for a missing program: a failure under CI, a notice
        # on a developer's machine.
        print("PostgreSQL est absent (apt-get install postgresql) : tests de la base non lancés.")
        return 1 if os.environ.get("CI", "").lower() == "true" else 0
    postgres = start_postgres()
    # Stopped from outside (a CI timeout, a kill): the cluster is stopped all the same.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        env = {**os.environ, "DATABASE_URL": postgres.url("cerfa"), "CERFA_TEST_POSTGRES": "1"}
        return subprocess.run(
            [sys.executable, "-m", "pytest", *(argv if "-m" in argv else DEFAULT_ARGS + argv)],
            env=env,
        ).returncode
    finally:
        postgres.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
