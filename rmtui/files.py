"""Writing export files safely: through a temporary file, readable by the user alone."""

from __future__ import annotations

import os
from pathlib import Path

from rmtui import paths
from rmtui.db import BookError


def write_private_text(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` (replacing it whole), readable by the user alone."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, readable by the user alone."""
    path = Path(path)
    if path.is_dir():
        raise BookError(f"{path} is a folder; give the name of a file to write.")
    if not path.parent.is_dir():
        raise BookError(f"the folder {path.parent} does not exist; create it or choose another.")
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BookError(f"cannot write {path} ({error.strerror}).") from None
    paths.make_private(path)


def private_folder(path: Path) -> Path:
    """The folder `path`, created readable by the user alone if it does not exist."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise BookError(f"{path} is a file; give the name of a folder to write into.")
    try:
        return paths.ensure_private_dir(path)
    except OSError as error:
        raise BookError(f"cannot create the folder {path} ({error.strerror}).") from None
