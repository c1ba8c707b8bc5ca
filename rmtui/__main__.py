"""Run rmtui with `python -m rmtui`."""

from rmtui.cli import main

raise SystemExit(main())
