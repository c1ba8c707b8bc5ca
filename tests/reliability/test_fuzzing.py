"""Every importer fed generated files: no traceback, no unexpected error, nothing written on
refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.fuzzing import fuzz
from tests.reliability.torture import describe, new_book

EXAMPLES = 120  # in CI; `python -m tests.reliability` runs many more


@pytest.mark.parametrize("kind", ["json", "csv", "vcf"])
def test_an_importer_answers_any_file_in_sentences(kind: str, tmp_path: Path) -> None:
    template = new_book(tmp_path / "template.db")
    figures = fuzz(kind, tmp_path, template, EXAMPLES)
    assert figures.fuzzed == EXAMPLES
    assert figures.unexpected == 0 and figures.problems == [], describe(figures)
