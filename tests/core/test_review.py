"""The client review report: its content, growth areas and risks, Markdown, HTML and the file."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.charts import sparkline
from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import (
    Case,
    Client,
    FinancialGoal,
    FollowUp,
    Holding,
    Interaction,
    Opportunity,
    Revenue,
    Survey,
)
from rmtui.core.queries.common import RecordNotFound
from rmtui.core.review.facts import Review
from rmtui.core.review.files import name_slug, review_file_name, write_review
from rmtui.core.review.html_page import review_html
from rmtui.core.review.markdown import markdown_escaped, review_markdown
from rmtui.core.review.reading import build_review
from tests.factories import make

DAY = date(2026, 11, 29)
NAME = "Ann <b>& Co"


LONG_NOTES = (
    "Went through the portfolio line by line; she wants less in equities before the house "
    "purchase.\nSend the pension projection before Friday."
)


def make_book(session: Session) -> int:
    """A tier-A client a review should worry about, and a second client that must not show."""
    client = make(session, Client, name=NAME, tier="A", checkin_every_days=30, city="Gent")
    other = make(session, Client, name="Other Client")
    assert client.id is not None and other.id is not None
    cid = client.id
    make(
        session,
        Interaction,
        client_id=cid,
        at=datetime(2026, 9, 1, 10, 0),
        subject="Review",
        notes=LONG_NOTES,
    )
    make(session, Interaction, client_id=cid, at=datetime(2026, 12, 5, 9, 0), subject="Later")
    make(session, Interaction, client_id=other.id, subject="Not theirs")
    # Assets: 200,000 a year ago, 210,000 three months ago, 180,000 now.
    for as_of, value in (
        ("2025-11-01", "200000"),
        ("2026-08-15", "210000"),
        ("2026-11-20", "180000"),
    ):
        make(
            session,
            Holding,
            client_id=cid,
            account="Portfolio",
            as_of=date.fromisoformat(as_of),
            value=Decimal(value),
        )
    make(session, Holding, client_id=other.id, account="Other", value=Decimal("999999"))
    # Assets ×0.9 in the last year: 90,000 × 0.9² = 72,900 by Nov 2028, far from 500,000.
    make(
        session,
        FinancialGoal,
        client_id=cid,
        title="Retire early",
        target_amount=Decimal("500000"),
        current_amount=Decimal("90000"),
        target_date=date(2028, 11, 29),
    )
    make(
        session,
        FinancialGoal,
        client_id=cid,
        title="Car",
        target_amount=Decimal("20000"),
        current_amount=Decimal("20000"),
    )
    make(
        session,
        Case,
        client_id=cid,
        kind="complaint",
        subject="Fee charged twice",
        opened_on=date(2026, 11, 20),
        due_on=date(2026, 11, 22),
    )
    make(
        session,
        Case,
        client_id=cid,
        kind="request",
        subject="New card",
        opened_on=date(2026, 11, 28),
        due_on=date(2026, 12, 3),
    )
    make(
        session,
        Case,
        client_id=cid,
        kind="complaint",
        subject="Old one",
        resolved_on=date(2026, 11, 2),
        resolution="Refunded",
    )
    make(
        session,
        Opportunity,
        client_id=cid,
        title="Pension plan",
        value=Decimal("60000"),
        stage="proposal",
    )
    make(session, Opportunity, client_id=cid, title="Small top-up", value=Decimal("500"))
    make(
        session,
        Opportunity,
        client_id=cid,
        title="Old deal",
        stage="won",
        opened_on=date(2024, 1, 1),
        closed_on=date(2024, 3, 1),
    )
    make(session, FollowUp, client_id=cid, title="Send the *proposal*", due_on=date(2026, 12, 1))
    make(session, FollowUp, client_id=cid, title="Done already", status="done")
    make(session, Survey, client_id=cid, on=date(2026, 10, 1), csat=5, nps=10)
    make(
        session,
        Survey,
        client_id=cid,
        on=date(2026, 11, 10),
        csat=4,
        nps=5,
        comment="Slow | answers",
    )
    make(session, Revenue, client_id=cid, on=date(2026, 10, 15), amount=Decimal("1250.50"))
    return cid


@pytest.fixture
def review(session: Session) -> Review:
    client_id = make_book(session)
    return build_review(session=session, client_id=client_id, day=DAY)


def topics(review: Review) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in review.findings:
        found.setdefault(finding.topic, []).append(finding.text)
    return found


def test_the_risks_name_every_worry(review: Review) -> None:
    found = topics(review)
    assert found["goal_off_track"] == [
        "Goal “Retire early” is off track: the trend reaches 72,900 of 500,000 by 29 Nov 2028; "
        "17,083 a month would close the gap."
    ]
    assert found["falling_value"] == [
        "Assets fell by 30,000 (-14.3%) over the last 3 months, to 180,000.",
        "Assets fell by 20,000 (-10.0%) over the last 12 months, to 180,000.",
    ]
    assert found["open_complaint"] == [
        "Open complaint “Fee charged twice”, 7 days past its deadline."
    ]
    assert found["overdue_checkin"] == ["Check-in overdue: it was due 59 days ago (every 30 days)."]
    assert found["no_contact"] == ["No contact for 89 days (since 01 Sep 2026)."]
    assert found["low_satisfaction"] == [
        "Low satisfaction in the last survey (10 Nov 2026: CSAT 4/5, NPS 5/10)."
    ]
    assert found["high_value_opportunity"] == ["Open deal “Pension plan” worth 60,000 (proposal)."]
    assert found["goal_reached"] == ["Goal “Car” is reached: a moment to set the next one."]
    assert "late_request" not in found  # the request is not late yet
    kinds = [finding.kind for finding in review.findings]
    assert kinds == sorted(kinds, key=lambda kind: kind != "risk")  # risks first


def test_the_review_reads_the_client_only(review: Review) -> None:
    assert review.profile.name == NAME
    assert review.profile.last_contact_on == date(2026, 9, 1)  # the December call is later
    assert review.profile.checkin_overdue
    assert [account.account for account in review.accounts] == ["Portfolio"]
    assert review.aum == Decimal("180000.00")
    assert review.aum_months_ago(3) == Decimal("210000.00")
    assert review.aum_months_ago(12) == Decimal("200000.00")
    assert len(review.aum_trend) == 13
    [portfolio] = review.accounts
    assert portfolio.summary is not None and portfolio.summary.change == Decimal("-20000.00")
    assert [row.subject for row in review.interactions] == ["Review"]
    assert [item.title for item in review.follow_ups] == ["Send the *proposal*"]
    assert [case.subject for case in review.cases] == ["Fee charged twice", "New card"]
    assert [deal.title for deal in review.opportunities] == ["Pension plan", "Small top-up"]
    assert [survey.on for survey in review.surveys] == [date(2026, 11, 10), date(2026, 10, 1)]
    assert [entry.amount for entry in review.revenue][-1] == Decimal("1250.50")
    assert [goal.title for goal in review.goals] == ["Retire early", "Car"]


def test_a_quiet_new_client_has_nothing_to_report(session: Session) -> None:
    client = make(session, Client, name="Newcomer", client_since=DAY, created_on=DAY)
    assert client.id is not None
    review = build_review(session=session, client_id=client.id, day=DAY)
    assert review.findings == ()
    markdown = review_markdown(review)
    assert "Nothing stands out" in markdown
    assert "No holdings recorded." in markdown
    assert '<p class="muted">No financial goals recorded.</p>' in review_html(review)


def test_a_missing_client_is_one_sentence(session: Session) -> None:
    with pytest.raises(RecordNotFound, match="There is no client #999"):
        build_review(session=session, client_id=999, day=DAY)


def test_markdown_escapes_and_lays_out_tables(review: Review) -> None:
    markdown = review_markdown(review)
    assert markdown.startswith("# Client review: Ann \\<b\\>\\& Co\n")
    assert "<b>" not in markdown
    assert "| Send the \\*proposal\\* |" in markdown.replace("| 01 Dec 2026 ", "")
    assert "Slow \\| answers" in markdown
    assert "| Account | Value | As of | 12 months | Change |" in markdown
    assert "| --- | ---: | --- | --- | ---: |" in markdown
    assert "- **Risk:** Open complaint “Fee charged twice”, 7 days past its deadline." in markdown
    assert "## Growth areas and risks" in markdown
    assert "| Retire early | 18.0% | 90,000 | 500,000 | 29 Nov 2028 | 72,900 |" in markdown


def test_the_review_shows_interaction_notes_whole(review: Review) -> None:
    markdown = review_markdown(review)
    first, second = LONG_NOTES.split("\n")
    assert f"| {first}<br>{second} |" in markdown
    page = review_html(review)
    assert f"<td>{first}\n{second}</td>" in page
    assert "td { white-space: pre-line; }" in page


def test_html_is_self_contained_and_escaped(review: Review) -> None:
    page = review_html(review)
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "<link" not in page and "<script" not in page
    assert "<title>Client review: Ann &lt;b&gt;&amp; Co</title>" in page
    assert "<h1>Client review: Ann &lt;b&gt;&amp; Co</h1>" in page
    assert "<b>" not in page
    assert '<strong class="risk">Risk:</strong> Open complaint' in page
    assert '<strong class="growth">Growth area:</strong> Open deal' in page
    assert page.count('<div class="chart">') == 1
    assert 'title="Nov 2026: 180,000"' in page


def test_markdown_escaping_and_sparkline() -> None:
    assert markdown_escaped("a_b *c* [d](e) #1 | x\ny") == "a\\_b \\*c\\* \\[d\\](e) \\#1 \\| x y"
    assert sparkline([Decimal(1), None, Decimal(8), Decimal(4)]) == "▁·█▄"
    assert sparkline([Decimal(5), Decimal(5)]) == "▄▄"
    assert sparkline([None, None]) == "··"


def test_file_name_slug() -> None:
    assert name_slug("Zoë Müller-Lüdenscheidt & Co.") == "zoe-muller-ludenscheidt-co"
    assert name_slug("<>") == "client"
    assert review_file_name("Ann <b>& Co", DAY) == "rmtui-review-ann-b-co-2026-11-29.md"
    assert review_file_name("Ann", DAY, file_format="html") == "rmtui-review-ann-2026-11-29.html"


def test_write_review_picks_the_format_by_the_ending(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        client_id = make_book(session)
    markdown = write_review(tmp_path / "review.md", engine=engine, client_id=client_id, day=DAY)
    page = write_review(str(tmp_path / "review.HTML"), engine=engine, client_id=client_id, day=DAY)
    assert markdown.read_text(encoding="utf-8").startswith("# Client review")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(markdown.stat().st_mode) == 0o600
    assert stat.S_IMODE(page.stat().st_mode) == 0o600


def test_write_review_expands_home(engine: Engine, private_dirs: Path) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    with session_scope(engine) as session:
        client_id = make_book(session)
    written = write_review("~/ann.md", engine=engine, client_id=client_id, day=DAY)
    assert written == private_dirs / "ann.md"
    assert written.is_file()


def test_write_review_refuses_other_endings_and_missing_folders(
    engine: Engine, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        client_id = make_book(session)
    with pytest.raises(BookError, match=r"does not end in \.md or \.html"):
        write_review(tmp_path / "review.txt", engine=engine, client_id=client_id, day=DAY)
    with pytest.raises(BookError, match="does not exist"):
        write_review(tmp_path / "nowhere" / "r.md", engine=engine, client_id=client_id, day=DAY)
    assert not (tmp_path / "review.txt").exists()


def test_the_review_and_goals_never_import_textual() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'textual' or name.startswith('textual.'):\n"
        "            raise ImportError('textual is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import rmtui.core.review.files, rmtui.core.goals, rmtui.core.queries.holding_trend\n"
        "import rmtui.core.queries.client_records\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_review_is_written_in_the_language_asked_whatever_the_users(
    engine: Engine, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        client_id = make_book(session)
    dutch = write_review(
        tmp_path / "r.md", engine=engine, client_id=client_id, day=DAY, language="nl"
    )
    text = dutch.read_text()
    assert text.startswith("# Klantevaluatie: ")
    assert "## Groeikansen en risico's" in text
    assert "Opgesteld op " in text and "Client review" not in text
    page = write_review(
        tmp_path / "r.html", engine=engine, client_id=client_id, day=DAY, language="nl"
    )
    assert '<html lang="nl">' in page.read_text()
    english = write_review(tmp_path / "e.md", engine=engine, client_id=client_id, day=DAY)
    assert english.read_text().startswith("# Client review: ")
