"""Disciplinary measures of a civil servant (Nghị định 112/2020/NĐ-CP, Điều 7): the list the
evaluation form chooses from, with the date of the decision. A measure in the year forces the
lowest classification ("Không hoàn thành nhiệm vụ"), so it is never typed as free text: a comment
typed in the wrong box once turned officers with 91 points into failures without a question."""
from __future__ import annotations

import datetime as dt
import re

MEASURES = ("Khiển trách", "Cảnh cáo", "Hạ bậc lương", "Giáng chức", "Cách chức", "Buộc thôi việc")
_STORED = re.compile(r"^(?P<measure>.+) \(quyết định ngày (?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\)$")


def text(measure: str, day: dt.date) -> str:
    """How a measure is stored and printed: 'Khiển trách (quyết định ngày 12/08/2023)'."""
    return f"{measure} (quyết định ngày {day:%d/%m/%Y})"


def parse(stored: str) -> tuple[str | None, dt.date | None]:
    """(measure, date) of a stored measure; (None, None) for nothing or an older free text."""
    m = _STORED.match(stored or "")
    if not m or m["measure"] not in MEASURES:
        return None, None
    try:
        return m["measure"], dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None, None


def problem(measure: str, day: dt.date | None, quarter_start: dt.date, quarter_end: dt.date,
            today: dt.date) -> str | None:
    """Why a measure cannot be recorded for a quarter's form (None when it can)."""
    if measure not in MEASURES:
        return f"Hình thức kỷ luật «{measure}» không có trong danh sách: chọn một trong {', '.join(MEASURES)}."
    if day is None:
        return "Kỷ luật: nhập ngày của quyết định kỷ luật."
    if day > today:
        return f"Kỷ luật: ngày quyết định {day:%d/%m/%Y} sau ngày hôm nay."
    if day.year != quarter_start.year or day > quarter_end:
        return (f"Kỷ luật: ngày quyết định {day:%d/%m/%Y} phải trong năm {quarter_start.year} và không sau "
                f"ngày {quarter_end:%d/%m/%Y} (hết quý).")
    return None
