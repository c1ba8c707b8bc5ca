"""Writing export files safely: through a temporary file, readable by the user alone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from rmtui.core import paths
from rmtui.core.errors import BookError


def write_private_text(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` (replacing it whole), readable by the user alone."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, readable by the user alone."""
    with open_private(path, "wb") as handle:
        handle.write(data)


@contextmanager
def open_private(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A handle on a temporary file that replaces `path` (readable by the user alone) on success.

    Text mode writes UTF-8 and leaves line ends as written (as the csv module wants).
    """
    path = Path(path)
    _check_writable(path)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        handle: IO[Any] = (
            os.fdopen(descriptor, "wb")
            if "b" in mode
            else os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        )
        with handle:
            yield handle
        os.replace(temporary, path)
    except OSError as error:
        raise BookError(f"cannot write {path} ({error.strerror}).") from None
    finally:
        temporary.unlink(missing_ok=True)
    paths.make_private(path)


def _check_writable(path: Path) -> None:
    if path.is_dir():
        raise BookError(f"{path} is a folder; give the name of a file to write.")
    if not path.parent.is_dir():
        raise BookError(f"the folder {path.parent} does not exist; create it or choose another.")


def private_folder(path: Path) -> Path:
    """The folder `path`, created readable by the user alone if it does not exist."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise BookError(f"{path} is a file; give the name of a folder to write into.")
    try:
        return paths.ensure_private_dir(path)
    except OSError as error:
        raise BookError(f"cannot create the folder {path} ({error.strerror}).") from None
