"""The client review written as one self-contained HTML page, readable offline."""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal

from rmtui.core.charts import bar_heights
from rmtui.core.figures import total_text
from rmtui.core.review.document import Bullets, Chart, Document, Paragraph, Table, render
from rmtui.core.review.facts import Review
from rmtui.core.review.sections import FINDING_LABELS, review_document
from rmtui.core.review.words import MONTH_FORMAT
from rmtui.core.translation import _, current_language

HTML_STYLE = """
body { font-family: system-ui, sans-serif; color: #1f2933; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #d2d6dc; padding-bottom: 0.2rem; margin-top: 2rem; }
.muted { color: #6b7280; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #e5e7eb;
         vertical-align: top; }
td { white-space: pre-line; }
th { background: #f3f4f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.risk { color: #b91c1c; }
.growth { color: #047857; }
.chart { display: flex; align-items: flex-end; gap: 3px; height: 6rem; margin: 0.5rem 0; }
.chart span { flex: 1; background: #3b82f6; min-height: 2px; }
.chart span.none { background: #e5e7eb; }
.spark { font-family: monospace; letter-spacing: 1px; }
"""


def review_html(review: Review) -> str:
    """The review as one self-contained HTML page (inline CSS, every text escaped)."""
    return render(review_document(review), HtmlRenderer())


class HtmlRenderer:
    """Writes a document as an HTML page with its style inline; every text is escaped."""

    def page(self, document: Document, sections: list[str]) -> str:
        """The head with the title and the style, then the body: title, subtitle, sections."""
        title = html.escape(document.title)
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{current_language()}">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{title}</title>",
            f"<style>{HTML_STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{title}</h1>",
            f'<p class="muted">{html.escape(document.subtitle)}</p>',
            *sections,
            "</body>",
            "</html>",
        ]
        return "\n".join(parts) + "\n"

    def section(self, title: str, blocks: list[str]) -> str:
        """A `<section>` with its heading and blocks."""
        return "\n".join(["<section>", f"<h2>{html.escape(title)}</h2>", *blocks, "</section>"])

    def paragraph(self, paragraph: Paragraph) -> str:
        """A `<p>`, of class "muted" when muted."""
        muted = ' class="muted"' if paragraph.muted else ""
        return f"<p{muted}>{html.escape(paragraph.text)}</p>"

    def bullets(self, bullets: Bullets) -> str:
        """A `<ul>`; each label strong, of the class of its finding ("risk" or "growth")."""
        items = "".join(
            f'<li><strong class="{_finding_class(label)}">{html.escape(label)}:</strong> '
            f"{html.escape(text)}</li>"
            for label, text in bullets.items
        )
        return f"<ul>{items}</ul>"

    def table(self, table: Table) -> str:
        """A `<table>`; number cells of class "num", sparkline cells of class "spark"."""

        def cells(tag: str, values: Sequence[str]) -> str:
            return "".join(
                f"<{tag}{_cell_class(table, index)}>{html.escape(value)}</{tag}>"
                for index, value in enumerate(values)
            )

        head = f"<thead><tr>{cells('th', table.headers)}</tr></thead>" if any(table.headers) else ""
        body = "".join(f"<tr>{cells('td', row)}</tr>" for row in table.rows)
        return f"<table>{head}<tbody>{body}</tbody></table>"

    def chart(self, chart: Chart) -> str:
        """Bars as `<span>`s of a height in percent, each titled with its month and value,
        then the caption; only the caption when there is no value."""
        heights = bar_heights([point.value for point in chart.points], _bar_percent)
        caption = f'<p class="muted">{html.escape(chart.caption)}</p>'
        if all(height is None for height in heights):
            return caption
        bars = []
        for point, height in zip(chart.points, heights, strict=True):
            tip = html.escape(f"{point.on:{MONTH_FORMAT}}: {total_text(point.value)}")
            if height is None:
                bars.append(f'<span class="none" title="{tip}"></span>')
            else:
                bars.append(f'<span style="height: {height}%" title="{tip}"></span>')
        return f'<div class="chart">{"".join(bars)}</div>{caption}'


def _finding_class(label: str) -> str:
    return next((kind for kind, name in FINDING_LABELS.items() if _(name) == label), "")


def _cell_class(table: Table, index: int) -> str:
    if index in table.right:
        return ' class="num"'
    if index in table.sparks:
        return ' class="spark"'
    return ""


def _bar_percent(share: Decimal | None) -> int:
    """A bar's height in percent of the chart: a tenth for the lowest value, all for the highest
    (and for every value when all are equal)."""
    return 10 + int(90 * (1 if share is None else share))
