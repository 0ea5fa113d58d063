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
    "supplement": "Chờ bổ sung",
    "extended": "Đã xin lỗi – hẹn lại",
    "refused": "Từ chối",
    "stopped": "Dừng giải quyết",
}


def date_problems(case: dict, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The one date rule for files, dialogs and the Store: nothing received or resolved
    after today, nothing before 2000; a due date inside the accepted range and not before
    the day the case was received."""
    from core.domain.periods import accepted_range, last_day

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
    due, received = case.get("due_date"), case.get("received_date")
    if isinstance(due, dt.date):
        if not EARLIEST <= due <= last_day(today):
            out.append(("due_date", f"ngày hẹn trả {due:%d/%m/%Y} ngoài khoảng chương trình nhận "
                                    f"({accepted_range(today)})"))
        elif isinstance(received, dt.date) and due < received:
            out.append(("due_date", f"ngày hẹn trả {due:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}"))
    return out


def entry_problems(case: dict) -> list[tuple[str, str]]:
    """What a case typed at the desk must have besides the file's rules: who brought it. A case
    file may lack the applicant (interfaces §2: optional), a case received at the desk may not, so
    no receipt slip is printed with an empty "Ông/Bà:"."""
    if not nfc(case.get("applicant")):
        return [("applicant", "chưa nhập người nộp hồ sơ")]
    return []


def cross_problems(case: dict, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Problems of one case's values, alone and between fields, as (column, reason)."""
    out: list[tuple[str, str]] = date_problems(case, today)
    received: dt.date | None = case.get("received_date")
    resolved: dt.date | None = case.get("resolved_date")
    if received and resolved and resolved < received:
        out.append(("resolved_date",
                    f"ngày có kết quả {resolved:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}"))
    if case.get("result_digitized") and not resolved:
        out.append(("result_digitized", "chỉ ghi 1 khi đã có ngày có kết quả"))
    if case.get("paid_online") and not case.get("has_fee"):
        out.append(("paid_online", "chỉ ghi 1 khi has_fee (có phí, lệ phí) là 1"))
    out += life_problems(case)
    return out


def life_problems(case: dict) -> list[tuple[str, str]]:
    """The rules of a case's events (issue 14): refusals and stops, supplement rounds, the apology."""
    out: list[tuple[str, str]] = []

    def day(key: str) -> dt.date | None:  # stored values are ISO text, checked ones dates
        v = case.get(key)
        return dt.date.fromisoformat(v) if isinstance(v, str) and v else (v or None)

    received, resolved = day("received_date"), day("resolved_date")
    status = case.get("status")
    if status in ("refused", "stopped"):
        what = "từ chối" if status == "refused" else "dừng giải quyết"
        if not resolved:
            out.append(("resolved_date", f"hồ sơ {what}: ghi ngày {what} vào cột ngày có kết quả"))
        if case.get("result_digitized"):
            out.append(("result_digitized", f"hồ sơ {what} không có kết quả: ghi 0"))
    requested, returned = day("supplement_requested"), day("supplement_returned")
    if requested and received and requested < received:
        out.append(("supplement_requested",
                    f"ngày yêu cầu bổ sung {requested:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}"))
    if returned and not requested:
        out.append(("supplement_returned", "có ngày nhận bổ sung mà không có ngày yêu cầu bổ sung"))
    elif returned and requested and returned < requested:
        out.append(("supplement_returned",
                    f"ngày nhận bổ sung {returned:%d/%m/%Y} trước ngày yêu cầu bổ sung {requested:%d/%m/%Y}"))
    if requested and case.get("supplement_count") == 0:
        out.append(("supplement_count", "có ngày yêu cầu bổ sung thì số lần yêu cầu phải ≥ 1"))
    new_due = day("new_due_date")
    if new_due and received and new_due < received:
        out.append(("new_due_date", f"ngày hẹn trả mới {new_due:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}"))
    return out

STATE_HINTS = {
    "open": "Chưa có kết quả, còn trong hạn",
    "due_today": "Chưa có kết quả, hôm nay là ngày hẹn trả",
    "open_overdue": "Chưa có kết quả, đã quá ngày hẹn trả",
    "early": "Có kết quả trước ngày hẹn trả",
    "on_due": "Có kết quả đúng ngày hẹn trả",
    "late": "Có kết quả sau ngày hẹn trả",
    "withdrawn": "Người nộp đã rút hồ sơ",
    "supplement": "Đang chờ người nộp bổ sung, hoàn thiện hồ sơ: thời gian giải quyết tạm dừng",
    "extended": "Đã gửi phiếu xin lỗi và hẹn lại ngày trả; vẫn tính theo ngày hẹn trả ban đầu",
    "refused": "Đã từ chối tiếp nhận, giải quyết hồ sơ",
    "stopped": "Đã dừng giải quyết hồ sơ",
}


def action_problem(case: dict, action: str) -> str | None:
    """Why a quick action of the register may not be done on this case now, or None.

    ``action`` is the column it sets: a flag (turned on when it is off) or
    ``resolved_date`` (recording the result).
    """
    code = case.get("code", "")
    if action == "resolved_date" and case.get("status") == "withdrawn":
        return f"Hồ sơ {code} đã rút: không ghi kết quả."
    if action == "resolved_date" and case.get("supplement_requested") and not case.get("supplement_returned") \
            and not case.get("resolved_date"):
        asked = case["supplement_requested"]
        asked = asked if isinstance(asked, str) else asked.isoformat()
        return (f"Hồ sơ {code} đang chờ bổ sung (yêu cầu ngày {asked[8:10]}/{asked[5:7]}/{asked[:4]}): "
                "ghi “Nhận hồ sơ bổ sung” (Ctrl+Shift+B) trước khi ghi kết quả.")
    ended = {"refused": "từ chối", "stopped": "dừng giải quyết"}.get(case.get("status"))
    if ended and action in ("resolved_date", "result_digitized", "status"):
        return f"Hồ sơ {code} đã {ended}: không ghi kết quả, không rút."
    if case.get(action):  # turning a flag off is always allowed
        return None
    if action == "result_digitized" and not case.get("resolved_date"):
        return f"Hồ sơ {code} chưa có kết quả: ghi 'Đã giải quyết' trước."
    if action == "paid_online" and "has_fee" in case and case["has_fee"] is None:
        return f"Hồ sơ {code} chưa rõ có phí, lệ phí hay không: sửa hồ sơ (Enter) để ghi trước."
    if action == "paid_online" and not case.get("has_fee"):
        return f"Hồ sơ {code} không có phí, lệ phí."
    return None


def search_problem(text: str | None) -> str | None:
    """Why a search text cannot be searched for, or None: a NUL (pasted from another program)
    cannot be stored nor compared by either engine. Everything else is taken literally."""
    if text and "\x00" in text:
        return "Ô tìm kiếm có ký tự NUL (không in được, thường do dán từ chương trình khác): xoá ký tự đó rồi tìm lại."
    return None


LIKE_ESCAPE = "!"


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE … ESCAPE '!'`` with the text's own ``%``, ``_`` and ``!`` taken literally."""
    for ch in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(ch, LIKE_ESCAPE + ch)
    return f"%{text}%"
