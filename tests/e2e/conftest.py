"""Books the command-line tests share."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from rmtui.core.db import session_scope
from rmtui.core.models import Client, ContactPoint, FollowUp, Revenue
from tests.factories import make


@pytest.fixture
def small_book(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        ann = make(session, Client, name="Ann Peeters", email="ann@example.com")
        make(session, ContactPoint, client_id=ann.id, value="ann@example.com", preferred=True)
        make(session, FollowUp, client_id=ann.id, title="Send proposal", due_on=date(2026, 11, 20))
        make(session, Revenue, client_id=ann.id, on=date(2026, 11, 2), amount="1250.50")
    return engine
