"""The long torture run, by hand: `python -m tests.reliability --rounds 200`.

Every scenario of the pytest suite, with many more rounds and inputs, on books in a temporary
folder (never the user's); the figures are printed at the end, and the exit status is 1 when
anything was lost, would not open, or answered with other than one sentence.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from tests.reliability.fuzzing import fuzz
from tests.reliability.torture import (
    Figures,
    damaged_files,
    describe,
    killed_creations,
    killed_upgrades,
    killed_writers,
    new_book,
    swaps_against_writers,
)


def main(argv: list[str] | None = None) -> int:
    """Run every scenario `--rounds` times (fewer for the slow ones) and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m tests.reliability")
    parser.add_argument("--rounds", type=int, default=200, help="kill -9 rounds of a writer")
    parser.add_argument("--fuzz", type=int, default=400, help="inputs per importer")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    total = Figures()
    with tempfile.TemporaryDirectory(prefix="rmtui-torture-") as scratch:
        base = Path(scratch)
        _private_environment(base)
        steps = [
            ("killed writers", lambda folder: killed_writers(folder, args.rounds, rng)),
            ("killed creations", lambda folder: killed_creations(folder, args.rounds // 4, rng)),
            ("killed upgrades", lambda folder: killed_upgrades(folder, args.rounds // 4, rng)),
            ("swaps", lambda folder: swaps_against_writers(folder, max(args.rounds // 20, 1), rng)),
            ("damaged files", lambda folder: damaged_files(folder, in_process=False)),
            *[
                (f"fuzzed {kind}", lambda folder, kind=kind: _fuzz(kind, folder, args.fuzz))
                for kind in ("json", "csv", "vcf")
            ],
        ]
        for name, step in steps:
            folder = base / name.replace(" ", "-")
            folder.mkdir()
            started = time.monotonic()
            figures = step(folder)
            print(f"{name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            total.add(figures)
    print(f"seed: {seed}")
    print(describe(total))
    failed = total.lost or total.unopenable or total.unexpected or total.problems
    return 1 if failed else 0


def _fuzz(kind: str, folder: Path, examples: int) -> Figures:
    return fuzz(kind, folder, new_book(folder / "template.db"), examples)


def _private_environment(base: Path) -> None:
    """Keep the run away from the user's own data and settings."""
    home = base / "home"
    os.environ.update(
        {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "RMTUI_DB": str(base / "unused.db"),
            "RMTUI_LOCALE": "en",
        }
    )


if __name__ == "__main__":
    sys.exit(main())
