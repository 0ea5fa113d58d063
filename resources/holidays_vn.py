"""Vietnam's public holidays as dated data: ``resources/holidays_vn.csv`` (date, name), lunar ones included.

The table is made once from the ``holidays`` package (the same days and Vietnamese names the
program used to compute on every run) and shipped; the working-day calendar reads it instead of
rebuilding the lunar calendar at every start (0,4–0,5 s). A year outside the table is still asked
of the package, so no due date changes. To extend or refresh it after a new ``holidays`` release
(a holiday moved by decree), run from the top of the repository:

    python -m resources.holidays_vn [FIRST_YEAR LAST_YEAR]

and commit the file; ``tests/test_workdays.py`` checks it against the package. The office's own
days off and working Saturdays stay in the database (``calendar_days``), on top of this table.
"""
from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

FILE = Path(__file__).resolve().parent / "holidays_vn.csv"
FIRST_YEAR, LAST_YEAR = 1990, 2080  # what the shipped file covers


def from_package(first_year: int, last_year: int) -> dict[dt.date, str]:
    """Every public holiday of the years, named as ``holidays.country_holidays("VN", language="vi")`` names it."""
    import holidays

    days = holidays.country_holidays("VN", language="vi", years=range(first_year, last_year + 1))
    return {d: days.get(d) for d in sorted(days) if first_year <= d.year <= last_year}


def write(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, path: Path = FILE) -> int:
    rows = from_package(first_year, last_year)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["date", "name"])
        out.writerow([f"# years {first_year}-{last_year}", "made by python -m resources.holidays_vn"])
        out.writerows([d.isoformat(), name] for d, name in rows.items())
    return len(rows)


def read(path: Path = FILE) -> tuple[int, int, dict[dt.date, str]]:
    """(first year, last year, {date: name}) of the shipped table."""
    first = last = None
    days: dict[dt.date, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if row[0] == "date":
                continue
            if row[0].startswith("# years "):
                first, last = map(int, row[0][len("# years "):].split("-"))
                continue
            days[dt.date.fromisoformat(row[0])] = row[1]
    if first is None:
        raise ValueError(f"{path.name}: no '# years' line")
    return first, last, days


if __name__ == "__main__":
    years = [int(a) for a in sys.argv[1:3]] or [FIRST_YEAR, LAST_YEAR]
    n = write(*years)
    print(f"{FILE.name}: {n} public holidays of {years[0]}–{years[1]}")
