"""khard, the command-line address book, run on a folder of vCards as a user would."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest


def khard_says(folder: Path, *arguments: str) -> list[str]:
    """The lines khard prints for `khard ARGUMENTS` on the address book in `folder` (the test
    is skipped where khard is not installed)."""
    khard = pytest.importorskip("khard.khard")
    config = folder.parent / f"{folder.name}-khard.conf"
    config.write_text(
        f"[addressbooks]\n[[book]]\npath = {folder}\n[general]\neditor = true\n"
        "merge_editor = true\n[contact table]\ndisplay = formatted_name\n",
        encoding="utf-8",
    )
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        khard.main(["-c", str(config), *arguments])
    return [line for line in output.getvalue().splitlines() if line.strip()]
