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


def leaves_rotation(days: list[dt.date], day: dt.date, today: dt.date, horizon: int = 800) -> dt.date | None:
    """The first day on which the rotation no longer keeps the daily backup of ``day``, given the
    daily backups that exist and one more each day from tomorrow on (None: beyond the horizon)."""
    known = set(days)
    moment = today
    for _ in range(horizon):
        moment += dt.timedelta(days=1)
        known.add(moment)
        if day not in to_keep(list(known), moment):
            return moment
    return None


def holding_old_names(db_path, today: dt.date) -> list[tuple[Path, dt.date | None]]:
    """The backups that still hold what a purge has just cleared, each with the day the rotation
    removes it (None: a copy taken before a migration or a restore, kept until removed by hand)."""
    if db_path is None:
        return []
    dailies = daily_backups(Path(db_path))
    out: list[tuple[Path, dt.date | None]] = [(path, leaves_rotation(list(dailies), day, today))
                                              for day, path in sorted(dailies.items())]
    rotated = set(dailies.values())
    return out + [(path, None) for path in named_backups(Path(db_path)) if path not in rotated]


def daily_backups(db_path: Path) -> dict[dt.date, Path]:
    out = {}
    stem = _stem(db_path)
    if folder(db_path).is_dir():
        for p in folder(db_path).iterdir():
            m = DAILY.match(p.name)
            if m and m["stem"] == stem:
                out[dt.date.fromisoformat(m["day"])] = p
    return out


SPECIAL = re.compile(r"^(?P<stem>.+)-(?P<reason>before-[a-z0-9-]+?)-\d{4}-\d{2}-\d{2}-\d{6}\.db$")


def named_backups(db_path: Path) -> list[Path]:
    """Files of the backups folder named as this database's backups (daily or special)."""
    stem = Path(db_path).stem
    out = []
    if folder(db_path).is_dir():
        for p in folder(db_path).iterdir():
            m = DAILY.match(p.name) or SPECIAL.match(p.name)
            if m and m["stem"] == stem and p.is_file():
                out.append(p)
    return out


def folder_identity(db_path: Path) -> dict | None:
    """The identity most of this database's named backups carry (when the file itself cannot tell)."""
    from collections import Counter

    from db.store import StoreError, file_identity

    found = Counter()
    for p in named_backups(db_path):
        try:
            ident = file_identity(p)
        except StoreError:
            continue
        if ident["database_id"] or ident["first_entry"]:
            found[(ident["database_id"], ident["first_entry"])] += 1
    if not found:
        return None
    (database_id, first), _ = found.most_common(1)[0]
    return {"database_id": database_id, "first_entry": first}


def of_this_database(db_path: Path, identity: dict | None = None) -> list[Path]:
    """This database's backups, newest first: only copies of this very database (its id), never
    another database's backups that happen to sit in the same folder with a similar name."""
    from db.store import StoreError, current_identity, file_identity, same_database

    identity = identity or current_identity(db_path) or folder_identity(db_path)
    out = []
    candidates = sorted(folder(db_path).glob("*.db")) if folder(db_path).is_dir() else []
    for p in candidates:  # any name: the identity decides, never a look-alike name
        if Path(p).resolve() == Path(db_path).resolve():
            continue
        try:
            if identity is None or same_database(identity, file_identity(p)):
                out.append(p)
        except StoreError:
            continue
    return sorted(out, key=lambda p: p.stat().st_mtime, reverse=True)


def newest(db_path: Path) -> Path | None:
    """The newest backup of this database, to offer when the database cannot be read."""
    found = of_this_database(db_path)
    return found[0] if found else None


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
