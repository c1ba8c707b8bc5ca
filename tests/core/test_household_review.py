"""The household review report: every member's assets, goals, open items and contacts, with
whose each is, in Markdown and HTML, notes whole and amounts in the user's locale."""

from __future__ import annotations

import html
import stat
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rmtui.core.db import session_scope
from rmtui.core.errors import BookError
from rmtui.core.models import Case, Client, FinancialGoal, FollowUp, Holding, Interaction
from rmtui.core.queries.common import RecordNotFound
from rmtui.core.queries.households import add_member, create_household
from rmtui.core.review.files import write_household_review
from rmtui.core.review.household import build_household_review
from rmtui.core.review.household_sections import household_review_text
from rmtui.core.translation import in_language, reset_language
from rmtui.core.user_locale import user_locale
from tests.factories import make

DAY = date(2026, 11, 29)
LONG_NOTE = (
    "Talked through the whole plan for the children's studies, the mortgage that ends in "
    "2031 and the pension gap; they want to keep the holiday home for now and revisit it "
    "next spring after the sale of the old car.\nSecond line of the note."
)


def jansens(session: Session) -> int:
    """Piet (head) and Anna (partner) with accounts, goals, open items and contacts; a
    stranger's records that must not show; the household's id."""
    piet = make(session, Client, name="Piet Jansen", tier="A")
    anna = make(session, Client, name="Anna <Jansen> & Co", tier="B")
    stranger = make(session, Client, name="Stranger")
    assert piet.id and anna.id and stranger.id
    household = create_household(session=session, client_id=piet.id, name="Jansen family")
    assert household.id is not None
    add_member(session=session, household_id=household.id, client_id=anna.id, role="partner")
    for client, values in ((piet, ("100000", "120000.50")), (anna, ("50000", "40000"))):
        for as_of, value in zip(("2025-11-01", "2026-11-20"), values, strict=True):
            day = date.fromisoformat(as_of)
            make(session, Holding, client_id=client.id, as_of=day, value=Decimal(value))
    make(session, Holding, client_id=stranger.id, as_of=DAY, value=Decimal("999999"))
    make(
        session,
        FinancialGoal,
        client_id=anna.id,
        title="Studies for Tim",
        target_amount=Decimal("60000"),
        current_amount=Decimal("30000"),
        target_date=date(2030, 9, 1),
    )
    make(session, FollowUp, client_id=piet.id, title="Send the review", due_on=date(2026, 11, 20))
    make(session, FollowUp, client_id=stranger.id, title="Not theirs", due_on=DAY)
    make(session, Case, client_id=anna.id, kind="complaint", subject="Card blocked")
    at = datetime(2026, 11, 12, 10, 30)
    make(session, Interaction, client_id=anna.id, at=at, kind="meeting", notes=LONG_NOTE)
    make(session, Interaction, client_id=piet.id, at=datetime(2026, 11, 1, 9), subject="Call")
    make(session, Interaction, client_id=piet.id, at=datetime(2026, 11, 2, 9), kind="note")
    make(session, Interaction, client_id=piet.id, at=datetime(2026, 12, 5, 9), subject="Later")
    make(session, Interaction, client_id=stranger.id, at=datetime(2026, 11, 3), subject="No")
    session.commit()
    return household.id


def test_the_review_reads_every_member_and_nobody_else(session: Session) -> None:
    review = build_household_review(session=session, household_id=jansens(session), day=DAY)
    assert [(m.member.name, m.member.role, m.aum) for m in review.members] == [
        ("Piet Jansen", "head", Decimal("120000.50")),
        ("Anna <Jansen> & Co", "partner", Decimal("40000.00")),
    ]
    assert review.aum == Decimal("160000.50")
    assert review.aum_months_ago(12) == Decimal("150000.00")
    assert [(goal.title, who) for goal, who in review.goals] == [
        ("Studies for Tim", "Anna <Jansen> & Co")
    ]
    assert [(item.title, who) for item, who in review.follow_ups] == [
        ("Send the review", "Piet Jansen")
    ]
    assert [(case.subject, who) for case, who in review.cases] == [
        ("Card blocked", "Anna <Jansen> & Co")
    ]
    # Contacts only (no notes), none after the day, newest first.
    assert [(row.client_name, row.kind) for row in review.contacts] == [
        ("Anna <Jansen> & Co", "meeting"),
        ("Piet Jansen", "call"),
    ]
    assert review.last_contact_on == date(2026, 11, 12)


