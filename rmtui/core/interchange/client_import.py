"""Importing clients from a file (CSV, vCard): duplicates, all-or-nothing writes, the report."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from rmtui.core import audit
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.figures import count_text
from rmtui.core.interchange.batches import chunks
from rmtui.core.interchange.schema import FIELDS
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.interchange.text_files import ImportText, decode_text
from rmtui.core.models import Client
from rmtui.core.queries.common import without_case
from rmtui.core.queries.contact_points import NewPoint, add_points
from rmtui.core.translation import N_, _, ngettext
from rmtui.core.wording import records_text

CHUNK = 500


@dataclass(frozen=True)
class ImportProblem:
    """What is wrong in one place of an import file: `row 5, email: 'x' is not ...`."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.where}, {self.column}: {self.message}"
            if self.column
            else (f"{self.where}: {self.message}")
        )


@dataclass
class Candidate:
    """One client read from a file: where it was, the fields it gave, its column values, and
    every e-mail address and phone number it had (the preferred ones also in `values`)."""

    where: str
    record: dict[str, Any]
    values: dict[str, Any]
    points: list[NewPoint] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The client's name as read."""
        return str(self.values.get("name") or "")


@dataclass(frozen=True)
class Duplicate:
    """A client of the file that is already in the file or in the book."""

    where: str
    name: str
    reason: str
    existing_id: int | None = None  # the book's client it is
    same_as: str | None = None  # the record of the file it repeats

    def __str__(self) -> str:
        return f"{self.where} ({self.name}): {self.reason}"


@dataclass
class ClientImportReport:
    """What an import of clients did, or would do in a dry run."""

    source: str
    read: int = 0
    added: int = 0
    merged: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    skipped: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    contact_persons: int = 0  # people at a business added with the clients (vCards)

    def summary(self) -> str:
        """One sentence saying what happened."""
        if self.problems:
            count = len(self.problems)
            said = ngettext(
                "{source} has {count} problem, so nothing was imported.",
                "{source} has {count} problems, so nothing was imported.",
                count,
            )
            return said.format(source=self.source, count=count_text(count))
        add = (
            _("would add {count} of {clients}") if self.dry_run else _("added {count} of {clients}")
        )
        parts = [
            add.format(count=count_text(self.added), clients=records_text("clients", self.read))
        ]
        if self.contact_persons:
            persons = records_text("contact_persons", self.contact_persons)
            parts[0] = _("{clients} and {persons}").format(clients=parts[0], persons=persons)
        if self.merged:
            merge = _("would merge {count}") if self.dry_run else _("merged {count}")
            parts.append(merge.format(count=count_text(self.merged)))
        duplicates = len(self.duplicates) - self.merged
        if duplicates:
            skipped = ngettext(
                "skipped {count} duplicate", "skipped {count} duplicates", duplicates
            )
            parts.append(skipped.format(count=count_text(duplicates)))
        if self.skipped:
            records = count_text(len({problem.where for problem in self.skipped}))
            skip = (
                _("would skip {count} with problems")
                if self.dry_run
                else _("skipped {count} with problems")
            )
            parts.append(skip.format(count=records))
        return f"{self.source}: " + ", ".join(parts) + "."

    def lines(self) -> list[str]:
        """The summary, then every problem, skipped record, duplicate and note, one per line."""
        lines = [self.summary()]
        lines += ["  " + _("problem: {text}").format(text=problem) for problem in self.problems]
        lines += ["  " + _("skipped: {text}").format(text=problem) for problem in self.skipped]
        lines += ["  " + _("duplicate: {text}").format(text=same) for same in self.duplicates]
        lines += ["  " + _("note: {text}").format(text=note) for note in self.notes]
        return lines

    def skip_problems(self) -> set[str]:
        """Move every problem to `skipped`; the places (rows, cards) left out."""
        self.skipped += self.problems
        self.problems = []
        return {problem.where for problem in self.skipped}


class ImportRejected(BookError):
    """An import refused because of problems in the file; nothing was written."""

    def __init__(self, report: ClientImportReport) -> None:
        self.report = report
        super().__init__(report.summary())


class ImportFileError(BookError):
    """An import file that cannot be read at all, with one sentence saying why."""


# Work done in the import's transaction once its clients are in: given the book's client each
# record of the file became or was found to be, by its place (None for one a dry run would add).
AfterClients = Callable[[Session, Mapping[str, int | None]], None]


