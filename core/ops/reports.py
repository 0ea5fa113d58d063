"""Operations on what the office reports: a period's report issued as final, the service index's
typed-in points and its model of weights, the roll-up's reminders to units."""
from __future__ import annotations

import datetime as dt

from core.domain.periods import Period
from core.ops import SETTINGS, TARGETS, OpChanges, OpRefused, changed
from core.queries import issued, report, rollup, service_index


def issue_report(store, period: Period, today: dt.date | None = None, compare: str = "previous") -> OpChanges:
    """Issue the period's report as final: its data, built under the write lock, is kept as
    reported (``core.queries.issued.as_reported`` reads it back); ``id`` is the issue's number."""
    with store.db.atomic():
        r = report.build(store, period, today=today, compare=compare)
        number = store.issued.issue(period.code, period.start, period.end, issued.report_data(r))
    return changed(SETTINGS, id=number, text=f"Phát hành báo cáo {period.label}")


def set_index_points(store, period: Period, key: str, points: float | None) -> OpChanges:
    """Points of a service-index component typed in for a period from the national portal,
    checked against the model in force."""
    with store.db.atomic():
        problem = service_index.points_problem(store, period, key, points)
        if problem:
            raise OpRefused(problem)
        store.index.set_points(period.code, key, points)
    return changed(TARGETS, text=f"Nhập điểm chỉ số phục vụ {period.label}")


def set_index_model(store, valid_from: dt.date, model: dict) -> OpChanges:
    """The service index's model of weights and curves, in force from ``valid_from``."""
    problems = service_index.model_problems(model)
    if problems:
        raise OpRefused("mô hình trọng số không dùng được: " + "; ".join(problems))
    with store.db.atomic():
        store.index.set_model(valid_from, model)
    return changed(TARGETS, text="Sửa mô hình trọng số chỉ số phục vụ")


def record_rollup(store, result: rollup.RollupResult, departments: bool = False) -> OpChanges:
    """Keep this month's reminders and units of a roll-up (``core.queries.rollup.rollup``) in the
    roll-up office's database, in one transaction; each ranked unit's ``reminder`` gets its number
    (None: no reminder). Idempotent: the same month rolled up twice keeps its numbers. Only the units
    the letter reminds are numbered: the communes, and the district departments when ``departments``."""
    month = result.period.code
    with store.db.atomic():
        numbers = store.rollup.record_reminders(month, {r.unit: r.overdue_total
                                                        for r in rollup.reminded_units(result, departments)})
        # a unit known only by a code-like file name is not remembered: it is named before it is listed
        store.rollup.remember_units([r.unit for r in result.units if not rollup.looks_like_code(r.unit)], month)
    for r in result.units:
        r.reminder, r.numbered = numbers.get(r.unit), True
    return changed(SETTINGS, text=f"Ghi số lần nhắc nhở tháng {month}")


def set_rollup_unit_names(store, names: dict[str, str]) -> OpChanges:
    """Remember the names the user gave the units, by the file each comes in (an empty name forgets
    one): the letters print these, never a file name. A name that looks like a code is refused."""
    for file, name in names.items():
        name = " ".join(str(name or "").split())
        if name and rollup.looks_like_code(name):
            raise OpRefused(f"Tên đơn vị của tệp {file}: «{name}» giống một mã tệp; gõ tên như công văn viết "
                            "(UBND xã …, Phòng …).")
    with store.db.atomic():
        store.rollup.set_unit_names(names)
    return changed(SETTINGS, text="Đặt tên đơn vị tổng hợp")


def record_rollup_quietly(store, result: rollup.RollupResult, departments: bool = False) -> OpChanges | None:
    """``record_rollup``, or None when the reminders cannot be kept: the signed-in user may not, or
    the office's file may only be read (the letter then has no numbers)."""
    from db.audit import PermissionDenied
    from db.errors import StoreError

    if not store.can("district"):
        return None
    try:
        return record_rollup(store, result, departments)
    except (PermissionDenied, StoreError):
        return None