def test_markdown_says_whose_each_item_is_and_keeps_notes_whole(session: Session) -> None:
    review = build_household_review(session=session, household_id=jansens(session), day=DAY)
    text = household_review_text(review, "markdown")
    assert text.startswith("# Household review: Jansen family\n\n_Prepared on 29 Nov 2026")
    assert "2 members · one check-in for all" in text
    assert "| Piet Jansen | head | A | 01 Nov 2026 | 120,001 |" in text
    assert "Assets of all members: 160,001 on 29 Nov 2026" in text
    assert "+10,001 (+6.7%) over 12 months" in text
    assert "| Studies for Tim | Anna \\<Jansen\\> \\& Co | 50.0% | 30,000 | 60,000 |" in text
    assert "| 20 Nov 2026 (late) | Piet Jansen | Send the review | normal |" in text
    assert "| complaint | Anna \\<Jansen\\> \\& Co | Card blocked |" in text
    assert " ".join(LONG_NOTE.split()) in text  # whole, never cut at a word or a line
    assert "Stranger" not in text and "999,999" not in text and "Later" not in text


def test_html_is_escaped_and_keeps_notes_whole(session: Session) -> None:
    review = build_household_review(session=session, household_id=jansens(session), day=DAY)
    page = household_review_text(review, "html")
    assert "<title>Household review: Jansen family</title>" in page
    assert "<td>Anna &lt;Jansen&gt; &amp; Co</td>" in page
    assert "<Jansen>" not in page
    assert html.escape(" ".join(LONG_NOTE.split())) in page
    assert '<div class="chart">' in page and '<td class="num">120,001</td>' in page


def test_amounts_follow_the_users_locale(
    session: Session, monkeypatch: pytest.MonkeyPatch, private_dirs: Path
) -> None:
    config = private_dirs / "config" / "rmtui"  # an English text with Dutch figures
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[display]\nlanguage = "en"\n')
    monkeypatch.setenv("RMTUI_LOCALE", "nl")
    user_locale.cache_clear()
    reset_language()
    review = build_household_review(session=session, household_id=jansens(session), day=DAY)
    text = household_review_text(review, "markdown")
    assert "| Piet Jansen | head | A | 01 Nov 2026 | 120.001 |" in text
    assert "Assets of all members: 160.001 on 29 Nov 2026" in text


def test_a_report_in_another_language_writes_figures_its_way(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMTUI_LOCALE", "nl")
    user_locale.cache_clear()
    with in_language("en"):  # for an English client of a Dutch user
        review = build_household_review(session=session, household_id=jansens(session), day=DAY)
        text = household_review_text(review, "markdown")
    assert "| Piet Jansen | head | A | 01 Nov 2026 | 120,001 |" in text


def test_a_household_without_records_says_so(session: Session) -> None:
    client = make(session, Client, name="Solo")
    assert client.id is not None
    household = create_household(session=session, client_id=client.id)
    assert household.id is not None
    review = build_household_review(session=session, household_id=household.id, day=DAY)
    text = household_review_text(review, "markdown")
    for said in (
        "No holdings recorded for any member.",
        "No financial goals recorded.",
        "No open follow-ups.",
        "No open requests or complaints.",
        "No contacts with any member yet.",
    ):
        assert f"_{said}_" in text


def test_the_file_is_written_privately_in_the_format_of_its_ending(
    engine: Engine, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        household_id = jansens(session)
    markdown = write_household_review(
        tmp_path / "jansens.md", engine=engine, household_id=household_id, day=DAY
    )
    page = write_household_review(
        tmp_path / "jansens.HTML", engine=engine, household_id=household_id, day=DAY
    )
    assert markdown.read_text(encoding="utf-8").startswith("# Household review: Jansen family")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(markdown.stat().st_mode) == 0o600
    with pytest.raises(BookError, match=r"does not end in \.md or \.html"):
        write_household_review(tmp_path / "x.txt", engine=engine, household_id=1, day=DAY)
    with pytest.raises(RecordNotFound):
        write_household_review(tmp_path / "x.md", engine=engine, household_id=99, day=DAY)


def test_a_household_whose_members_all_read_dutch_gets_a_dutch_review(
    session: Session, tmp_path: Path
) -> None:
    from sqlmodel import select

    from rmtui.core.queries.households import household_language
    from rmtui.core.review.files import write_household_review

    household_id = jansens(session)
    assert household_language(session=session, household_id=household_id) is None
    members = session.exec(select(Client).where(Client.name != "Stranger")).all()
    members[0].preferred_language = "nl"
    session.flush()
    assert household_language(session=session, household_id=household_id) is None  # mixed
    for member in members:
        member.preferred_language = "nl"
    session.commit()
    language = household_language(session=session, household_id=household_id)
    assert language == "nl"
    written = write_household_review(
        tmp_path / "h.md",
        engine=session.get_bind(),  # type: ignore[arg-type]
        household_id=household_id,
        day=DAY,
        language=language,
    )
    text = written.read_text()
    assert text.startswith("# Evaluatie huishouden: Jansen family")
    assert "| Piet Jansen | hoofd | A |" in text
