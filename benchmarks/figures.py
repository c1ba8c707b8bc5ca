"""Every figure of the report, in the order it is printed."""

from __future__ import annotations

from benchmarks.bench import Group
from benchmarks.figures_cli import CLI_GROUP
from benchmarks.figures_data import AGENDA_GROUP, CLIENT_LIST_GROUP, FORECAST_GROUP, KPI_GROUP
from benchmarks.figures_households import HOUSEHOLD_GROUP
from benchmarks.figures_io import IMPORT_MEMORY_GROUP, INTERCHANGE_GROUP
from benchmarks.figures_screens import (
    KPI_SCREEN_GROUP,
    QUIT_GROUP,
    SCREENS_GROUP,
    SESSION_GROUP,
    STARTUP_GROUP,
)
from benchmarks.figures_search import SEARCH_GROUP

# The in-process figures come first; import and export last, as they use the most memory.
GROUPS: tuple[Group, ...] = (
    STARTUP_GROUP,
    SESSION_GROUP,
    KPI_GROUP,
    KPI_SCREEN_GROUP,
    SCREENS_GROUP,
    QUIT_GROUP,
    AGENDA_GROUP,
    FORECAST_GROUP,
    CLIENT_LIST_GROUP,
    SEARCH_GROUP,
    HOUSEHOLD_GROUP,
    CLI_GROUP,
    INTERCHANGE_GROUP,
    IMPORT_MEMORY_GROUP,
)
