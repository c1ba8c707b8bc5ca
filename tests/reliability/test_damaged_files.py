"""Damaged and foreign files: refused in one sentence and left byte-for-byte untouched."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.torture import damaged_files, describe


def test_every_damaged_file_is_refused_in_one_sentence_and_left_untouched(
    tmp_path: Path,
) -> None:
    figures = damaged_files(tmp_path)
    assert figures.problems == [] and figures.unexpected == 0, describe(figures)
    assert figures.damaged_cases == figures.damaged_refused_untouched > 40
