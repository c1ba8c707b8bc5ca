"""The main screens in Dutch, walked with the keys of the daily routine; and a run in a pseudo
language (every message wrapped in ⟦ ⟧) that shows no English text outside the markers."""

from __future__ import annotations

import gettext
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from rich.console import Console
from sqlalchemy.engine import Engine
from textual.app import App
from textual.pilot import Pilot

from rmtui.app import make_app
from rmtui.core import translation
from rmtui.core.db import open_book
from rmtui.core.demo import create_demo_book
from rmtui.core.translation import locale_dir, reset_language
from rmtui.core.user_locale import user_locale
from rmtui.screens.client.detail import ClientDetailScreen
from rmtui.screens.forms.activity import FollowUpForm, LogForm

TODAY = date(2026, 11, 29)
ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
MARKED = re.compile(r"⟦[^⟦⟧]*⟧")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_book(path, today=TODAY).dispose()
    return path


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user whose locale is nl_NL."""
    monkeypatch.setenv("RMTUI_LOCALE", "nl_NL.UTF-8")
    user_locale.cache_clear()
    reset_language()


@pytest.fixture
def demo_engine(tmp_path: Path, demo_template: Path) -> Iterator[Engine]:
    path = tmp_path / "demo.db"
    path.write_bytes(demo_template.read_bytes())
    engine = open_book(path)
    yield engine
    engine.dispose()


def screen_text(app: App[Any]) -> str:
    """The text on the screen now, line by line, as a terminal shows it."""
    console = Console(width=app.size.width, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def daily_routine(pilot: Pilot[Any]) -> list[str]:
    """Today, Clients filtered, a client opened, the log and follow-up forms, the KPIs:
    the text of each screen on the way."""
    seen = []
    await settle(pilot)
    seen.append(screen_text(pilot.app))
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("slash", *"bak", "enter")
    await settle(pilot)
    seen.append(screen_text(pilot.app))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ClientDetailScreen)
    seen.append(screen_text(pilot.app))
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LogForm)
    seen.append(screen_text(pilot.app))
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FollowUpForm)
    seen.append(screen_text(pilot.app))
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)
    seen.append(screen_text(pilot.app))
    await pilot.press("escape", "5")
    await settle(pilot)
    await settle(pilot)
    seen.append(screen_text(pilot.app))
    return seen


async def test_the_daily_routine_reads_in_dutch(dutch: None, demo_engine: Engine) -> None:
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        today, clients, detail, log, follow_up, help_, kpis = await daily_routine(pilot)
        assert "zondag 29 nov 2026" in today
        assert "Verlopen opvolgacties" in today
        assert "Vastleggen" in today  # the l key
        assert "Filter /" in clients and "Bakkerij Peeters" in clients
        assert "klant" in clients
        assert "Openstaande opvolgacties" in detail and "Tijdlijn" in detail
        assert "Contactmoment vastleggen met Bakkerij Peeters" in log
        assert "Nieuwe opvolgactie voor Bakkerij Peeters" in follow_up
        assert "Toetsen — Klantdetails" in help_
        assert "Klanten bij begin" in kpis and "Q4 2026 tot nu" in kpis


async def test_a_logged_call_is_confirmed_in_dutch(dutch: None, demo_engine: Engine) -> None:
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash", *"bak", "enter")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"Jaarcijfers", "tab", "tab", "tab", "ctrl+u", *"gisteren 14:00")
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"Offerte", "tab", *"vrijdag")
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = [notification.message for notification in app._notifications]
        assert "Vastgelegd: gesprek met Bakkerij Peeters." in said[-1]
        assert "Volgende opvolgactie op vr 04 dec." in said[-1]


def pseudo_catalogue() -> gettext.GNUTranslations:
    """Every message of the Dutch catalogue, "translated" as itself between ⟦ and ⟧."""
    with (locale_dir() / "nl" / "LC_MESSAGES" / "rmtui.po").open("rb") as file:
        catalogue = read_po(file)
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = tuple(f"⟦{form}⟧" for form in message.id)
        else:
            message.string = f"⟦{message.id}⟧"
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def english_words() -> set[str]:
    """The words of rmtui's English messages, less those of the demo book's own text."""
    with (locale_dir() / "rmtui.pot").open("rb") as file:
        catalogue = read_po(file)
    words: set[str] = set()
    for message in catalogue:
        for text in message.id if isinstance(message.id, tuple | list) else (message.id,):
            words.update(word.lower() for word in WORD.findall(text))
    demo_text = json.dumps(json.loads((ROOT / "data" / "demo-book.json").read_text()))
    return words - {word.lower() for word in WORD.findall(demo_text)} - {"demo", "rmtui"}


def outside_markers(text: str) -> str:
    """`text` without what is between markers (innermost first), nor a marked text cut short
    at the edge of a cell."""
    while MARKED.search(text):
        text = MARKED.sub(" ", text)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"⟦[^⟧]*?(…|$)", " ", line)  # cut short: no closing marker
        lines.append(re.sub(r"^[^⟦]*?⟧", " ", line))
    return "\n".join(lines)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_no_text_escapes_translation_on_the_main_screens(
    dutch: None, demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    pseudo = pseudo_catalogue()
    monkeypatch.setattr(translation, "catalogue", lambda _language: pseudo)
    vocabulary = english_words()
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=size) as pilot:
        screens = await daily_routine(pilot)
    for shown in screens:
        text = re.sub(r"[A-Za-z'-]+…", " ", outside_markers(shown))  # a name cut short
        left = {word.lower() for word in WORD.findall(text)}
        assert not left & vocabulary, (sorted(left & vocabulary), shown)


async def other_screens(pilot: Pilot[Any], import_file: Path) -> list[str]:
    """The "Why here" view on Today, a client deleted then the trash, the pipeline's forecast, the
    import dialog with a file read, and a household: the text of each on the way."""
    from rmtui.screens.forecast import ForecastScreen
    from rmtui.screens.household import HouseholdScreen
    from rmtui.screens.import_clients import ImportClientsScreen
    from rmtui.screens.trash import TrashScreen
    from rmtui.screens.urgency_view import UrgencyView

    seen = []
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)
    assert isinstance(pilot.app.screen, UrgencyView)
    seen.append(screen_text(pilot.app))
    await pilot.press("escape", "2")
    await settle(pilot)
    await pilot.press("slash", *"bak", "enter")
    await settle(pilot)
    await pilot.press("D")
    await settle(pilot)
    seen.append(screen_text(pilot.app))  # the question before deleting
    await pilot.press("y")
    await settle(pilot)
    await pilot.press("ctrl+t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TrashScreen)
    seen.append(screen_text(pilot.app))
    await pilot.press("escape", "4")
    await settle(pilot)
    await pilot.press("F")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ForecastScreen)
    seen.append(screen_text(pilot.app))
    await pilot.press("escape", "2")
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ImportClientsScreen)
    seen.append(screen_text(pilot.app))
    await pilot.press(*str(import_file), "enter")
    await settle(pilot)
    seen.append(screen_text(pilot.app))
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("escape", "slash", *"sanne", "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("H")
    await settle(pilot)
    await settle(pilot)
    assert isinstance(pilot.app.screen, HouseholdScreen)
    seen.append(screen_text(pilot.app))
    return seen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_no_text_escapes_translation_on_the_other_screens(
    dutch: None,
    demo_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    size: tuple[int, int],
) -> None:
    pseudo = pseudo_catalogue()
    monkeypatch.setattr(translation, "catalogue", lambda _language: pseudo)
    vocabulary = english_words()
    import_file = tmp_path_factory.mktemp("map") / "nieuw.csv"  # no English in its path
    import_file.write_text("naam;e-mail\nPieter Smit;pieter@example.nl\nJoke Smit;geen-adres\n")
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=size) as pilot:
        screens = await other_screens(pilot, import_file)
    for shown in screens:
        text = re.sub(r"[A-Za-z'-]+…", " ", outside_markers(shown))  # a name cut short
        left = {word.lower() for word in WORD.findall(text)}
        assert not left & vocabulary, (sorted(left & vocabulary), shown)


async def test_a_dutch_clients_review_is_written_in_dutch_for_an_english_user(
    demo_engine: Engine, tmp_path: Path, private_dirs: Path
) -> None:
    from sqlmodel import select

    from rmtui.core.db import session_scope
    from rmtui.core.models import Client
    from rmtui.screens.forms.financial import ReviewExportForm

    private_dirs.mkdir(exist_ok=True)  # the home folder the report is written to
    with session_scope(demo_engine) as session:
        client = session.exec(select(Client).where(Client.name == "Bakkerij Peeters")).one()
        client.preferred_language = "nl"
        session.add(client)
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash", *"bak", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ReviewExportForm)
        assert form.language == "nl"
        assert "Export the review of Bakkerij Peeters" in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    (written,) = (private_dirs).glob("rmtui-review-*.md")
    text = written.read_text()
    assert text.startswith("# Klantevaluatie: Bakkerij Peeters")
    assert "Opgesteld op 29 nov 2026" in text


def test_past_days_are_typed_in_dutch_in_the_log_filter() -> None:
    from rmtui.screens.log import typed_day

    assert typed_day("3m geleden", base=date(2026, 12, 1)) == date(2026, 9, 1)
    assert typed_day("2 weken geleden", base=date(2026, 12, 1)) == date(2026, 11, 17)
    assert typed_day("3m ago", base=date(2026, 12, 1)) == date(2026, 9, 1)


@pytest.mark.parametrize("size", [(100, 30), (160, 45)], ids=["100x30", "160x45"])
async def test_the_forecast_shows_the_dutch_stages_whole(
    dutch: None, demo_engine: Engine, size: tuple[int, int]
) -> None:
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        shown = screen_text(app)
    assert "Fase" in shown
    assert "gekwalificeerd" in shown and "onderhandeling" in shown
    assert "gekwalific…" not in shown and "onderhande…" not in shown


async def test_the_forecast_hint_says_what_fits_in_dutch(dutch: None, demo_engine: Engine) -> None:
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        narrow = screen_text(app)
        await pilot.resize_terminal(160, 45)
        await settle(pilot)
        wide = screen_text(app)
    assert re.search(r"openstaande kansen · op sluitdatum  \(⚠ sluitdatum verstreken\) *\n", narrow)
    assert "(/ filtert, s sorteert · ⚠ sluitdatum verstreken · * eigen slaagkans)" in wide


async def test_the_command_palette_speaks_dutch(dutch: None, demo_engine: Engine) -> None:
    app = make_app(demo_engine, book_name="demo", day=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert "Zoek een klant of opdracht…" in screen_text(app)
        await pilot.press(*"qqqzzz")
        await settle(pilot)
        await pilot.pause(1.0)  # Textual says nothing matches after a moment
        shown = screen_text(app)
    assert "Niets gevonden" in shown
    assert "No matches" not in shown


def test_the_progress_of_an_import_is_told_in_dutch(
    dutch: None, demo_engine: Engine, tmp_path: Path
) -> None:
    from rmtui.core.db import open_book
    from rmtui.core.interchange.book_file import import_book_file, write_book_file

    told: list[str] = []
    book = tmp_path / "boek.json"
    write_book_file(book, engine=demo_engine, progress=lambda step, *_: told.append(step))
    assert "klanten wegschrijven" in told and "weggeschreven" in told
    engine = open_book(tmp_path / "nieuw.db")
    try:
        import_book_file(book, engine=engine, progress=lambda step, *_: told.append(step))
    finally:
        engine.dispose()
    assert "boek.json lezen" in told and "verwijzingen controleren" in told
    assert any(re.fullmatch(r"[\d.]+ klanten toevoegen", step) for step in told)
    assert "de portefeuille opslaan" in told
