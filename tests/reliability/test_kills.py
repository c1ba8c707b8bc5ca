"""kill -9 of real processes writing, creating and upgrading books; swaps against writers."""

from __future__ import annotations

import random
from pathlib import Path

from tests.reliability.torture import (
    Figures,
    describe,
    killed_copies,
    killed_creations,
    killed_upgrades,
    killed_writers,
    swaps_against_writers,
)


def no_loss(figures: Figures) -> None:
    assert (figures.lost, figures.unopenable, figures.problems) == (0, 0, []), describe(figures)


def test_a_killed_writer_loses_no_acknowledged_write(tmp_path: Path, rng: random.Random) -> None:
    figures = killed_writers(tmp_path, 6, rng)
    no_loss(figures)
    assert figures.rounds == 6 and figures.acknowledged > 6


def test_a_book_killed_while_it_is_created_is_whole_or_absent(
    tmp_path: Path, rng: random.Random
) -> None:
    no_loss(killed_creations(tmp_path, 6, rng))


def test_a_copy_killed_halfway_leaves_no_book_and_goes_through_when_made_again(
    tmp_path: Path, rng: random.Random
) -> None:
    figures = killed_copies(tmp_path, 2, rng)
    no_loss(figures)
    assert figures.rounds == 2


def test_a_book_killed_during_each_upgrade_step_opens_with_its_data(
    tmp_path: Path, rng: random.Random
) -> None:
    figures = killed_upgrades(tmp_path, 3, rng)
    no_loss(figures)
    assert figures.rounds == 3


def test_encrypt_decrypt_and_restore_lose_no_write_of_a_live_writer(
    tmp_path: Path, rng: random.Random
) -> None:
    figures = swaps_against_writers(tmp_path, 1, rng)
    no_loss(figures)
    assert figures.swaps == 3  # encrypt, decrypt and restore, each between two writes
    assert figures.refused_in_use == 2  # encrypt and restore, while a writer held the book
