"""A book file imported as it is read: memory that does not grow with the file, all or nothing
with every problem in file order, the header anywhere, a cut file refused, money exact."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.interchange import import_staging, json_stream, problem_log
from rmtui.core.interchange.book_file import (
    BookImportError,
    InterchangeError,
    import_book_file,
)
from rmtui.core.models import AuditEntry, Client, Interaction
from tests.core.test_interchange import book_dict, count
from tests.factories import make

HEADER = {"format": "rmtui-book", "version": 3}


def write_file(path: Path, members: dict[str, Any]) -> Path:
    """A book file of `members` (lists written a record a line, as rmtui writes them)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for number, (key, value) in enumerate(members.items()):
            out.write(",\n" if number else "\n")
            if isinstance(value, list | Iterator):
                records = ",\n  ".join(json.dumps(record) for record in value)
                out.write(f' "{key}": [\n  {records}\n ]')
            else:
                out.write(f' "{key}": {json.dumps(value)}')
        out.write("\n}\n")
    return path


def clients(count: int) -> list[dict[str, Any]]:
    return [
        {"id": n, "name": f"Client {n}", "email": f"c{n}@example.test"} for n in range(1, count + 1)
    ]


def calls(count: int, *, clients: int = 100) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        yield {
            "id": n,
            "client": n % clients + 1,
            "at": "2026-11-01T10:00",
            "kind": "call",
            "subject": f"Call number {n}",
            "notes": "Talked about the portfolio. " * 4,
        }


# Memory


