"""The rows of a whole-book import on their way into the book, kept in temporary tables.

Each record, once checked, is written to its entity's staging table as it is read, with its
place in the file; Python keeps no rows, only a few numbers per entity. When the whole file
has been read, what needs every record is done in SQL: ids given twice, references to
records of the file or of the book, the book ids (the file's own into an empty book, the next
free ones otherwise, with every reference moved along) and the copy into the book. It all
happens in the caller's transaction, so a refused import leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import BLOB, Column, Connection, Integer, MetaData, Select, String, Table, select

from rmtui.core.interchange.bulk_load import copy_rows, search_text_of_copied
from rmtui.core.interchange.problem_log import (
    DUPLICATE_ID,
    REFERENCE,
    ProblemLog,
    storable_label,
)
from rmtui.core.interchange.schema import ENTITY_NOUNS, FIELDS, REFERENCES
from rmtui.core.interchange.table_rows import entity_table
from rmtui.core.translation import _

POSITION = "_at"  # the record's place in its list of the file, from 1
LABEL = "_label"  # how a problem names the record, when not by its id
BATCH_SIZE = 5000


@dataclass(frozen=True)
class Reference:
    """A reference field of an entity: its name, its column and the entity it points to."""

    name: str
    column: str
    target: str


def references_of(entity: str) -> list[Reference]:
    """Every reference field of `entity`, in the order the format lists its fields."""
    targets = REFERENCES.get(entity, {})
    return [
        Reference(spec.name, spec.column, targets[spec.name])
        for spec in FIELDS[entity]
        if spec.name in targets
    ]


@dataclass
class StagedEntity:
    """The staging table of one entity and what Python keeps of its rows: how many, whether
    their ids rise (then none is used twice) and how many have none."""

    entity: str
    rank: int
    staging: Table
    columns: list[str]
    statement: str
    converters: list[Callable[[Any], Any] | None]
    count: int = 0
    without_id: int = 0
    last_id: int = 0
    ids_rise: bool = True
    pending: list[tuple[Any, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.row_of = itemgetter(*self.columns)

    @property
    def table(self) -> Table:
        """The book's table the rows go into."""
        return entity_table(self.entity)

    def add(
        self, connection: Connection, position: int, values: dict[str, Any], label: Any
    ) -> None:
        """Stage the checked `values` of the record at `position` (named `label`)."""
        record_id = values.get("id")
        if record_id is None:
            self.without_id += 1
        elif record_id > self.last_id:
            self.last_id = record_id
        else:
            self.ids_rise = False
        shown = None if label == record_id else storable_label(label)
        try:
            row = (position, shown, *self.row_of(values))
        except KeyError:  # a record with problems lacks the values of some fields
            row = (position, shown, *(values.get(column) for column in self.columns))
        self.pending.append(row)
        self.count += 1
        if len(self.pending) >= BATCH_SIZE:
            self.flush(connection)

    def flush(self, connection: Connection) -> None:
        """Write the rows held in memory to the staging table, converted as the book's
        columns convert them, column by column."""
        if not self.pending:
            return
        columns = list(zip(*self.pending, strict=True))
        self.pending = []
        converted = [
            values if to_db is None else list(map(to_db, values))
            for values, to_db in zip(columns, self.converters, strict=True)
        ]
        connection.exec_driver_sql(self.statement, list(zip(*converted, strict=True)))


