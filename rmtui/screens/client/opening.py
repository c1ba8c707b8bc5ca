"""Opening a client's detail screen from any screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen


def open_client(screen: Screen[Any], client_id: int) -> None:
    """Show the client's detail screen on top of the current one."""
    from rmtui.screens.client.detail import ClientDetailScreen

    screen.app.push_screen(ClientDetailScreen(client_id))