def peak_while(action: Callable[[], Any]) -> int:
    """The most memory Python held (bytes) while `action` ran."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_import_holds_as_much_of_a_large_file_as_of_a_small_one(
    tmp_path: Path, new_book: Callable[[Path], Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 16 * 1024)
    monkeypatch.setattr(import_staging, "BATCH_SIZE", 500)
    small = write_file(
        tmp_path / "small.json", {**HEADER, "clients": clients(100), "interactions": calls(4000)}
    )
    large = write_file(
        tmp_path / "large.json", {**HEADER, "clients": clients(100), "interactions": calls(16_000)}
    )
    peaks: dict[Path, int] = {}
    for path in (small, small, large):  # the first import warms the caches of the code
        engine = new_book(tmp_path / f"{path.stem}-{len(peaks)}.db")
        peaks[path] = peak_while(lambda: import_book_file(path, engine=engine))  # noqa: B023
        assert count(engine, Interaction) == (4000 if path == small else 16_000)
        engine.dispose()
    held_whole = peak_while(lambda: json.loads(large.read_text(encoding="utf-8")))
    assert peaks[large] < 1.25 * peaks[small], peaks
    assert peaks[large] < held_whole / 5, (peaks, held_whole)


def test_records_are_checked_while_the_file_is_still_being_read(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 16 * 1024)
    path = write_file(tmp_path / "book.json", {**HEADER, "clients": clients(3000)})
    told: list[tuple[str, int, int | None]] = []
    import_book_file(
        path,
        engine=engine,
        progress=lambda step, done=0, total=None: told.append((step, done, total)),
    )
    size = path.stat().st_size
    reading = [done for step, done, _total in told if step == "reading book.json"]
    assert reading[0] == 0 and any(0 < done < size for done in reading)
    assert all(total == 2 * size for _step, _done, total in told)
    assert told[-1] == ("saving the book", 2 * size, 2 * size)


# All or nothing


def test_problems_in_the_middle_and_at_the_end_leave_the_book_untouched(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 4096)
    monkeypatch.setattr(import_staging, "BATCH_SIZE", 100)
    with session_scope(engine) as session:
        make(session, Client, name="Already here")
    before = book_dict(engine)
    people = clients(2000)
    people[999]["email"] = "not an address"
    people[-1]["tier"] = "gold"
    interactions = list(calls(3000, clients=2000))
    interactions[1499]["client"] = 5000
    interactions[-1]["at"] = "yesterday"
    interactions[-1]["client"] = 6000
    path = write_file(
        tmp_path / "bad.json", {**HEADER, "clients": people, "interactions": interactions}
    )

    with pytest.raises(BookImportError) as refused:
        import_book_file(path, engine=engine)

    assert [str(problem) for problem in refused.value.problems] == [
        "clients #1000 email: 'not an address' is not an e-mail address",
        "clients #2000 tier: 'gold' is not one of A, B, C",
        "interactions #1500 client: no client #5000 in the file or the book",
        "interactions #3000 at: 'yesterday' is not a date and time; write it as YYYY-MM-DDTHH:MM",
        "interactions #3000 client: no client #6000 in the file or the book",
    ]
    assert book_dict(engine) == before
    assert count(engine, AuditEntry) == 1  # the client made above, not an import


def test_a_file_with_more_problems_than_are_listed_in_memory_gives_them_all_in_order(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problem_log, "LISTED_LIMIT", 50)
    monkeypatch.setattr(problem_log, "PENDING_LIMIT", 7)
    people = [{"id": n, "name": f"C{n}", "tier": "Z", "referred_by": 999} for n in range(1, 41)]
    path = write_file(tmp_path / "bad.json", {**HEADER, "clients": people})
    with pytest.raises(BookImportError) as refused:
        import_book_file(path, engine=engine)
    problems = refused.value.problems
    assert len(problems) == 80 and not isinstance(problems, list)
    assert str(problems[0]) == "clients #1 tier: 'Z' is not one of A, B, C"
    assert str(problems[1]) == "clients #1 referred_by: no client #999 in the file or the book"
    assert [p.record_id for p in problems] == [n for n in range(1, 41) for _twice in (1, 2)]
    assert [str(p) for p in problems[-2:]] == [str(p) for p in list(problems)[78:]]
    assert str(refused.value) == "the file has 80 problems, so nothing was imported."
    assert count(engine, Client) == 0


def test_an_id_given_twice_out_of_order_is_found(tmp_path: Path, engine: Engine) -> None:
    people = [{"id": 3, "name": "A"}, {"id": 1, "name": "B"}, {"id": 3, "name": "C"}]
    path = write_file(tmp_path / "twice.json", {**HEADER, "clients": people})
    with pytest.raises(BookImportError) as refused:
        import_book_file(path, engine=engine)
    assert [str(p) for p in refused.value.problems] == [
        "clients #3 id: 3 is also the id of another record"
    ]


def test_a_list_given_twice_is_a_problem(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "twice.json"
    path.write_text(
        '{"format": "rmtui-book", "version": 3, "clients": [{"id": 1, "name": "A"}],'
        ' "clients": [{"id": 2, "name": "B"}]}',
        encoding="utf-8",
    )
    with pytest.raises(BookImportError) as refused:
        import_book_file(path, engine=engine)
    assert [str(p) for p in refused.value.problems] == [
        "clients: is listed twice in the file; list its records once"
    ]


# The header


def test_the_header_may_follow_the_records(tmp_path: Path, engine: Engine) -> None:
    path = write_file(
        tmp_path / "late.json",
        {"clients": clients(3), "interactions": list(calls(5, clients=3)), **HEADER},
    )
    report = import_book_file(path, engine=engine)
    assert report.counts["clients"] == 3 and report.counts["interactions"] == 5


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ({"format": "rmtui-book", "version": 5}, "was written by a newer rmtui (format version 5)"),
        ({"version": 4, "format": "contacts"}, 'is not an rmtui book export: its "format"'),
        ({"version": 4}, 'is not an rmtui book export: its "format"'),
        ({"format": "rmtui-book"}, 'has an unsupported "version" (null)'),
    ],
)
def test_a_wrong_header_after_the_records_refuses_the_whole_file(
    tmp_path: Path, engine: Engine, header: dict[str, Any], said: str
) -> None:
    people = [*clients(3), {"id": 4, "tier": "wrong"}]
    path = write_file(tmp_path / "late.json", {"clients": people, **header})
    with pytest.raises(InterchangeError) as refused:
        import_book_file(path, engine=engine)
    assert not isinstance(refused.value, BookImportError)
    assert str(refused.value).startswith(f"{path} {said}")
    assert count(engine, Client) == 0


def test_a_wrong_header_first_is_refused_before_the_records_are_read(
    tmp_path: Path, engine: Engine
) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"format": "contacts", "clients": [{"id": 1, "name": "A"}, oops]}')
    with pytest.raises(InterchangeError, match='is not an rmtui book export: its "format"'):
        import_book_file(path, engine=engine)


# Damaged files


def test_a_file_cut_mid_record_is_refused_in_one_sentence(tmp_path: Path, engine: Engine) -> None:
    whole = write_file(tmp_path / "whole.json", {**HEADER, "clients": clients(500)})
    text = whole.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    start = text.index('"Client 321"')
    cut.write_text(text[: start + 5], encoding="utf-8")
    line, column = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
    with pytest.raises(InterchangeError) as refused:
        import_book_file(cut, engine=engine)
    assert str(refused.value) == (
        f"{cut} is not valid JSON: Unterminated string starting at at line {line}, column {column}."
    )
    assert count(engine, Client) == 0 and count(engine, AuditEntry) == 0


def test_a_value_too_large_for_a_record_is_refused(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 64 * 1024)
    monkeypatch.setattr(json_stream, "LARGEST_VALUE", 1 << 20)
    notes = "x" * (2 << 20)
    path = write_file(tmp_path / "huge.json", {**HEADER, "clients": [{"id": 1, "notes": notes}]})
    with pytest.raises(InterchangeError) as refused:
        import_book_file(path, engine=engine)
    assert str(refused.value) == (
        f"{path} holds a value of more than 1 MiB at line 5, larger than any record of a book"
        " file; is it an rmtui export?"
    )


# Money


def test_amounts_written_as_numbers_stay_exact(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "PIECE", 5)  # numbers are cut between pieces
    path = tmp_path / "money.json"
    path.write_text(
        '{"format": "rmtui-book", "version": 3, "clients": [{"id": 1, "name": "A"}],'
        ' "revenue": [{"client": 1, "on": "2026-01-01", "amount": 0.1},'
        ' {"client": 1, "on": "2026-01-02", "amount": 1234567.89},'
        ' {"client": 1, "on": "2026-01-03", "amount": "-10.05"},'
        ' {"client": 1, "on": "2026-01-04", "amount": 2e1}]}',
        encoding="utf-8",
    )
    import_book_file(path, engine=engine)
    amounts = [entry["amount"] for entry in book_dict(engine)["revenue"]]
    assert amounts == ["0.10", "1234567.89", "-10.05", "20.00"]


# Ids and references


def test_a_file_in_any_order_into_a_book_with_records_gets_new_ids_and_references(
    tmp_path: Path, engine: Engine
) -> None:
    with session_scope(engine) as session:
        mine = make(session, Client, name="Already here")
        make(session, Interaction, client_id=mine.id, subject="Mine")
    members = [{"client": 20, "role": "head"}, {"client": 10, "role": "partner"}]
    path = write_file(
        tmp_path / "mixed.json",
        {
            "households": [{"id": 5, "name": "Home", "members": members}],
            "interactions": [
                {"id": 7, "client": 10, "at": "2026-11-20T10:00", "contact_person": 3}
            ],
            "contact_points": [{"client": 20, "kind": "phone", "value": "+32 9 000 00 00"}],
            "contact_persons": [{"id": 3, "client": 10, "name": "Joke"}],
            "clients": [
                {"id": 10, "name": "Bob", "referred_by": 20},
                {"id": 20, "name": "Ada", "referred_by": 1},
            ],
            **HEADER,
        },
    )
    report = import_book_file(path, engine=engine)
    after = book_dict(engine)
    assert not report.ids_kept
    assert [(c["id"], c["name"], c["referred_by"]) for c in after["clients"]] == [
        (1, "Already here", None),
        (2, "Bob", 3),
        (3, "Ada", 1),
    ]
    assert after["households"][0]["members"] == [
        {"client": 3, "role": "head"},
        {"client": 2, "role": "partner"},
    ]
    assert after["contact_persons"][0]["client"] == 2
    assert [(i["id"], i["client"], i["contact_person"]) for i in after["interactions"]] == [
        (1, 1, None),
        (2, 2, 1),
    ]
    assert [(p["client"], p["kind"]) for p in after["contact_points"]] == [(3, "phone")]


def test_a_record_named_by_an_id_too_large_for_the_book_is_named_so_in_every_problem(
    tmp_path: Path, engine: Engine
) -> None:
    path = write_file(
        tmp_path / "large.json",
        {**HEADER, "clients": [{"id": 2**70, "name": "A", "referred_by": 99}]},
    )
    with pytest.raises(BookImportError) as refused:
        import_book_file(path, engine=engine)
    assert [str(p) for p in refused.value.problems] == [
        f"clients #{2**70} id: {2**70} is too large to be an id",
        f"clients #{2**70} referred_by: no client #99 in the file or the book",
    ]
