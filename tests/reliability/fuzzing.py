"""Fuzzing every importer with hypothesis: any file gives a report or one sentence, never a
traceback or an "unexpected error", and a refused import writes nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmtui.core.interchange.schema import FIELDS
from tests.reliability.torture import Figures, file_state, run_cli

ENTITY_NAMES = tuple(FIELDS)
FIELD_NAMES = sorted({spec.name for specs in FIELDS.values() for spec in specs})
CLIENT_FIELDS = [spec.name for spec in FIELDS["clients"]]
LIKELY = [
    "",
    "2026-11-29",
    "29-11-2026",
    "tomorrow",
    "1234.50",
    "1,234.50",
    "-1",
    "0",
    "client",
    "person",
    "call",
    "A",
    "open",
    "won",
    "x@example.test",
    "+32 470 12 34 56",
    "=cmd|' /C calc'!A0",
    "\x00",
    "\u202e",
    '"',
    "a,b",
    "line\nbreak",
]
text = st.one_of(st.text(max_size=24), st.sampled_from(LIKELY))
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    st.lists(text, max_size=3),
)
record = st.dictionaries(st.sampled_from([*FIELD_NAMES, "unknown"]), scalar, max_size=10)
book = st.fixed_dictionaries(
    {
        "format": st.sampled_from(["rmtui-book", "rmtui-book", "other"]),
        "version": st.sampled_from([1, 2, 3, "1", None]),
    },
    optional={entity: st.lists(record, max_size=4) for entity in ENTITY_NAMES},
)
json_files = st.one_of(
    book.map(lambda data: json.dumps(data, default=str).encode()),
    st.recursive(scalar, lambda inner: st.lists(inner) | st.dictionaries(text, inner)).map(
        lambda data: json.dumps(data).encode()
    ),
    st.binary(max_size=200),
)


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


csv_files = st.one_of(
    st.builds(
        _csv_text,
        st.lists(st.sampled_from([*CLIENT_FIELDS, "Name", "E-mail", "junk", ""]), max_size=6),
        st.lists(st.lists(text, max_size=7), max_size=5),
        st.sampled_from([",", ";", "\t"]),
    ),
    st.text(max_size=200).map(str.encode),
    st.binary(max_size=200),
)
VCARD_LINES = [
    "BEGIN:VCARD",
    "VERSION:3.0",
    "VERSION:4.0",
    "END:VCARD",
    "FN:",
    "N:",
    "EMAIL:",
    "TEL:",
    "ORG:",
    "BDAY:",
    "ADR:;;",
    "NOTE:",
    "CATEGORIES:",
    "X-JUNK:",
    " folded",
]
vcard_line = st.builds(lambda head, tail: head + tail, st.sampled_from(VCARD_LINES), text)
vcard_files = st.one_of(
    st.lists(vcard_line, max_size=14).map(lambda lines: "\r\n".join(lines).encode()),
    st.lists(st.lists(vcard_line, max_size=6), max_size=3).map(
        lambda cards: "\r\n".join(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "\r\n".join(card) + "\r\nEND:VCARD" for card in cards
        ).encode()
    ),
    st.binary(max_size=200),
)
IMPORTERS: dict[str, tuple[str, Any]] = {
    "json": ("json", json_files),
    "csv": ("csv", csv_files),
    "vcf": ("vcf", vcard_files),
}


@dataclass
class FuzzedImport:
    """One importer fuzzed against one book (copied from a template)."""

    kind: str
    folder: Path
    template: Path
    figures: Figures

    def __post_init__(self) -> None:
        self.book = self.folder / f"fuzzed-{self.kind}.db"
        shutil.copyfile(self.template, self.book)

    def check(self, data: bytes) -> None:
        """Import `data` as a file of this kind; count what happened."""
        ending, _files = IMPORTERS[self.kind]
        source = self.folder / f"input.{ending}"
        source.write_bytes(data)
        before = file_state(self.book)
        code, err = run_cli(("--db", str(self.book), "import", str(source)), in_process=True)
        self.figures.fuzzed += 1
        if code not in (0, 1) or "Traceback" in err or "unexpected error" in err:
            self.figures.unexpected += 1
            self.figures.problems.append(f"{self.kind} {data[:80]!r}: {err.strip()[:300]}")
        elif code == 1 and file_state(self.book) != before:
            self.figures.problems.append(f"{self.kind} {data[:80]!r}: refused but written")


def fuzz(kind: str, folder: Path, template: Path, examples: int) -> Figures:
    """Import `examples` generated files of `kind` (json, csv, vcf) into a copy of `template`."""
    figures = Figures()
    target = FuzzedImport(kind, folder, template, figures)
    _files = IMPORTERS[kind][1]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(_files)
    def run(data: bytes) -> None:
        target.check(data)

    run()
    return figures


Fuzzer = Callable[[str, Path, Path, int], Figures]
