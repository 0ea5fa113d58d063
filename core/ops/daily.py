"""The first start of a day: a backup, then the names of applicants past their keeping time cleared.

Qt-free, so the window (on its worker) and the command line share it. Each
step runs whatever happened to the one before: an unwritable backups folder
must not keep old names from being cleared.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db import backups
from core.ops import CASES, NOTHING, OpChanges, changed


@dataclass
class DailyCare:
    backup: object = None  # the Path of today's backup, when one was taken
    purged: int = 0  # applicants' names cleared
    problems: list[str] = field(default_factory=list)  # what went wrong, worded for the user

    @property
    def changes(self) -> OpChanges:
        return changed(CASES) if self.purged else NOTHING


def daily_care(store, today: dt.date | None = None) -> DailyCare:
    from db import errors

    today = today or dt.date.today()
    done = DailyCare()
    try:
        done.backup = backups.daily_backup(store, today)
    except (OSError, errors.StoreError) as exc:
        done.problems.append(f"Không sao lưu tự động được vào {backups.folder(store.path)}: "
                             f"{errors.explain(exc, store.path)}")
    if store.read_only_reason:  # a file this program may only read: nothing to clear, nothing to say
        return done
    try:
        years = (store.settings().get("applicant_retention_years") or "").strip()
        if years.isdigit() and int(years) > 0:
            done.purged = store.purge_applicants(
                dt.date(today.year - int(years), today.month, min(today.day, 28)))
    except Exception as exc:  # told with the others, never lost
        done.problems.append("Chưa xoá được tên người nộp đã quá thời hạn lưu: " + errors.explain(exc, store.path))
    return done
