"""A country's public holidays, as business-day clocks need them.

The `holidays` package knows them but takes a good part of a second to load, so the years a
clock has needed are copied into the book's `public_holiday` table when a case is opened or
extended; the agenda then reads them there with sqlite3 alone. A year not copied yet (a case
imported from a file) is asked of the package, without writing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

YEARS_AHEAD = 1  # a clock opened late in a year may run into the next


def holidays_between(
    connection: Any, country: str, first: date, last: date, *, ask_package: bool = True
) -> frozenset[date]:
    """The public holidays of `country` from `first` to `last`, read from the book (DB-API
    `connection`), or from the `holidays` package for a year the book does not hold (unless
    not `ask_package`: then only those the book holds)."""
    years = range(first.year, last.year + 1)
    stored = _stored(connection, country, first.year, last.year)
    missing = [year for year in years if year not in stored]
    days = {day for year_days in stored.values() for day in year_days}
    if missing and ask_package:
        days |= set(package_holidays(country, missing))
    return frozenset(day for day in days if first <= day <= last)


def keep_holidays(connection: Any, country: str, first: date, last: date) -> frozenset[date]:
    """holidays_between, copying the years the book does not hold yet into it (with the year
    after `last`), so that later readings need not load the package."""
    stored = _stored(connection, country, first.year, last.year + YEARS_AHEAD)
    missing = [y for y in range(first.year, last.year + YEARS_AHEAD + 1) if y not in stored]
    if missing:
        found = package_holidays(country, missing)
        cursor = connection.cursor()
        try:
            cursor.executemany(
                'INSERT INTO public_holiday (country, "on", name) VALUES (?, ?, ?)'
                " ON CONFLICT DO NOTHING",
                [(country, day.isoformat(), name) for day, name in sorted(found.items())],
            )
        finally:
            cursor.close()
    return holidays_between(connection, country, first, last)


def package_holidays(country: str, years: Iterable[int]) -> dict[date, str]:
    """The public holidays of `country` in `years`, from the `holidays` package (loaded only
    now); an unknown country has none."""
    import holidays  # slow to load: only when a clock needs a year the book does not hold

    try:
        found = holidays.country_holidays(country, years=list(years))
    except NotImplementedError:
        return {}
    return {day: str(name) for day, name in found.items()}


def _stored(connection: Any, country: str, first_year: int, last_year: int) -> dict[int, set[date]]:
    """The holidays the book holds for `country` from `first_year` to `last_year`, by year."""
    cursor = connection.cursor()
    try:
        cursor.execute(
            'SELECT "on" FROM public_holiday WHERE country = ? AND "on" >= ? AND "on" <= ?',
            (country, f"{first_year}-01-01", f"{last_year}-12-31"),
        )
        rows = cursor.fetchall()
    finally:
        cursor.close()
    by_year: dict[int, set[date]] = {}
    for (text,) in rows:
        day = date.fromisoformat(text) if isinstance(text, str) else text
        by_year.setdefault(day.year, set()).add(day)
    return by_year
