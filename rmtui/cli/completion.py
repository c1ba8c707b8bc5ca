"""Shell completion with argcomplete: `rmtui completion SHELL` prints the script a shell
sources, and the shell then runs rmtui to complete commands, options and client names.

argcomplete is imported only when a shell asks for completions or for its script, so it
costs an ordinary run of rmtui nothing.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

SHELLS = ("bash", "zsh", "fish")
# Set by the scripts argcomplete writes when the shell asks rmtui for completions.
COMPLETING = "_ARGCOMPLETE"


def is_completing() -> bool:
    """Whether the shell started rmtui to complete a command line, not to run it."""
    return COMPLETING in os.environ


def complete(parser: argparse.ArgumentParser) -> None:
    """Write the completions of the shell's command line for argcomplete, then exit."""
    import argcomplete

    argcomplete.autocomplete(parser, validator=starts_with_any_case)


def starts_with_any_case(completion: str, prefix: str) -> bool:
    """Whether a completion fits what was typed: `ann` fits Ann Smit, as the book matches
    names whatever their case."""
    return completion.casefold().startswith(prefix.casefold())


def complete_client_names(action: argparse.Action) -> argparse.Action:
    """Have the shell complete the CLIENT argument `action` with names from the book."""
    action.completer = client_names  # type: ignore[attr-defined]  # read by argcomplete
    return action


def client_names(prefix: str, parsed_args: argparse.Namespace, **_kwargs: Any) -> list[str]:
    """Names of the clients of the book (chosen by --db or RMTUI_DB: a file or a server)
    starting with `prefix`."""
    from rmtui.core import paths
    from rmtui.core.client_names import book_names_starting
    from rmtui.core.server import is_server_url

    chosen = getattr(parsed_args, "db", None) or os.environ.get(paths.DB_ENV)
    if is_server_url(chosen):
        return book_names_starting(str(chosen), prefix)
    return book_names_starting(paths.db_path(chosen), prefix)


def run_completion(args: argparse.Namespace) -> int:
    """Print the completion script for a shell."""
    import argcomplete

    print(argcomplete.shellcode(["rmtui"], shell=args.shell), end="")
    return 0
