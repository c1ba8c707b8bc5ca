"""Addresses broken only where addresses break: before a dot or an @, after a slash."""

from __future__ import annotations

from rich.console import Console

from rmtui.widgets.address_text import AddressText, address_lines


def test_an_address_that_fits_stays_on_one_line() -> None:
    assert address_lines("ann@example.com", 20) == ["ann@example.com"]


def test_an_address_breaks_before_its_dots_and_at_sign() -> None:
    assert address_lines("katharina.schneider@example.net", 15) == [
        "katharina",
        ".schneider",
        "@example.net",
    ]
    assert address_lines("treasury@albiondevices.example (work)", 16) == [
        "treasury",
        "@albiondevices",
        ".example (work)",
    ]
    assert address_lines("https://example.com/a/b", 16) == ["https://example", ".com/a/b"]


def test_only_a_part_longer_than_the_line_is_folded() -> None:
    assert address_lines("averyveryverylongname@x.io", 10) == [
        "averyveryv",
        "erylongnam",
        "e@x.io",
    ]


def test_in_a_narrow_cell_the_address_keeps_its_parts_whole() -> None:
    console = Console(width=12, record=True)
    console.print(AddressText("katharina.schneider@example.net"))
    assert console.export_text().split() == ["katharina", ".schneider", "@example.net"]
