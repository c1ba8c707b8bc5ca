"""Run the benchmark with `python -m benchmarks --clients N --interactions M`."""

from benchmarks.cli import main

raise SystemExit(main())
