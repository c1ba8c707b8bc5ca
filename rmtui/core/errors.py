"""The book's errors: each one sentence saying what is wrong and what to do."""

from __future__ import annotations

from pathlib import Path

from rmtui.core.translation import N_, _

IN_USE = N_("the book is open in another program; close it and try again.")


class BookError(Exception):
    """A book that cannot be opened or written, with one sentence saying what to do."""


class PassphraseNeeded(BookError):
    """An encrypted book was opened without its passphrase."""


class BookInUse(BookError):
    """The book is held by another program, so a command that needs it alone refuses."""

    def __init__(self) -> None:
        super().__init__(_(IN_USE))


class ChangedMeanwhile(BookError):
    """A record that another window or program changed after it was shown here."""


def database_error(path: Path | str, error: BaseException) -> BookError:
    """The sentence for an error SQLite gave about the book at `path` (never its SQL)."""
    driver = getattr(error, "orig", None) or error
    text = driver_message(driver)
    low = text.lower()
    if getattr(driver, "sqlite_errorname", "") == "SQLITE_READONLY_DBMOVED":
        return BookError(
            _(
                "{path} was replaced by another program while rmtui had it open; "
                "close rmtui and open the book again."
            ).format(path=path)
        )
    if "locked" in low or "busy" in low:
        return BookError(
            _("{path} is in use by another program; close it and try again.").format(path=path)
        )
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return BookError(
            _("{path} is damaged; restore a backup with `rmtui restore FILE`.").format(path=path)
        )
    if "disk is full" in low or "disk i/o" in low:
        return BookError(
            _(
                "{path} could not be written: the disk is full or failing; "
                "free some space and try again."
            ).format(path=path)
        )
    if "readonly" in low or "read-only" in low:
        return BookError(
            _("{path} cannot be written; check the file's permissions.").format(path=path)
        )
    if "unable to open" in low:
        return BookError(
            _("{path} cannot be opened; check that it exists and you may read it.").format(
                path=path
            )
        )
    return BookError(_("{path} could not be read or written ({why}).").format(path=path, why=text))


def driver_message(error: BaseException) -> str:
    """The first line of what the database driver said, without SQL or trailing dot."""
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__).rstrip(".")


def is_database_failure(error: BaseException) -> bool:
    """Whether `error` is the database saying the file is damaged, full, locked, moved or
    unreadable (rather than a bug or a refused value)."""
    driver = getattr(error, "orig", None) or error
    names = {cls.__name__ for cls in type(driver).__mro__}
    return bool(names & {"OperationalError", "DatabaseError"}) and not names & {
        "IntegrityError",
        "ProgrammingError",
        "InterfaceError",
    }


class WrongPassphrase(BookError):
    """A passphrase that does not open an encrypted book."""


def error_sentence(error: BaseException, *, path: Path | str | None = None) -> str:
    """One sentence for an error met while working on the book."""
    if isinstance(error, BookError | ValueError):
        return str(error)
    if path is not None and is_database_failure(error):
        return str(database_error(path, error))
    return _("Something went wrong ({error}); nothing was saved.").format(
        error=f"{type(error).__name__}: {error}"
    )


def expected_errors() -> tuple[type[BaseException], ...]:
    """The errors a change to the book can meet that are said to the user in a sentence
    (`error_sentence`) rather than treated as bugs: the book's own, a refused value, and the
    database's."""
    from sqlalchemy.exc import SQLAlchemyError

    return (BookError, ValueError, SQLAlchemyError)
