"""The benchmark's command line: make or reuse the books, measure every figure, report."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench import Bench, Group, run_group
from benchmarks.figures import GROUPS
from benchmarks.report import Row, markdown_lines, table_lines, write_json
from benchmarks.synth import GENERATOR_VERSION, SEED, TODAY, BookSize, cached_book

DEFAULT_CACHE = Path(__file__).parent / ".cache"
BASELINE_CLIENTS = 100


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's arguments."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure rmtui on a synthetic book against baselines taken in the same run.",
    )
    parser.add_argument("--clients", type=int, default=1000, help="clients in the book")
    parser.add_argument("--interactions", type=int, default=10_000, help="interactions")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--markdown", action="store_true", help="also print the table in Markdown")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="folder of the cached synthetic books"
    )
    parser.add_argument(
        "--only", metavar="KEYS", help="comma-separated figure keys to measure (default: all)"
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="URL",
        help="also measure the book copied into PostgreSQL: a throw-away cluster, or the empty "
        "database URL (and URL's database + _small beside it)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when it ran (targets missed are reported, not failed)."""
    args = build_parser().parse_args(argv)
    if args.clients < 1 or args.interactions < 0 or args.repeat < 1:
        print("benchmarks: --clients and --repeat must be at least 1.", file=sys.stderr)
        return 2
    os.environ["RMTUI_TODAY"] = TODAY.isoformat()
    size = BookSize(args.clients, args.interactions)
    with tempfile.TemporaryDirectory(prefix="scratch-", dir=_ensure(args.cache)) as scratch:
        bench, generated = prepare(
            size, cache=args.cache, repeat=args.repeat, scratch=Path(scratch)
        )
        if args.postgres is None:
            rows = measure_all(bench, only=_keys(args.only))
        else:
            rows = measure_with_server(bench, args.postgres or None, only=_keys(args.only))
    print("\n".join(table_lines(rows)))
    if args.markdown:
        print("\n" + "\n".join(markdown_lines(rows)))
    if args.json:
        write_json(args.json, rows, run_facts(bench, generated))
        print(f"\nFigures written to {args.json}.")
    return 0


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keys(text: str | None) -> set[str] | None:
    return {key.strip() for key in text.split(",") if key.strip()} if text else None


def prepare(
    size: BookSize, *, cache: Path, repeat: int, scratch: Path
) -> tuple[Bench, dict[str, float]]:
    """The books of the run (generated on first use, then cached) and the Bench for them."""
    ratio = size.interactions / size.clients
    small = BookSize(BASELINE_CLIENTS, round(BASELINE_CLIENTS * ratio))
    generated: dict[str, float] = {}
    paths = {}
    for label, book_size in (("book", size), ("baseline_book", small)):
        started = time.perf_counter()
        paths[label] = cached_book(book_size, cache_dir=cache)
        generated[label] = round(time.perf_counter() - started, 2)
        progress(f"{label} {book_size.label}: {paths[label]} ({generated[label]} s)")
    bench = Bench(paths["book"], size, paths["baseline_book"], small, repeat, scratch)
    return bench, generated


def measure_with_server(bench: Bench, url: str | None, *, only: set[str] | None) -> list[Row]:
    """Every figure, then those of the book copied into PostgreSQL (see figures_postgres)."""
    from benchmarks.figures_postgres import SERVER_GROUPS, server_books

    rows = measure_all(bench, only=only)
    started = time.perf_counter()
    with server_books(bench, url) as books:
        progress(f"books copied into PostgreSQL in {time.perf_counter() - started:.1f} s")
        groups = tuple(group.bound(books) for group in SERVER_GROUPS)
        return rows + measure_all(bench, only=only, groups=groups)


def measure_all(
    bench: Bench, *, only: set[str] | None = None, groups: tuple[Group, ...] = GROUPS
) -> list[Row]:
    """Every figure of `groups` (or those in `only`), in report order."""
    rows: list[Row] = []
    for group in groups:
        if only is not None and not only & {spec.key for spec in group.specs}:
            continue
        started = time.perf_counter()
        found = run_group(group, bench)
        keys = ", ".join(spec.key for spec in group.specs)
        progress(f"measured {keys} in {time.perf_counter() - started:.1f} s")
        rows += [row for row in found if only is None or row.spec.key in only]
    return rows


def progress(message: str) -> None:
    """A line of progress on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_facts(bench: Bench, generated: dict[str, float]) -> dict[str, Any]:
    """What the JSON says about the run besides the figures."""
    return {
        "benchmark": "rmtui",
        "today": TODAY.isoformat(),
        "clients": bench.size.clients,
        "interactions": bench.size.interactions,
        "baseline_clients": bench.small_size.clients,
        "baseline_interactions": bench.small_size.interactions,
        "repeat": bench.repeat,
        "seed": SEED,
        "generator_version": GENERATOR_VERSION,
        "book_seconds": generated,
        "book_bytes": bench.book.stat().st_size,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    }
