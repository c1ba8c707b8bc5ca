"""Backups of a book on a PostgreSQL server: PostgreSQL's own pg_dump and pg_restore, when
they are on the PATH (the file backups of rmtui do not apply to a server)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from rmtui.core import paths
from rmtui.core.errors import BookError
from rmtui.core.server import book_title, masked
from rmtui.core.translation import N_, _

TOOLS_HINT = N_(
    "install PostgreSQL's client programs (Debian: `apt install postgresql-client`), or "
    "back the database up on the server with pg_dump"
)


def server_backup_dir() -> Path:
    """Where the dumps of server books are kept: the user's data folder."""
    return paths.data_dir() / "backups" / "server"


def dump_server_book(url: str, *, reason: str = "manual", folder: Path | None = None) -> Path:
    """Dump the book `url` names with pg_dump (its custom format) into `folder`; return the
    file. BookError says why when pg_dump is missing or fails."""
    program = _tool("pg_dump", url)
    folder = paths.ensure_private_dir(folder or server_backup_dir())
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dump = folder / f"{_dump_prefix(url)}{stamp}-{reason}.dump"
    _run([program, "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={url}"], url)
    paths.make_private(dump)
    return dump


def server_dumps(url: str, folder: Path | None = None) -> list[Path]:
    """The dumps of the book `url` names (masked or not) in `folder`, oldest first."""
    folder = folder or server_backup_dir()
    if not folder.is_dir():
        return []
    prefix = _dump_prefix(url)
    found = (path for path in folder.iterdir() if path.name.startswith(prefix))
    return sorted(path for path in found if path.suffix == ".dump")


def _dump_prefix(url: str) -> str:
    """How the names of the dumps of the book `url` names begin: its database and host."""
    return book_title(url).replace(" on ", "@").replace("/", "_") + "-"


def restore_server_book(url: str, dump: Path) -> Path:
    """Replace the book `url` names with the dump `dump` (pg_restore, in one transaction),
    after dumping it as it is; return that safety dump."""
    if not dump.is_file():
        raise BookError(_("there is no backup at {dump}; check its name.").format(dump=dump))
    program = _tool("pg_restore", url)
    safety = dump_server_book(url, reason="before-restore")
    _run(
        [program, "--clean", "--if-exists", "--single-transaction", "--no-owner",
         f"--dbname={url}", str(dump)],
        url,
    )  # fmt: skip
    return safety


def _tool(name: str, url: str) -> str:
    program = shutil.which(name)
    if program is None:
        said = _("{url} is a PostgreSQL book and {name} is not on the PATH; {hint}.")
        raise BookError(said.format(url=masked(url), name=name, hint=_(TOOLS_HINT)))
    return program


def _run(command: list[str], url: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or [_("no reason given")])[-1]
        raise BookError(
            _("{name} could not do its work on {url} ({reason}).").format(
                name=Path(command[0]).name, url=masked(url), reason=masked(said).rstrip(".")
            )
        )
