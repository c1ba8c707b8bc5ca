"""A user's own mistakes on the command line: one sentence, exit 1, and nothing made or written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from rmtui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run `rmtui ARGS` in this process; its exit code and what it said on stderr."""
    code = main(list(args))
    return code, capsys.readouterr().err


def one_sentence(error: str) -> str:
    """The error line, checked to be one line that blames no bug."""
    lines = error.strip().splitlines()
    assert len(lines) == 1, error
    assert "unexpected error" not in error and "Traceback" not in error
    return lines[0]


@pytest.mark.parametrize("command", [["agenda"], ["kpi"], ["export", "OUT"], ["backup"]])
def test_a_mistyped_book_path_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "typo" / "x.db"
    command = [str(tmp_path / "out.json") if word == "OUT" else word for word in command]
    code, error = run(capsys, "--db", str(typo), *command)
    assert code == 1
    assert "there is no book at" in one_sentence(error)
    assert not typo.parent.exists()


def test_a_zero_byte_file_is_not_taken_for_a_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, error = run(capsys, "--db", str(empty), "agenda")
    assert code == 1
    assert "is empty (0 bytes)" in one_sentence(error)
    assert empty.stat().st_size == 0


def test_importing_a_missing_file_makes_no_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "new.db"
    for name in ("missing.json", "missing.csv", "missing.vcf"):
        code, error = run(capsys, "--db", str(book), "import", str(tmp_path / name))
        assert code == 1
        assert "there is no file or folder at" in one_sentence(error)
    assert not book.exists()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_import_files_are_one_sentence_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = json.dumps({"format": "rmtui-book", "version": 1, "clients": []})
    cases = {
        write(tmp_path, "bad.json", "{bad"): "is not valid JSON",
        write(tmp_path, "notes.xyz", long_name): "cannot tell what notes.xyz holds",
        write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000): "nests lists or objects",
        write(tmp_path, "wide.csv", f"name,email\n{'y' * 200_000},a@b.cc\n"): "longer than 128 KiB",
    }
    for path, expected in cases.items():
        code, error = run(capsys, "import", str(path))
        assert code == 1, path
        assert expected in one_sentence(error)


def test_a_file_of_unknown_ending_imports_with_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = json.dumps({"format": "rmtui-book", "version": 1, "clients": [{"id": 1, "name": "Ann"}]})
    path = write(tmp_path, "book.export", book)
    assert run(capsys, "import", "--format", "json", str(path))[0] == 0


def test_the_agenda_of_another_day_is_headed_with_its_date(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agenda", "--date", "2026-12-04"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Friday 2026-12-04"
    assert main(["agenda"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Today, Sunday 2026-11-29"


def test_a_refused_import_leaves_no_new_book_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "new.db"
    bad_records = json.dumps({"format": "rmtui-book", "version": 1, "clients": [{"id": 1}]})
    for path in (
        write(tmp_path, "bad_records.json", bad_records),
        write(tmp_path, "empty.csv", ""),
        write(tmp_path, "bad.vcf", "not a vcard"),
    ):
        code, _error = run(capsys, "--db", str(book), "import", str(path))
        assert code == 1, path
        assert not book.exists(), path


def test_a_book_file_cut_short_is_refused_in_one_sentence_and_imports_nothing(
    small_book: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "book.json"
    assert main(["export", str(exported)]) == 0
    text = exported.read_text(encoding="utf-8")
    cut = write(tmp_path, "cut.json", text[: text.index('"Send proposal"') + 4])
    capsys.readouterr()
    code, error = run(capsys, "import", str(cut))
    assert code == 1
    assert "is not valid JSON: Unterminated string starting at at line" in one_sentence(error)
    again = tmp_path / "again.json"
    assert main(["export", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == text
    new = tmp_path / "new.db"
    code, error = run(capsys, "--db", str(new), "import", str(cut))
    assert code == 1 and "is not valid JSON" in one_sentence(error)
    assert not new.exists()


def test_a_book_file_with_its_header_after_the_records_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps({"clients": [{"id": 1, "name": "Ann"}], "format": "rmtui-book", "version": 3})
    path = write(tmp_path, "late.json", text)
    assert main(["--db", str(tmp_path / "new.db"), "import", str(path)]) == 0
    assert capsys.readouterr().out.startswith("Imported 1 client, ")
