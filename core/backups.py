"""Automatic backups: where they live, when one is taken, which ones are kept.

Backups sit in a ``backups`` folder beside the database, where the user can
see them. One is taken at the first start of each day of use, and one before
every migration and every restore. Daily backups are kept in rotation: the 7
newest days, then the newest of each of the 4 weeks before, then the newest of
each of the 12 months before; copies taken before a migration or a restore are
never removed.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

DAILY = re.compile(r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})\.db$")


def _server_name(url: str) -> str:
    """A PostgreSQL office's name for its backup files: the database's name."""
    name = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[^\w.-]", "_", name) or "motcua"


def folder(db_path) -> Path:
    """Beside the file; for an office on a PostgreSQL server, on this PC: MOTCUA_BACKUPS, or the
    ``MotCua/backups`` folder in the user's home."""
    from db.dialect import is_url

    if is_url(db_path):
        return Path(os.environ.get("MOTCUA_BACKUPS") or Path.home() / "MotCua" / "backups")
    return Path(db_path).parent / "backups"


def _stem(db_path) -> str:
    from db.dialect import is_url

    return _server_name(db_path) if is_url(db_path) else Path(db_path).stem


def daily_name(db_path, day: dt.date) -> Path:
    return folder(db_path) / f"{_stem(db_path)}-{day.isoformat()}.db"


def special_name(db_path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    return folder(db_path) / f"{_stem(db_path)}-{reason}-{stamp}.db"


def to_keep(days: list[dt.date], today: dt.date, daily: int = 7, weekly: int = 4, monthly: int = 12) -> set[dt.date]:
    """Which daily backups the rotation keeps."""
    ordered = sorted(set(days), reverse=True)
    keep = set(ordered[:daily])
    rest = ordered[daily:]
    weeks: dict[tuple[int, int], dt.date] = {}
    for d in rest:
        weeks.setdefault(d.isocalendar()[:2], d)
    kept_weeks = sorted(weeks.values(), reverse=True)[:weekly]
    keep.update(kept_weeks)
    oldest_week = min(kept_weeks) if kept_weeks else (ordered[daily - 1] if len(ordered) >= daily else today)
    months: dict[tuple[int, int], dt.date] = {}
    for d in rest:
        if d < oldest_week:
            months.setdefault((d.year, d.month), d)
    keep.update(sorted(months.values(), reverse=True)[:monthly])
    return keep


def daily_backups(db_path: Path) -> dict[dt.date, Path]:
    out = {}
    stem = _stem(db_path)
    if folder(db_path).is_dir():
        for p in folder(db_path).iterdir():
            m = DAILY.match(p.name)
            if m and m["stem"] == stem:
                out[dt.date.fromisoformat(m["day"])] = p
    return out


def newest(db_path: Path) -> Path | None:
    """The newest backup of any kind, to offer when the database cannot be read."""
    if not folder(db_path).is_dir():
        return None
    stem = _stem(db_path)
    candidates = [p for p in folder(db_path).glob(f"{stem}-*.db")]
    return max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None


def daily_backup(store, today: dt.date | None = None) -> Path | None:
    """Take today's backup if none exists, then rotate; returns the new file or None."""
    today = today or dt.date.today()
    if store.path is None:
        return None
    target = daily_name(store.path, today)
    made = None
    if not target.exists():
        made = store.backup(target)
    existing = daily_backups(store.path)
    keep = to_keep(list(existing), today)
    for day, path in existing.items():
        if day not in keep:
            path.unlink(missing_ok=True)
    return made
