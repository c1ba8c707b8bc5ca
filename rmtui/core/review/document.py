"""The review as a document of plain blocks, and the one walk that writes it in any format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rmtui.core.queries.holding_trend import ValuePoint


@dataclass(frozen=True)
class Paragraph:
    """A line of text, muted for notes like "none"."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    """A list of (label, text) items; the label is shown strong (e.g. "Risk")."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table of text; `right` holds the numbers of the right-aligned columns."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[int] = frozenset()
    sparks: frozenset[int] = frozenset()  # columns holding sparklines


@dataclass(frozen=True)
class Chart:
    """A value trend drawn as bars, with a line of text that sums it up."""

    points: tuple[ValuePoint, ...]
    caption: str


Block = Paragraph | Bullets | Table | Chart


@dataclass(frozen=True)
class Section:
    """A titled part of the report."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A whole report: its title, the line under it, and its sections in order."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]


class Renderer(Protocol):
    """How one file format writes a document: the page around its sections, a section around
    its blocks, and each kind of block."""

    def page(self, document: Document, sections: list[str]) -> str:
        """The whole file: the document's title and subtitle, then the sections written."""
        ...

    def section(self, title: str, blocks: list[str]) -> str:
        """One section: its title, then its blocks written."""
        ...

    def paragraph(self, paragraph: Paragraph) -> str:
        """A paragraph written."""
        ...

    def bullets(self, bullets: Bullets) -> str:
        """A list of bullets written."""
        ...

    def table(self, table: Table) -> str:
        """A table written."""
        ...

    def chart(self, chart: Chart) -> str:
        """A chart written."""
        ...


def render(document: Document, renderer: Renderer) -> str:
    """The document written by `renderer`: every format walks the same blocks in the same order."""
    sections = [
        renderer.section(
            section.title, [_render_block(block, renderer) for block in section.blocks]
        )
        for section in document.sections
    ]
    return renderer.page(document, sections)


def _render_block(block: Block, renderer: Renderer) -> str:
    match block:
        case Paragraph():
            return renderer.paragraph(block)
        case Bullets():
            return renderer.bullets(block)
        case Table():
            return renderer.table(block)
        case Chart():
            return renderer.chart(block)
