"""The book's errors: each one sentence saying what is wrong and what to do."""

from __future__ import annotations

from pathlib import Path


class BookError(Exception):
    """A book that cannot be opened or written, with one sentence saying what to do."""


class PassphraseNeeded(BookError):
    """An encrypted book was opened without its passphrase."""


def database_error(path: Path, error: Exception) -> BookError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return BookError(f"{path} is in use by another program; close it and try again.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return BookError(
            f"{path} is damaged ({error}); restore a backup with `rmtui restore FILE`."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return BookError(f"{path} cannot be opened for writing; check the file's permissions.")
    return BookError(f"{path} could not be opened: {error}.")


class WrongPassphrase(BookError):
    """A passphrase that does not open an encrypted book."""


def error_sentence(error: BaseException) -> str:
    """One sentence for an error met while working on the book."""
    if isinstance(error, BookError | ValueError):
        return str(error)
    return f"Something went wrong ({type(error).__name__}: {error}); nothing was saved."


def expected_errors() -> tuple[type[BaseException], ...]:
    """The errors a change to the book can meet that are said to the user in a sentence
    (`error_sentence`) rather than treated as bugs: the book's own, a refused value, and the
    database's."""
    from sqlalchemy.exc import SQLAlchemyError

    return (BookError, ValueError, SQLAlchemyError)
