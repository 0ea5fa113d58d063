"""September's and October's exports of the province's one-stop system, as a commune receives them.

September (10 cases, all received 07/09/2026): S01–S06 resolved 11/09 (early, due 14/09), S07–S10
open (due 05/10). October repeats S01–S05 with five corrections, S07–S10 with their new state, and
four new cases:

- S01 paid online 0 → 1 (it has a fee)      - S02 digitized 0 → 1
- S03 channel Trực tiếp → Trực tuyến         - S04 result digitized 0 → 1
- S05 applicant "Nguyen Van Nam" → "Nguyễn Văn Nam"
- S07 resolved 02/10 (early), S08 resolved 09/10 (late, due 05/10), S09 and S10 still open (unchanged)
- O01–O04 received 12/10 (due 19/10, O03–O04 due 06/11); O01 and O02 resolved 16/10; O01 online.

So October's import: new 4, updated 7, unchanged 2.
"""
from __future__ import annotations

HEADER = ["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Người nộp", "Cán bộ tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả",
          "Hình thức nộp", "Số hoá khi tiếp nhận", "Ngày có kết quả", "Số hoá kết quả", "Có phí, lệ phí",
          "Thanh toán trực tuyến", "Trạng thái"]


def _row(code, applicant, received, due, channel, digitized, resolved, result, fee=0, paid=0):
    status = "Đã trả kết quả" if resolved else "Đang xử lý"
    return [code, "Đăng ký khai sinh", "Hộ tịch", applicant, "Lê Văn An", received, due, channel, str(digitized),
            resolved, str(result), str(fee), str(paid), status]


def september() -> list[list[str]]:
    rows = []
    online = {"S01", "S05", "S06"}
    for i in range(1, 11):
        code = f"S{i:02d}"
        resolved = "11/09/2026" if i <= 6 else ""
        rows.append(_row(code, "Nguyen Van Nam" if code == "S05" else f"Người {code}", "07/09/2026",
                         "14/09/2026" if i <= 6 else "05/10/2026", "Trực tuyến" if code in online else "Trực tiếp",
                         0 if code == "S02" else 1, resolved, 0 if code == "S04" or not resolved else 1,
                         fee=1 if code == "S01" else 0))
    return [HEADER, *rows]


def october() -> list[list[str]]:
    sept = {r[0]: list(r) for r in september()[1:]}
    col = {name: HEADER.index(name) for name in HEADER}
    sept["S01"][col["Thanh toán trực tuyến"]] = "1"
    sept["S02"][col["Số hoá khi tiếp nhận"]] = "1"
    sept["S03"][col["Hình thức nộp"]] = "Trực tuyến"
    sept["S04"][col["Số hoá kết quả"]] = "1"
    sept["S05"][col["Người nộp"]] = "Nguyễn Văn Nam"
    for code, day, result in (("S07", "02/10/2026", "1"), ("S08", "09/10/2026", "0")):
        sept[code][col["Ngày có kết quả"]] = day
        sept[code][col["Số hoá kết quả"]] = result
        sept[code][col["Trạng thái"]] = "Đã trả kết quả"
    rows = [sept[c] for c in ("S01", "S02", "S03", "S04", "S05", "S07", "S08", "S09", "S10")]
    rows += [_row("O01", "Người O01", "12/10/2026", "19/10/2026", "Trực tuyến", 1, "16/10/2026", 1),
             _row("O02", "Người O02", "12/10/2026", "19/10/2026", "Trực tiếp", 1, "16/10/2026", 1),
             _row("O03", "Người O03", "12/10/2026", "06/11/2026", "Trực tiếp", 1, "", 0),
             _row("O04", "Người O04", "12/10/2026", "06/11/2026", "Trực tiếp", 1, "", 0)]
    return [HEADER, *rows]


def write(path, rows) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)


def check_indicators(store) -> None:
    """The figures of both months after October's import, worked out by hand in the module docstring."""
    from core.queries import figures
    from core.domain import periods

    sep = figures.compute(store, periods.parse("2026-09"))
    i, c = sep.as_json()["indicators"], sep.counts
    assert (c["received"], c["resolved"], c["resolved_early"], c["open"], c["open_overdue"]) == (10, 6, 6, 4, 0)
    assert (i["online"]["numerator"], i["online"]["denominator"]) == (4, 10)  # S01 S03 S05 S06
    assert (i["digitized_on_receipt"]["numerator"], i["result_digitized"]["numerator"]) == (10, 6)
    assert (i["paid_online"]["numerator"], i["paid_online"]["denominator"]) == (1, 1)
    octo = figures.compute(store, periods.parse("2026-10"))
    i, c = octo.as_json()["indicators"], octo.counts
    # received O01–O04; resolved S07 (early) S08 (late) O01 O02 (early); open S09 S10 (overdue) O03 O04
    assert (c["received"], c["carried_over"], c["resolved"], c["resolved_late"]) == (4, 4, 4, 1)
    assert (c["open"], c["open_overdue"]) == (4, 2)
    assert (i["on_time"]["numerator"], i["on_time"]["denominator"], i["on_time"]["rate"]) == (3, 4, 75.0)
    assert (i["result_digitized"]["numerator"], i["online"]["numerator"]) == (3, 1)


def check_audit(store) -> None:
    """One entry per updated case, with the value before."""
    import json

    ids = {r[0]: r[1] for r in store.db.execute("SELECT code, id FROM cases")}
    updates = {int(e["entity_id"]): e for e in store.audit.entries() if e["action"] == "update"
               and e["entity"] == "case"}
    codes = {code for code, case_id in ids.items() if case_id in updates}
    assert codes == {"S01", "S02", "S03", "S04", "S05", "S07", "S08"}
    s02 = updates[ids["S02"]]
    assert (json.loads(s02["before"]), json.loads(s02["after"])) == ({"digitized": 0}, {"digitized": 1})
    s05 = updates[ids["S05"]]
    assert json.loads(s05["before"]) == {"applicant": "Nguyen Van Nam"}
    s08 = updates[ids["S08"]]
    assert json.loads(s08["before"]) == {"resolved_date": None}
    assert json.loads(s08["after"]) == {"resolved_date": "2026-10-09"}
    assert store.audit.verify() == [] and store.audit.verify_cases() == []
