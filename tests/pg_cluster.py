"""A throw-away PostgreSQL cluster for the tests: initdb and pg_ctl on a Unix socket in a
temporary folder, run as the current user (as a user of its own when that is root, whom
initdb refuses)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "rmtui"
DEBIAN_BIN = "/usr/lib/postgresql/*/bin"
# The tests' small books need little; PostgreSQL's own default is 128MB.
TESTS_SHARED_BUFFERS = "16MB"


def server_program(name: str) -> str | None:
    """The path of `name` (initdb, pg_ctl): on the PATH, else where Debian puts it."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"{DEBIAN_BIN}/{name}"))
    return candidates[-1] if candidates else None


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return command if owner is None else ["runuser", "-u", owner, "--", *command]


class Cluster:
    """A PostgreSQL cluster listening on a socket in its own folder only."""

    def __init__(self, *, shared_buffers: str = TESTS_SHARED_BUFFERS) -> None:
        self.shared_buffers = shared_buffers
        self.folder = Path(tempfile.mkdtemp(prefix="rmtui-pg-"))
        self.owner = _unprivileged_user() if os.geteuid() == 0 else None
        self.data = self.folder / "data"

    def start(self) -> None:
        """initdb the cluster and start its server; wait until it takes connections."""
        initdb, pg_ctl = server_program("initdb"), server_program("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise RuntimeError("PostgreSQL's initdb and pg_ctl are not installed")
        if self.owner is not None:
            self.folder.chmod(0o777)
            shutil.chown(self.folder, user=self.owner)
        self._run(
            [
                initdb,
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = (
            f"-k {self.folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
            f" -c full_page_writes=off -c shared_buffers={self.shared_buffers}"
            " -c max_connections=60"
        )
        self._run(
            [
                pg_ctl,
                "-D",
                str(self.data),
                "-l",
                str(self.folder / "log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        )

    def stop(self) -> None:
        """Stop the server and remove the cluster."""
        pg_ctl = server_program("pg_ctl")
        if pg_ctl is not None:
            self._run([pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        """The URL of `database` on this cluster."""
        return f"postgresql://{SUPERUSER}@/{database}?host={self.folder}"

    def create_database(self, database: str, *, template: str | None = None) -> str:
        """Create a database, empty or a copy of `template`; return its URL."""
        copied = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self._admin(
            f'DROP DATABASE IF EXISTS "{database}"', f'CREATE DATABASE "{database}"{copied}'
        )
        return self.url(database)

    def drop_database(self, database: str) -> None:
        """Drop a database, ending the connections a test left to it."""
        self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def _run(self, command: list[str], *, check: bool = True) -> None:
        subprocess.run(
            _as_owner(command, self.owner), check=check, capture_output=True, cwd=self.folder
        )


def _unprivileged_user() -> str:
    """A user other than root to own the cluster (postgres where the package made one)."""
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("no user but root to run PostgreSQL as")
