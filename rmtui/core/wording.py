"""Small pieces of wording shared by the screens, the agenda and the review report."""

from __future__ import annotations


def days_text(count: int) -> str:
    """`count` days in words: `1 day`, `3 days`."""
    return "1 day" if count == 1 else f"{count} days"
