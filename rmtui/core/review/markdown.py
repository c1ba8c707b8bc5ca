"""The client review written as Markdown."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rmtui.core.charts import sparkline
from rmtui.core.review.document import Bullets, Chart, Document, Paragraph, Table, render
from rmtui.core.review.facts import Review
from rmtui.core.review.sections import review_document

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~#])")


def markdown_escaped(text: str) -> str:
    """`text` with Markdown's special characters escaped and line breaks as spaces."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def table_cell(text: str) -> str:
    """`text` escaped for a cell of a pipe table, its lines kept apart by `<br>`."""
    lines = (markdown_escaped(line) for line in text.splitlines())
    return "<br>".join(line for line in lines if line)


def review_markdown(review: Review) -> str:
    """The review as a Markdown document."""
    return render(review_document(review), MarkdownRenderer())


class MarkdownRenderer:
    """Writes a document as Markdown: a blank line between blocks, tables with pipes."""

    def page(self, document: Document, sections: list[str]) -> str:
        """The title and the subtitle in italics, then the sections."""
        head = f"# {markdown_escaped(document.title)}\n\n_{markdown_escaped(document.subtitle)}_"
        return "\n\n".join([head, *sections]) + "\n"

    def section(self, title: str, blocks: list[str]) -> str:
        """A second-level heading, then the blocks."""
        return "\n\n".join([f"## {markdown_escaped(title)}", *blocks])

    def paragraph(self, paragraph: Paragraph) -> str:
        """The text, in italics when muted."""
        text = markdown_escaped(paragraph.text)
        return f"_{text}_" if paragraph.muted else text

    def bullets(self, bullets: Bullets) -> str:
        """One item a line, its label in bold."""
        return "\n".join(
            f"- **{markdown_escaped(label)}:** {markdown_escaped(text)}"
            for label, text in bullets.items
        )

    def table(self, table: Table) -> str:
        """A pipe table, numbers aligned right."""

        def row(cells: Sequence[str]) -> str:
            return "| " + " | ".join(map(table_cell, cells)) + " |"

        rule = [("---:" if index in table.right else "---") for index in range(len(table.headers))]
        return "\n".join(
            [row(table.headers), "| " + " | ".join(rule) + " |", *map(row, table.rows)]
        )

    def chart(self, chart: Chart) -> str:
        """A sparkline as code, then the caption."""
        return f"`{sparkline([point.value for point in chart.points])}` {chart.caption}"
