"""Rules a case must keep, shared by the file import and the entry dialog.

Values are typed: dates as ``datetime.date`` (or None), flags as 0/1.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

EARLIEST = dt.date(2000, 1, 1)  # no case of this program was received or resolved before it


def nfc(text: str | None) -> str:
    """A name as it is stored and compared: Unicode NFC, spaces trimmed and single.

    Unikey's "Unicode tổ hợp" and macOS type decomposed accents; both must be one name.
    """
    return unicodedata.normalize("NFC", " ".join(str(text or "").split()))

STATE_NAMES = {
    "open": "Đang giải quyết",
    "due_today": "Đến hạn hôm nay",
    "open_overdue": "Đang quá hạn",
    "early": "Trước hạn",
    "on_due": "Đúng hạn",
    "late": "Quá hạn",
    "withdrawn": "Rút hồ sơ",
}


def date_problems(case: dict, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The one date rule for files, dialogs and the Store: nothing received or resolved
    after today, nothing before 2000."""
    today = today or dt.date.today()
    out: list[tuple[str, str]] = []
    for column, what in (("received_date", "ngày tiếp nhận"), ("resolved_date", "ngày có kết quả")):
        day = case.get(column)
        if not isinstance(day, dt.date):
            continue
        if day > today:
            out.append((column, f"{what} {day:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y})"))
        elif day < EARLIEST:
            out.append((column, f"{what} {day:%d/%m/%Y} trước năm {EARLIEST.year}"))
    return out


def cross_problems(case: dict, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Problems of one case's values, alone and between fields, as (column, reason)."""
    out: list[tuple[str, str]] = date_problems(case, today)
    received: dt.date | None = case.get("received_date")
    resolved: dt.date | None = case.get("resolved_date")
    due: dt.date | None = case.get("due_date")
    if received and resolved and resolved < received:
        out.append(("resolved_date",
                    f"ngày có kết quả {resolved:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}"))
    if case.get("result_digitized") and not resolved:
        out.append(("result_digitized", "chỉ ghi 1 khi đã có ngày có kết quả"))
    if case.get("paid_online") and not case.get("has_fee"):
        out.append(("paid_online", "chỉ ghi 1 khi has_fee (có phí, lệ phí) là 1"))
    if received and due and due < received:
        out.append(("due_date", f"ngày hẹn trả {due:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}"))
    return out

STATE_HINTS = {
    "open": "Chưa có kết quả, còn trong hạn",
    "due_today": "Chưa có kết quả, hôm nay là ngày hẹn trả",
    "open_overdue": "Chưa có kết quả, đã quá ngày hẹn trả",
    "early": "Có kết quả trước ngày hẹn trả",
    "on_due": "Có kết quả đúng ngày hẹn trả",
    "late": "Có kết quả sau ngày hẹn trả",
    "withdrawn": "Người nộp đã rút hồ sơ",
}


def action_problem(case: dict, action: str) -> str | None:
    """Why a quick action of the register may not be done on this case now, or None.

    ``action`` is the column it sets: a flag (turned on when it is off) or
    ``resolved_date`` (recording the result).
    """
    code = case.get("code", "")
    if action == "resolved_date" and case.get("status") == "withdrawn":
        return f"Hồ sơ {code} đã rút: không ghi kết quả."
    if case.get(action):  # turning a flag off is always allowed
        return None
    if action == "result_digitized" and not case.get("resolved_date"):
        return f"Hồ sơ {code} chưa có kết quả: ghi 'Đã giải quyết' trước."
    if action == "paid_online" and not case.get("has_fee"):
        return f"Hồ sơ {code} không có phí, lệ phí."
    return None
