"""The book kept safe from outside: errors in one sentence, imports that wait their turn, a
read-only medium, the schema checked by doctor, former names found by an erase, a replaced
book said in the TUI."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from rmtui.cli import main
from rmtui.core.db import session_scope
from rmtui.core.errors import database_error
from rmtui.core.interchange.csv_files import import_clients_csv
from rmtui.core.models import Client
from rmtui.core.privacy import erase_client
from tests.factories import make

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("driver_says", "sentence"),
    [
        ("database or disk is full", "the disk is full or failing; free some space"),
        ("database disk image is malformed", "is damaged; restore a backup"),
        ("file is not a database", "is damaged; restore a backup"),
        ("database is locked", "is in use by another program"),
    ],
)
def test_a_database_failure_is_one_sentence_without_sql(driver_says: str, sentence: str) -> None:
    error = OperationalError("INSERT INTO client (name) VALUES (?)", ("x",), Exception(driver_says))
    text = str(database_error(Path("book.db"), error))
    assert sentence in text
    assert "INSERT" not in text and "\n" not in text and "could not be opened" not in text
    assert text.endswith(".") and text.count(". ") == 0


def hold_the_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another connection that writes to the book and commits only after `seconds`."""
    held = threading.Event()

    def other_writer() -> None:
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE audit SET action = action")
            held.set()
            time.sleep(seconds)
            connection.execute("COMMIT")

    writer = threading.Thread(target=other_writer)
    writer.start()
    held.wait()
    return writer


def test_an_import_waits_for_another_writer_instead_of_failing(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    from rmtui.core.interchange.book_file import import_book

    with session_scope(engine) as session:
        make(session, Client, name="Already there")
    writer = hold_the_write_lock(db_path, 0.6)
    data = {"format": "rmtui-book", "version": 1, "clients": [{"name": "Ann"}, {"name": "Bob"}]}
    report = import_book(engine=engine, data=data)
    writer.join()
    assert report.counts["clients"] == 2
    source = tmp_path / "clients.csv"
    source.write_text("name,email\nCas,cas@example.test\n")
    writer = hold_the_write_lock(db_path, 0.6)
    assert import_clients_csv(source, engine=engine).added == 1
    writer.join()


def test_erase_reports_mentions_of_a_former_name_and_e_mail(engine: Engine) -> None:
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Oldname", email="ann@old.test")
        make(session, Client, name="Bob", notes="Met Ann Oldname at the fair")
        make(session, Client, name="Cas", notes="cc ann@old.test")
    with session_scope(engine) as session:
        renamed = session.get(Client, ann.id)
        assert renamed is not None
        renamed.name, renamed.email = "Ann Newname", "ann@new.test"
    report = erase_client(engine=engine, client_id=ann.id)  # type: ignore[arg-type]
    assert len(report.mentions["clients"]) == 2


def test_doctor_finds_a_dropped_table(
    engine: Engine, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine.dispose()
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("DROP TABLE survey")
        connection.commit()
    assert main(["--db", str(db_path), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "missing table survey" in out and "integrity: ok" not in out


def test_doctor_finds_nothing_wrong_with_a_whole_book(
    engine: Engine, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine.dispose()
    assert main(["--db", str(db_path), "doctor"]) == 0
    assert "integrity: ok" in capsys.readouterr().out


READ_ONLY_COMMANDS = """
set -e
mount -t tmpfs tmpfs "$MEDIUM"
cp "$BOOK" "$MEDIUM/book.db"
mount -o remount,ro "$MEDIUM"
for command in agenda doctor backup "export $OUT/out.json"; do
    "$PYTHON" -m rmtui --db "$MEDIUM/book.db" $command > /dev/null
    echo "done: $command"
done
ls -a "$MEDIUM"
"""


def test_read_only_commands_work_on_a_read_only_medium(
    engine: Engine, db_path: Path, tmp_path: Path
) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to mount a read-only file system")
    with session_scope(engine) as session:
        make(session, Client, name="Ann")
    engine.dispose()
    medium, out = tmp_path / "medium", tmp_path / "out"
    medium.mkdir()
    out.mkdir()
    env = {
        "MEDIUM": str(medium),
        "BOOK": str(db_path),
        "OUT": str(out),
        "PYTHON": sys.executable,
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "RMTUI_TODAY": "2026-11-29",
        "PATH": "/usr/bin:/bin",
    }
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("this system does not let a test mount a file system")
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", READ_ONLY_COMMANDS],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("done: ") == 4
    assert done.stdout.split("done: export")[1].split() == [f"{out}/out.json", ".", "..", "book.db"]
    assert (out / "out.json").stat().st_size > 0