def import_clients(
    candidates: list[Candidate],
    report: ClientImportReport,
    *,
    engine: Engine,
    merge: bool = False,
    skip_invalid: bool = False,
    then: AfterClients | None = None,
) -> ClientImportReport:
    """Add the candidates to the book in one transaction, skipping or merging duplicates, and
    do `then` in the same transaction (in a dry run too, which then writes nothing).

    Raises ImportRejected (writing nothing) when the report already holds problems, unless
    it is a dry run, which only fills in the report. With `skip_invalid` the records with
    problems are left out (and listed as skipped) and the others imported.
    """
    if skip_invalid and report.problems:
        left_out = report.skip_problems()
        candidates = [candidate for candidate in candidates if candidate.where not in left_out]
    if report.problems and not report.dry_run:
        raise ImportRejected(report)
    with session_scope(engine, bulk=True) as session:
        new, merges = _sort_out(candidates, report, session.connection(), merge=merge)
        report.added, report.merged = len(new), len(merges)
        if report.dry_run or report.problems:
            if then is not None and not report.problems:
                then(session, clients_of(new, [None] * len(new), report.duplicates))
            session.rollback()
            return report
        new_ids = _insert_clients(session.connection(), new)
        _merge_clients(session, merges)
        if then is not None:
            then(session, clients_of(new, new_ids, report.duplicates))
        changes = {"source": report.source, "added": report.added, "merged": report.merged}
        audit.record(session, entity="client", action="import", changes=changes)
    return report


def clients_of(
    new: list[Candidate], new_ids: list[int] | list[None], duplicates: list[Duplicate]
) -> dict[str, int | None]:
    """The book's client of each record of the file, by its place: the one it was added as,
    or the one it repeats (of the book, or of an earlier record of the file)."""
    found: dict[str, int | None] = {
        candidate.where: client_id for candidate, client_id in zip(new, new_ids, strict=True)
    }
    for duplicate in duplicates:
        if duplicate.existing_id is not None:
            found[duplicate.where] = duplicate.existing_id
        elif duplicate.same_as in found:
            found[duplicate.where] = found[duplicate.same_as]
    return found


def read_import_text(
    path: Path, *, advice: str, charset_hint: bool = False, encoding: str | None = None
) -> ImportText:
    """The text of an import file, in `encoding` when given, else in the one it was found to
    be in (see `decode_text`).

    `advice` ends the sentence when no encoding reads it; `charset_hint`: look for a vCard
    CHARSET parameter before guessing.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(
            _("{path} does not exist; check the file name.").format(path=path)
        ) from None
    except IsADirectoryError:
        raise ImportFileError(
            _("{path} is a folder; give the file to import.").format(path=path)
        ) from None
    except OSError as error:
        raise ImportFileError(
            _("{path} cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None
    if encoding:
        return decoded_as(path, data, encoding)
    decoded = decode_text(data, charset_hint=charset_hint)
    if decoded is None:
        raise ImportFileError(
            _("{path} is not text in an encoding rmtui can tell; {advice}.").format(
                path=path, advice=advice
            )
        )
    return decoded


def decoded_as(path: Path, data: bytes, encoding: str) -> ImportText:
    """The text of `data` in the `encoding` the user named, or ImportFileError saying why not."""
    try:
        return ImportText(data.decode(encoding), encoding, N_("as asked"))
    except LookupError:
        raise ImportFileError(
            _(
                "'{encoding}' is not an encoding rmtui knows; try utf-8, cp1252 or shift_jis."
            ).format(encoding=encoding)
        ) from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _("{path} is not {encoding} text (line {line}).").format(
                path=path, encoding=encoding, line=line
            )
        ) from None


def phone_digits(phone: str | None) -> str:
    """The digits of a phone number, to compare numbers written differently."""
    return re.sub(r"\D", "", phone or "")


def _keys(values: dict[str, Any]) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    if values.get("email"):
        keys.append(("email", str(values["email"]).strip().lower()))
    digits = phone_digits(values.get("phone"))
    if values.get("name") and digits:
        keys.append(("name-phone", str(values["name"]).strip().casefold(), digits))
    return keys


def _sort_out(
    candidates: list[Candidate],
    report: ClientImportReport,
    connection: Connection,
    *,
    merge: bool,
) -> tuple[list[Candidate], list[tuple[int, Candidate]]]:
    """Split the candidates into new clients and merges; record every duplicate."""
    in_book = _book_keys(connection, candidates)
    seen: dict[tuple[str, ...], str] = {}
    new: list[Candidate] = []
    merges: list[tuple[int, Candidate]] = []
    for candidate in candidates:
        keys = _keys(candidate.values)
        earlier = next((seen[key] for key in keys if key in seen), None)
        existing = next((in_book[key] for key in keys if key in in_book), None)
        if earlier is not None:
            reason = _("same {what} as {earlier}; skipped").format(
                what=_what(keys, seen), earlier=earlier
            )
            report.duplicates.append(
                Duplicate(candidate.where, candidate.name, reason, same_as=earlier)
            )
        elif existing is not None:
            client_id, client_name = existing
            same = (
                _("same {what} as client {id} ({name}); merged into it")
                if merge
                else _("same {what} as client {id} ({name}); skipped")
            )
            reason = same.format(what=_what(keys, in_book), id=client_id, name=client_name)
            report.duplicates.append(Duplicate(candidate.where, candidate.name, reason, client_id))
            if merge:
                merges.append((client_id, candidate))
        else:
            new.append(candidate)
        for key in keys:
            seen.setdefault(key, candidate.where)
    return new, merges


def _what(keys: list[tuple[str, ...]], found: dict[tuple[str, ...], Any]) -> str:
    matched = next(key for key in keys if key in found)
    return _("e-mail") if matched[0] == "email" else _("name and phone")


def _book_keys(
    connection: Connection, candidates: list[Candidate]
) -> dict[tuple[str, ...], tuple[int, str]]:
    """The duplicate keys of the book's clients that the candidates could match."""
    clients = entity_table("clients")
    emails = {str(c.values["email"]).strip().lower() for c in candidates if c.values.get("email")}
    names = {c.name.strip() for c in candidates if c.name and phone_digits(c.values.get("phone"))}
    found: dict[tuple[str, ...], tuple[int, str]] = {}
    columns = (clients.c.id, clients.c.name, clients.c.email, clients.c.phone)
    for batch in chunks(sorted(emails), CHUNK):
        query = select(*columns).where(func.lower(clients.c.email).in_(batch))
        _add_keys(found, connection.execute(query))
    for batch in chunks(sorted(names), CHUNK):
        query = select(*columns).where(without_case(clients.c.name).in_(batch))
        _add_keys(found, connection.execute(query))
    return found


