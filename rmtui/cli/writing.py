"""What the commands that write the book share: the CLIENT argument, refusing typed values
with the option they came from, and printing what was written as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rmtui.core.db_api import of_session
from rmtui.core.errors import BookError
from rmtui.core.translation import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlmodel import SQLModel

    from rmtui.core.client_choice import Candidate
    from rmtui.core.db_api import Connection


class Refused(BookError):
    """A command that writes nothing, with the sentence saying why (exit status 1)."""


def chosen_client(session: Session, text: str) -> Candidate:
    """The one client CLIENT (an id or a text) means, read in `session` (see
    chosen_client_on)."""
    return chosen_client_on(of_session(session), text)


def chosen_client_on(connection: Connection, text: str) -> Candidate:
    """The one client CLIENT (an id or a text) means, read on a DB-API `connection`; Refused,
    listing the candidates, when the text matches several, and Refused when it matches none."""
    from rmtui.core.client_choice import CANDIDATES, candidates_text, read_client_choice

    choice = read_client_choice(connection, text)
    if choice.client is not None:
        return choice.client
    if not choice.matches:
        if text.strip().isdigit():
            raise Refused(
                _("there is no client {id}; nothing was written.").format(id=text.strip())
            )
        raise Refused(
            _(
                "no client matches '{text}'; check the name with `rmtui client list`. "
                "Nothing was written."
            ).format(text=text)
        )
    listing = candidates_text(choice.matches[:CANDIDATES])
    if len(choice.matches) > CANDIDATES:
        said = _("'{text}' matches more than {count} clients; give the id or more of the name.")
    else:
        said = _("'{text}' matches {count} clients; give the id or more of the name.")
    count = min(len(choice.matches), CANDIDATES)
    nothing = _("Nothing was written.")
    raise Refused(f"{said.format(text=text, count=count)} {nothing}\n{listing}")


def refuse_errors(errors: Mapping[str, str], options: Mapping[str, str]) -> None:
    """Refuse the command when a typed value was wrong: the first error, named by the option
    (or argument) it was typed in, as `options` maps field names to them."""
    if not errors:
        return
    ordered = [name for name in options if name in errors] + [
        name for name in errors if name not in options
    ]
    name = ordered[0]
    message = errors[name].rstrip(".")
    where = options.get(name)
    said = f"{_(where)}: {message}" if where else message
    raise Refused(_("{refusal}; nothing was written.").format(refusal=said))


def refuse_choices(
    model: type[SQLModel], values: dict[str, Any], options: Mapping[str, str]
) -> None:
    """Put each choice among `values` in the case the book writes it (`--tier a` is A), and
    refuse a value that is none of its field's choices, naming its option."""
    from rmtui.core.models import Choice, marked

    for name, choice in marked(model, Choice).items():
        value = values.get(name)
        if value is None:
            continue
        same = [known for known in choice.values if known.casefold() == str(value).casefold()]
        if not same:
            listed = ", ".join(choice.values)
            where = options.get(name, name)
            raise Refused(
                _("{option}: choose one of {listed}, not '{text}'; nothing was written.").format(
                    option=where, listed=listed, text=value
                )
            )
        values[name] = same[0]


def record_json(record: SQLModel, **extra: Any) -> dict[str, Any]:
    """A record of the book as the interchange format writes it, with `extra` fields."""
    from rmtui.core.interchange.schema import record_of_model

    return {**record_of_model(record), **extra}


def print_json(value: Any) -> None:
    """Print a record or a list of records as JSON."""
    print(json.dumps(value, indent=2, ensure_ascii=False))


def print_lines(lines: Iterable[str]) -> None:
    """Print each line of text output."""
    for line in lines:
        print(line)
