"""Short notices to copy into Zalo or an SMS at each step of a case (issue 14).

The texts are data: ``resources/notices.json`` ships them; the office's own text of a
notice is stored as wording ``notice.KIND``. Placeholders are those of the forms
(``core.documents.forms.values``) plus ``committee_short``.
"""
from __future__ import annotations

import datetime as dt
import re

from core.documents import forms

NOTICE_KINDS = {"received": "Đã tiếp nhận, hẹn trả", "supplement": "Yêu cầu bổ sung",
                "apology": "Xin lỗi, hẹn lại", "ready": "Đã có kết quả"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def wording(stored: dict[str, str] | None = None) -> dict[str, str]:
    from resources import notice_wording

    out = notice_wording()
    for key, value in (stored or {}).items():
        if key.startswith("notice.") and key[7:] in out and value.strip():
            out[key[7:]] = value
    return out


def text(kind: str, case: dict, settings: dict, stored: dict | None = None, event: dict | None = None,
         today: dt.date | None = None) -> str:
    """The notice for one case, plain text on one line (an SMS has no layout)."""
    vals = forms.values(case, settings, event, today)
    vals["note"] = "; ".join(line.strip() for line in vals["note"].splitlines() if line.strip())
    vals["committee_short"] = vals["committee"].replace("Ủy ban nhân dân", "UBND").replace("Uỷ ban nhân dân", "UBND")
    if vals["applicant"].startswith("……"):
        vals["applicant"] = ""
    filled = _PLACEHOLDER.sub(lambda m: str(vals.get(m[1], m[0])), wording(stored)[kind])
    return " ".join(filled.split())
