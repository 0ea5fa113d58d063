"""A case's life between receipt and result, as the national rules count it (issue 14).

Each event is a record of its own (``case_events``); the case row carries the summary
the indicators read: the last supplement request and its return, the number of
requests, the working days the clock stood still, the apology's new date, the refusal
or stop, the citizen's rating. This module holds the rules, with no database: what an
event changes on a case, when it is allowed, and how Quyết định 766/QĐ-TTg judges a
case's timeliness (interfaces.md §5).
"""
from __future__ import annotations

import datetime as dt

from core.domain.workdays import WorkCalendar

# kind -> (Vietnamese name, what the date means)
KINDS: dict[str, tuple[str, str]] = {
    "supplement_requested": ("Yêu cầu bổ sung hồ sơ", "Ngày yêu cầu bổ sung"),
    "supplement_returned": ("Nhận hồ sơ bổ sung", "Ngày nhận bổ sung"),
    "extended": ("Xin lỗi và hẹn lại ngày trả", "Ngày gửi phiếu xin lỗi"),
    "refused": ("Từ chối tiếp nhận, giải quyết", "Ngày từ chối"),
    "stopped": ("Dừng giải quyết", "Ngày dừng"),
    "withdrawn": ("Rút hồ sơ", "Ngày rút"),
    "rated": ("Đánh giá của người dân", "Ngày trả kết quả"),
    "complaint": ("Phản ánh, kiến nghị", "Ngày nhận phản ánh"),
}
SATISFACTION = {"good": "Hài lòng", "fair": "Bình thường", "poor": "Không hài lòng"}


class EventError(ValueError):
    """An event that cannot happen to this case now; the message says why, in Vietnamese."""


def _d(value) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def pending(case: dict, on: dt.date | None = None) -> bool:
    """A supplement request not yet answered (on a day, or now)."""
    requested, returned = _d(case.get("supplement_requested")), _d(case.get("supplement_returned"))
    if requested is None or (on is not None and requested > on):
        return False
    return returned is None or (on is not None and returned > on)


def is_open(case: dict) -> bool:
    return not case.get("resolved_date") and not case.get("status")


def paused_due(due: dt.date | str, paused_days: int, calendar: WorkCalendar) -> str | None:
    """The due date moved on by the paused working days (ISO), None when nothing was paused."""
    if not paused_days:
        return None
    return calendar.add_working_days(_d(due), int(paused_days)).isoformat()


def changes(case: dict, kind: str, day: dt.date, *, note: str = "", new_date: dt.date | None = None,
            rating: str | None = None, calendar: WorkCalendar, today: dt.date | None = None) -> dict:
    """The case columns an event changes (ISO dates), or ``EventError`` when it cannot happen."""
    today = today or dt.date.today()
    code = case.get("code", "")
    if kind not in KINDS:
        raise EventError(f"loại sự kiện không có: {kind!r}")
    if not isinstance(day, dt.date):
        raise EventError("cần ghi ngày")
    received = _d(case["received_date"])
    if day > today:
        raise EventError(f"{KINDS[kind][1]} {day:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y}).")
    if day < received:
        raise EventError(f"{KINDS[kind][1]} {day:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}.")
    note = "\n".join(" ".join(line.split()) for line in (note or "").splitlines() if line.strip())
    if kind in ("supplement_requested", "supplement_returned", "extended", "refused", "stopped", "withdrawn") \
            and not is_open(case):
        raise EventError(f"Hồ sơ {code} đã kết thúc (có kết quả, đã rút, từ chối hoặc dừng).")
    if kind == "supplement_requested":
        if pending(case):
            raise EventError(f"Hồ sơ {code} đang chờ bổ sung từ ngày "
                             f"{_d(case['supplement_requested']):%d/%m/%Y}: ghi nhận bổ sung trước.")
        last = _d(case.get("supplement_returned"))
        if last and day < last:
            raise EventError(f"Ngày yêu cầu bổ sung trước lần nhận bổ sung trước ({last:%d/%m/%Y}).")
        if not note:
            raise EventError("Cần ghi nội dung cần bổ sung, hoàn thiện.")
        return {"supplement_requested": day.isoformat(), "supplement_returned": None,
                "supplement_count": int(case.get("supplement_count") or 0) + 1}
    if kind == "supplement_returned":
        if not pending(case):
            raise EventError(f"Hồ sơ {code} không có yêu cầu bổ sung đang chờ.")
        requested = _d(case["supplement_requested"])
        if day < requested:
            raise EventError(f"Ngày nhận bổ sung trước ngày yêu cầu bổ sung {requested:%d/%m/%Y}.")
        paused = int(case.get("paused_days") or 0) + calendar.working_days_between(requested, day)
        return {"supplement_returned": day.isoformat(), "paused_days": paused}
    if kind == "extended":
        if new_date is None:
            raise EventError("Cần ghi ngày hẹn trả mới.")
        due = _d(case["due_date"])
        if new_date <= due:
            raise EventError(f"Ngày hẹn trả mới phải sau ngày hẹn trả {due:%d/%m/%Y}.")
        if new_date < day:
            raise EventError("Ngày hẹn trả mới trước ngày gửi phiếu xin lỗi.")
        if not note:
            raise EventError("Cần ghi lý do chậm trả kết quả.")
        return {"new_due_date": new_date.isoformat()}
    if kind in ("refused", "stopped"):
        if not note:
            raise EventError("Cần ghi lý do " + ("từ chối." if kind == "refused" else "dừng giải quyết."))
        return {"status": kind, "resolved_date": day.isoformat(), "result_digitized": 0}
    if kind == "withdrawn":
        return {"status": "withdrawn"}
    if kind == "rated":
        if not case.get("resolved_date") or case.get("status"):
            raise EventError(f"Hồ sơ {code} chưa có kết quả: ghi đánh giá khi trả kết quả.")
        if rating not in SATISFACTION:
            raise EventError("Đánh giá: Hài lòng, Bình thường hoặc Không hài lòng.")
        return {"satisfaction": rating}
    # a complaint changes no column: it is counted from the events
    if not note:
        raise EventError("Cần ghi nội dung phản ánh, kiến nghị.")
    return {}


# ---- Quyết định 766/QĐ-TTg: timeliness --------------------------------------------------

def end_766(case: dict, judged: dt.date) -> dt.date:
    """Where a case ends for the national index, before paused days are taken off."""
    resolved = _d(case.get("resolved_date"))
    if resolved is not None and resolved <= judged:
        return resolved
    return judged


def on_time_766(case: dict, judged: dt.date, calendar: WorkCalendar) -> bool:
    """Whether a case counts on time in the national index, judged on ``judged`` (§5).

    Withdrawn: on time. More than one supplement request: late. A supplement pending at the
    end: judged at the request date. Otherwise the end moves back by the paused working days.
    """
    if case.get("status") == "withdrawn":
        return True
    if int(case.get("supplement_count") or 0) > 1:
        return False
    due = _d(case["due_date"])
    end = end_766(case, judged)
    if pending(case, end):
        return _d(case["supplement_requested"]) <= due
    returned = _d(case.get("supplement_returned"))
    paused = int(case.get("paused_days") or 0)
    if paused and returned is not None and returned <= end:
        end = calendar.subtract_working_days(end, paused)
    return end <= due