def _add_keys(found: dict[tuple[str, ...], tuple[int, str]], rows: Iterable[Any]) -> None:
    for client_id, name, email, phone in rows:
        for key in _keys({"name": name, "email": email, "phone": phone}):
            found.setdefault(key, (client_id, name))


def _insert_clients(connection: Connection, new: list[Candidate]) -> list[int]:
    """Insert the new clients, then every contact point of each; the clients' ids, in order."""
    clients = entity_table("clients")
    statement = insert(clients).returning(clients.c.id, sort_by_parameter_order=True)
    inserted: list[int] = []
    for batch in chunks(new, 5000):
        rows = [{k: v for k, v in c.values.items() if k != "id"} for c in batch]
        ids = connection.execute(statement, rows).scalars().all()
        inserted += ids
        points = [
            {"client_id": client_id, **point.__dict__}
            for client_id, candidate in zip(ids, batch, strict=True)
            for point in candidate_points(candidate)
        ]
        if points:
            connection.execute(insert(entity_table("contact_points")), points)
    return inserted


def candidate_points(candidate: Candidate) -> list[NewPoint]:
    """The candidate's contact points, its `email` and `phone` among them as the preferred."""
    points = list(candidate.points)
    for kind in ("email", "phone"):
        value = candidate.values.get(kind)
        if value and not any(p.kind == kind and p.value == value for p in points):
            points.insert(0, NewPoint(kind, value))
        points = [
            replace(point, preferred=point.value == value) if point.kind == kind else point
            for point in points
        ]
    return unique_points(points)


def unique_points(points: list[NewPoint]) -> list[NewPoint]:
    """`points` without a second one of the same kind and value (ignoring case)."""
    seen: set[tuple[str, str]] = set()
    kept: list[NewPoint] = []
    for point in points:
        key = (point.kind, point.value.casefold())
        if key not in seen:
            seen.add(key)
            kept.append(point)
    return kept


def _merge_clients(session: Session, merges: list[tuple[int, Candidate]]) -> None:
    """Update each existing client with the fields the file gave (tags are added to theirs,
    contact points to theirs)."""
    for client_id, candidate in merges:
        client = session.get(Client, client_id)
        if client is None:
            continue
        for column, value in _given_values(candidate).items():
            if column == "tags":
                value = list(dict.fromkeys([*client.tags, *value]))
            setattr(client, column, value)
        session.flush()
        add_points(session.connection(), client_id, candidate_points(candidate))
    session.flush()


def _given_values(candidate: Candidate) -> dict[str, Any]:
    """The column values of the fields the file actually filled in (no defaults)."""
    given = {name for name, value in candidate.record.items() if value not in (None, "", [])}
    columns = {spec.name: spec.column for spec in FIELDS["clients"]}
    return {
        columns[name]: candidate.values[columns[name]]
        for name in given
        if name in columns and name != "id" and columns[name] in candidate.values
    }
