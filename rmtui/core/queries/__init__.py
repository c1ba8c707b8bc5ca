"""Reads and writes of the book for the screens and the command line, one module per entity.

Every function is keyword-only, takes an explicit short-lived `session`, flushes what it
writes (the caller's `session_scope` commits) and returns small plain objects.
"""

from rmtui.core.queries.common import InvalidChange, RecordNotFound

__all__ = ["InvalidChange", "RecordNotFound"]
