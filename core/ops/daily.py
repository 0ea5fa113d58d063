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
    holding: list = field(default_factory=list)  # (backup, day it leaves the rotation or None) still holding them
    problems: list[str] = field(default_factory=list)  # what went wrong, worded for the user

    @property
    def purge_note(self) -> str:
        """What the clearing did and where the names still are, for the status bar and the command line."""
        if not self.purged:
            return ""
        from core.domain import vnformat

        text = f"Đã xoá tên người nộp của {vnformat.number(self.purged)} hồ sơ quá thời hạn lưu."
        rotating = [until for _, until in self.holding if until is not None]
        kept = [path for path, until in self.holding if until is None]
        if rotating:
            text += (f" {vnformat.number(len(rotating))} bản sao lưu tự động vẫn còn các tên đó; "
                     f"bản cuối cùng được xoá vòng ngày {max(rotating):%d/%m/%Y}.")
        if kept:
            text += (f" {vnformat.number(len(kept))} bản sao lưu trước nâng cấp hoặc khôi phục vẫn còn tên và "
                     f"được giữ đến khi xoá tay: {', '.join(p.name for p in kept)}.")
        return text

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
            if done.purged:
                done.holding = backups.holding_old_names(store.path, today)
    except Exception as exc:  # told with the others, never lost
        done.problems.append("Chưa xoá được tên người nộp đã quá thời hạn lưu: " + errors.explain(exc, store.path))
    return done
