"""The command palette: jump to any client by name, run any command of the current screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.widgets.option_list import Option

from rmtui.core.choices import choice_text
from rmtui.core.translation import N_, _
from rmtui.screens.book_access import book_session, rm_app

if TYPE_CHECKING:
    from rmtui.core.queries.clients import ClientRow, FoundClients
    from rmtui.core.queries.contact_persons import PersonHit

PLACEHOLDER = N_("Search for commands…")
MAX_CLIENT_HITS = 20
MAX_PERSON_HITS = 10
# Scores, from 0 to 1: the clients a text matches above everything else, the commands and
# contact persons below them (their own scores squeezed into this band), and clients whose
# names are only alike a text that matches none lowest.
MATCHING = (0.75, 1.0)
BELOW_CLIENTS = (0.25, 0.75)
ALIKE = (0.0, 0.25)
Command = Callable[[], object]
SCREENS = (
    ("today", N_("Today"), N_("the agenda: follow-ups, check-ins, cases, birthdays")),
    ("clients", N_("Clients"), N_("every client, filter and sort")),
    ("log", N_("Interaction log"), N_("every call, meeting and e-mail")),
    ("pipeline", N_("Pipeline"), N_("opportunities by stage")),
    ("kpis", N_("KPI dashboard"), N_("KPIs against targets")),
)


def in_band(band: tuple[float, float], score: float) -> float:
    """`score` (from 0 to 1) moved into `band`, keeping its order."""
    low, high = band
    return low + (high - low) * score


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` as it is (never read as markup: a name may hold square brackets), the letters
    the fuzzy match found in it marked."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def as_markup(text: str) -> str:
    """`text` for a place the palette reads as markup (a hit's help), its square brackets
    kept as they are."""
    return text.replace("[", "\\[")


def ranked(count: int) -> list[float]:
    """Scores from 1 down for `count` hits in their order."""
    return [1.0 - rank / (count + 1) for rank in range(count)]


def squashed(score: float) -> float:
    """A fuzzy match's score (from 0 up: Textual's are not bounded) as one from 0 to 1,
    keeping its order."""
    return score / (1.0 + score)


class ClientProvider(Provider):
    """Clients as they are remembered (a few letters of the name, without accents, a phone
    number, a contact person, a misspelt name): enter opens the client. The clients a text
    matches come before every command; clients only alike it, after them."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 2:
            return
        found = await asyncio.to_thread(self._find, query)
        for alike, clients in ((False, found.matching), (True, found.alike)):
            for score, client in zip(ranked(len(clients)), clients, strict=True):
                yield Hit(
                    in_band(ALIKE if alike else MATCHING, score),
                    highlighted(self.matcher(query), client.name),
                    partial(self._open, client.id),
                    text=client.name,
                    help=client_help(client, alike=alike),
                )

    def _find(self, query: str) -> FoundClients:
        from rmtui.core.queries.clients import find_clients

        with book_session(self.app) as session:
            return find_clients(session=session, text=query, limit=MAX_CLIENT_HITS)

    def _open(self, client_id: int) -> None:
        from rmtui.screens.client.detail import ClientDetailScreen

        self.app.push_screen(ClientDetailScreen(client_id))


class ContactPersonProvider(ClientProvider):
    """The people at businesses by name or role (`cfo`): enter opens the client they are at."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 2:
            return
        people = await asyncio.to_thread(self._people, query)
        for score, person in zip(ranked(len(people)), people, strict=True):
            title = person_title(person)
            yield Hit(
                in_band(BELOW_CLIENTS, score / 2),
                highlighted(self.matcher(query), title),
                partial(self._open, person.client_id),
                text=title,
                help=as_markup(_("contact person at {name}").format(name=person.client_name)),
            )

    def _people(self, query: str) -> list[PersonHit]:
        from rmtui.core.queries.contact_persons import search_contact_persons

        with book_session(self.app) as session:
            return search_contact_persons(session=session, text=query, limit=MAX_PERSON_HITS)


def person_title(person: PersonHit) -> str:
    """A contact person as the palette lists them: `Joke de Vries, CFO at De Groot Agro`."""
    name = f"{person.name}, {person.role}" if person.role else person.name
    return _("{person} at {client}").format(person=name, client=person.client_name)


def client_help(client: ClientRow, *, alike: bool = False) -> str:
    """The line under a client's name in the palette (for a client found by a name alike a
    text that matches none, saying so)."""
    parts = [
        choice_text(client.kind),
        choice_text(client.status),
        _("tier {tier}").format(tier=client.tier),
        client.company,
        client.city,
    ]
    if alike:
        parts.insert(0, _("a name alike"))
    return as_markup(" · ".join(part for part in parts if part))


class ScreenCommandProvider(Provider):
    """Every key of the current screen as a command, and a jump to every screen."""

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    in_band(BELOW_CLIENTS, squashed(score)),
                    matcher.highlight(title),
                    callback,
                    text=title,
                    help=help_text,
                )

    def _commands(self) -> Iterable[tuple[str, str, Command]]:
        app = rm_app(self.app)
        for mode, title, help_text in SCREENS:
            go = _("Go to {screen}").format(screen=_(title))
            yield go, _(help_text), partial(app.switch_mode, mode)
        trash = _("Open the trash (ctrl+t)")
        yield trash, _("what was deleted in the last 30 days"), self._open_trash
        yield from screen_commands(self.screen)

    def _open_trash(self) -> None:
        from rmtui.screens.trash import TrashScreen

        self.app.push_screen(TrashScreen())


def screen_commands(screen: Screen[object]) -> Iterable[tuple[str, str, Command]]:
    """(title, help, callback) for each described binding of `screen` itself."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is not screen or not binding.show or binding.description in seen:
            continue
        seen.add(binding.description)
        title = f"{_(binding.description)} ({binding.key_display or key})"
        name = getattr(screen, "SCREEN_NAME", None)
        where = _("on the {screen} screen").format(screen=_(name) if name else _("current"))
        yield (title, where, partial(screen.run_action, binding.action))


class Palette(CommandPalette):
    """Textual's command palette with its own words in the language of the text: the field's
    placeholder and the line shown when nothing matches the text typed."""

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder=_(PLACEHOLDER))

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, but with the words of the language of the text."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not search_value:  # listing what there is: no need to say that nothing matches
                self._list_visible = False
                return
            line = Align.center(Text(_("No matches found"), style="not bold"))
            self.query_one(CommandList).add_option(Option(line, disabled=True, id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
