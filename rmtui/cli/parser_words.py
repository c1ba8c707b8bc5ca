"""argparse's own words (usage, options, its errors) in the language of the text.

argparse reads them through the standard library's gettext; `install` hands it rmtui's
translation functions, so the catalogue that translates rmtui translates these too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from rmtui.core.translation import N_

# The words argparse shows a user (its messages for programmers are left as they are).
PARSER_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def install(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> None:
    """Have argparse translate its words with `gettext` and `ngettext`."""
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