class Staging:
    """The staging tables of every entity of one import."""

    def __init__(self, connection: Connection, entities: list[str]) -> None:
        self._connection = connection
        self.entities = {
            entity: _staged_entity(connection, entity, rank) for rank, entity in enumerate(entities)
        }

    def add(self, entity: str, position: int, values: dict[str, Any], label: Any) -> None:
        """Stage one checked record of `entity`."""
        self.entities[entity].add(self._connection, position, values, label)

    def finish(self) -> None:
        """Write every row still held in memory, and index the ids records are found by."""
        for staged in self.entities.values():
            staged.flush(self._connection)
        targets = {ref.target for entity in self.entities for ref in references_of(entity)}
        for staged in self.entities.values():
            if staged.count and (staged.entity in targets or not staged.ids_rise):
                name = staged.staging.name
                self._connection.exec_driver_sql(f'CREATE INDEX "{name}_id" ON "{name}" (id)')

    def find_problems(self, problems: ProblemLog) -> None:
        """Add the problems that need every record: ids used twice, references to records in
        neither the file nor the book."""
        for staged in self.entities.values():
            if not staged.count:
                continue
            if not staged.ids_rise:
                problems.add_found(*_duplicate_ids(staged))
            for reference in references_of(staged.entity):
                target = self.entities[reference.target]
                problems.add_found(*_missing_references(staged, reference, target))

    def give_book_ids(self, *, keep: bool) -> None:
        """Give every row its id in the book, and every reference to a record of the file
        that record's: the file's own ids into an empty book (`keep`), else the next free."""
        if keep:
            for staged in self.entities.values():
                if staged.without_id:
                    self._number_after(staged, staged.last_id, only_without_id=True)
            return
        firsts = {entity: self._largest_id(staged) for entity, staged in self.entities.items()}
        for staged in self.entities.values():
            for reference in references_of(staged.entity):
                self._move_references(staged, reference, firsts[reference.target])
        for entity, staged in self.entities.items():
            self._number_after(staged, firsts[entity], only_without_id=False)

    def copy_into_book(self, told: Callable[[str, int], None]) -> dict[str, int]:
        """Copy every staged row into the book, entity by entity; the rows copied of each.
        `told` is told each entity as it starts, with the rows copied before it."""
        added, clients_to_index = 0, list[str]()
        for entity, staged in self.entities.items():
            if staged.count:
                told(entity, added)
                copy_rows(
                    self._connection,
                    source=staged.staging,
                    target=staged.table,
                    clients_to_index=clients_to_index,
                )
                added += staged.count
        search_text_of_copied(self._connection, clients_to_index)
        return {entity: staged.count for entity, staged in self.entities.items()}

    def ids_of(self, entity: str) -> Select[Any]:
        """The book ids of the staged rows of `entity`, as a query."""
        return select(self.entities[entity].staging.c.id)

    def drop(self) -> None:
        """Drop every staging table."""
        for staged in self.entities.values():
            staged.staging.drop(self._connection)

    def _largest_id(self, staged: StagedEntity) -> int:
        table = staged.table
        query = select(table.c.id).order_by(table.c.id.desc()).limit(1)
        return self._connection.execute(query).scalar() or 0

    def _move_references(self, staged: StagedEntity, reference: Reference, first: int) -> None:
        """Point `reference` of the staged rows at the book ids their records of the file
        will have: the target's largest id before the import plus its place in the file."""
        target = self.entities[reference.target].staging.name
        column = reference.column
        self._connection.exec_driver_sql(
            f'UPDATE "{staged.staging.name}" SET "{column}" = ? + target.{POSITION}'
            f' FROM "{target}" AS target WHERE target.id = "{staged.staging.name}"."{column}"',
            (first,),
        )

    def _number_after(self, staged: StagedEntity, last: int, *, only_without_id: bool) -> None:
        """Number the rows (those without an id, or all) from `last` + 1 in file order."""
        name = staged.staging.name
        if not only_without_id:
            self._connection.exec_driver_sql(f'UPDATE "{name}" SET id = ? + {POSITION}', (last,))
            return
        self._connection.exec_driver_sql(
            f'UPDATE "{name}" SET id = ? + numbered.number FROM (SELECT {POSITION},'
            f' row_number() OVER (ORDER BY {POSITION}) AS number FROM "{name}"'
            f' WHERE id IS NULL) AS numbered WHERE "{name}".{POSITION} = numbered.{POSITION}',
            (last,),
        )


def _staged_entity(connection: Connection, entity: str, rank: int) -> StagedEntity:
    """A staging table for `entity` (created now) and how rows are written to it."""
    table = entity_table(entity)
    columns = [spec.column for spec in FIELDS[entity]]
    staging = Table(
        f"import_{table.name}",
        MetaData(),
        Column(POSITION, Integer, primary_key=True),
        # no affinity: SQLite keeps an id as a number, a label as text (a server: as text)
        Column(LABEL, BLOB().with_variant(String(), "postgresql")),
        *(Column(name, table.c[name].type) for name in columns),
        prefixes=["TEMPORARY"],
    )
    staging.create(connection)
    dialect = connection.dialect
    # The dialect's own processors: SQLite's DateTime writes `YYYY-MM-DD HH:MM:SS.ffffff`,
    # the form the queries compare `at` with (the generic type would leave it to sqlite3).
    converters = [
        staging.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    marks = ", ".join("?" for _column in staging.c)
    statement = f'INSERT INTO "{staging.name}" VALUES ({marks})'
    return StagedEntity(entity, rank, staging, columns, statement, [None, None, *converters])


def _duplicate_ids(staged: StagedEntity) -> tuple[str, dict[str, Any]]:
    """The rows whose id an earlier row of the file already has."""
    name = staged.staging.name
    sql = (
        f"SELECT :rank, s.{POSITION}, :seq, :entity, coalesce(s.{LABEL}, s.id), 'id',"
        f" s.id || ' is also the id of another record' FROM \"{name}\" AS s"
        f' WHERE s.id IS NOT NULL AND EXISTS (SELECT 1 FROM "{name}" AS earlier'
        f" WHERE earlier.id = s.id AND earlier.{POSITION} < s.{POSITION})"
    )
    return sql, {"rank": staged.rank, "seq": DUPLICATE_ID, "entity": staged.entity}


def _missing_references(
    staged: StagedEntity, reference: Reference, target: StagedEntity
) -> tuple[str, dict[str, Any]]:
    """The rows whose `reference` names a record in neither the file nor the book."""
    column = f's."{reference.column}"'
    said = _("no {record} #{id} in the file or the book")
    before, after = said.format(record=_(ENTITY_NOUNS[reference.target]), id="\0").split("\0")
    sql = (
        f"SELECT :rank, s.{POSITION}, :seq, :entity, coalesce(s.{LABEL}, s.id), :field,"
        f" :before || {column} || :after"
        f' FROM "{staged.staging.name}" AS s WHERE {column} IS NOT NULL'
        f' AND NOT EXISTS (SELECT 1 FROM "{target.staging.name}" AS f WHERE f.id = {column})'
        f' AND NOT EXISTS (SELECT 1 FROM "{target.table.name}" AS b WHERE b.id = {column})'
    )
    seq = REFERENCE + [ref.name for ref in references_of(staged.entity)].index(reference.name)
    parameters = {"rank": staged.rank, "seq": seq, "entity": staged.entity}
    return sql, {**parameters, "field": reference.name, "before": before, "after": after}
