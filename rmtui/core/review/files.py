"""The client and household reviews as files: the format by the ending, the name, and
writing it privately."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.private_files import write_private_text
from rmtui.core.review.facts import Review
from rmtui.core.review.household import build_household_review
from rmtui.core.review.household_sections import household_review_text
from rmtui.core.review.html_page import review_html
from rmtui.core.review.markdown import review_markdown
from rmtui.core.review.reading import build_review
from rmtui.core.translation import current_language, in_language

FORMAT_SUFFIXES = {"markdown": ".md", "html": ".html"}
SUFFIX_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def review_format(path: Path) -> str:
    """The format of a review file by its ending ("markdown" or "html"); BookError for others."""
    found = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise BookError(f"{path} does not end in .md or .html; give one of those endings.")
    return found


RENDERERS: dict[str, Callable[[Review], str]] = {
    "markdown": review_markdown,
    "html": review_html,
}


def write_review(
    path: Path | str, *, engine: Engine, client_id: int, day: date, language: str | None = None
) -> Path:
    """Write the review of the client on `day` to `path` (Markdown for .md, HTML for .html)
    in `language` (`nl`, `en`; default the user's), readable by the user alone; returns the
    full path written."""
    target = Path(path).expanduser().absolute()
    render = RENDERERS[review_format(target)]
    with in_language(language or current_language()):
        with session_scope(engine) as session:
            review = build_review(session=session, client_id=client_id, day=day)
        text = render(review)
    write_private_text(target, text)
    return target


def write_household_review(
    path: Path | str,
    *,
    engine: Engine,
    household_id: int,
    day: date,
    language: str | None = None,
) -> Path:
    """Write the review of the household on `day` to `path` (Markdown for .md, HTML for
    .html), readable by the user alone; returns the full path written."""
    target = Path(path).expanduser().absolute()
    file_format = review_format(target)
    with in_language(language or current_language()):
        with session_scope(engine) as session:
            review = build_household_review(session=session, household_id=household_id, day=day)
        text = household_review_text(review, file_format)
    write_private_text(target, text)
    return target


def review_file_name(client_name: str, day: date, *, file_format: str = "markdown") -> str:
    """A file name for a client's review: rmtui-review-<name-slug>-<date>.md (or .html)."""
    return f"rmtui-review-{name_slug(client_name)}-{day.isoformat()}{FORMAT_SUFFIXES[file_format]}"


def name_slug(name: str) -> str:
    """A name as lower-case ASCII words joined by hyphens ("client" when nothing is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "client"
