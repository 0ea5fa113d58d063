"""Realistic synthetic cases for trying the program and for benchmarks.

Officers with Vietnamese names, the catalogue's procedures, years of
history ending today; each officer has rates of their own that drift month
by month, a few cases are late and a few stay open past their due date.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from core.domain.workdays import WorkCalendar

OFFICERS = (
    ("Nguyễn Thị Hương", "Công chức Văn phòng - Thống kê", ("Thi đua - Khen thưởng", "Văn hóa")),
    ("Trần Văn Hùng", "Công chức Tư pháp - Hộ tịch", ("Hộ tịch",)),
    ("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch", ("Chứng thực", "Hộ tịch")),
    ("Lê Đức Thắng", "Công chức Địa chính - Xây dựng", ("Đất đai", "Xây dựng")),
    ("Vũ Thị Mai", "Công chức Văn hóa - Xã hội", ("Bảo trợ xã hội", "Người có công")),
    ("Đỗ Quang Minh", "Công chức Tư pháp - Hộ tịch", ("Chứng thực",)),
    ("Hoàng Văn Nam", "Công chức Văn hóa - Xã hội", ("Bảo trợ xã hội", "Người có công", "Văn hóa")),
)

# how often each field comes to the desk
FIELD_WEIGHTS = {
    "Chứng thực": 40, "Hộ tịch": 30, "Đất đai": 8, "Bảo trợ xã hội": 8, "Người có công": 4,
    "Văn hóa": 3, "Xây dựng": 4, "Thi đua - Khen thưởng": 3,
}

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh", "Xuân")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Khánh", "Linh", "Long",
         "Nga", "Nhung", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Tú", "Tuấn", "Uyên", "Việt", "Yến")

DEMO_OFFICE = {
    "committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ",
    "parent": "",
    "office_name": "Bộ phận Một cửa",
    "place": "Phượng Kỳ",
    "chairman": "Nguyễn Văn An",
    "unit_code": "PK",
}


class DemoError(ValueError):
    pass


def _profile(rng: random.Random) -> dict[str, float]:
    return {
        "digitized": rng.uniform(0.86, 0.99),
        "on_time": rng.uniform(0.95, 0.997),
        "online": rng.uniform(0.35, 0.8),
        "paid_online": rng.uniform(0.3, 0.9),
        "result": rng.uniform(0.88, 0.995),
        "e_cert": rng.uniform(0.05, 0.5),
        "trend": rng.uniform(0.0, 0.004),  # gain per month, as the letters push rates up
    }


def roster(n: int, rng: random.Random) -> list[tuple[str, str, tuple[str, ...]]]:
    """The seven demo officers, or ``n`` officers: the seven and more with generated names."""
    people = list(OFFICERS[:n])
    fields = list(FIELD_WEIGHTS)
    names = {p[0] for p in people}
    while len(people) < n:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if name in names:
            continue
        names.add(name)
        i = len(people)
        people.append((name, OFFICERS[i % len(OFFICERS)][1], (fields[i % len(fields)], fields[(i + 3) % len(fields)])))
    return people


def generate(store, cases: int = 4000, seed: int = 1, years: int | None = None,
             today: dt.date | None = None, progress: Callable[[int, int], None] | None = None,
             officers: int = len(OFFICERS)) -> int:
    """Fill an empty store; returns the number of cases written."""
    if cases < 1:
        raise DemoError("số hồ sơ phải ≥ 1")
    if not 1 <= officers <= 500:
        raise DemoError("số cán bộ phải từ 1 đến 500")
    if store.case_count():
        raise DemoError("cơ sở dữ liệu đã có hồ sơ: hãy dùng một tệp mới (--db) cho dữ liệu mẫu")
    today = today or dt.date.today()
    years = years or (3 if cases <= 100_000 else 10)
    rng = random.Random(seed)
    off, work = store.calendar_days()
    cal = WorkCalendar(off, work)

    procedures = store.procedures()
    by_field: dict[str, list[dict]] = {}
    for p in procedures:
        by_field.setdefault(p["field"] or "", []).append(p)

    settings = store.settings()
    if not settings.get("place"):
        store.set_settings(DEMO_OFFICE)
        settings = store.settings()
    unit = settings.get("unit_code") or "XA"

    people = roster(officers, random.Random(seed + 1))
    officers = []
    for name, position, fields in people:
        if store.officer_id(name) is None:
            store.add_officer(name, position, ", ".join(fields))
        fields = [f for f in fields if f in by_field]
        weight = sum(FIELD_WEIGHTS.get(f, 1) for f in fields)
        officers.append((name, fields, weight, _profile(rng)))

    start = dt.date(today.year - years, today.month, 1)
    days = []
    d = start
    while d <= today:
        if cal.is_working_day(d):
            days.append(d)
        d += dt.timedelta(days=1)
    received = sorted(rng.choice(days) for _ in range(cases))

    officer_weights = [o[2] for o in officers]
    month_noise: dict[tuple[int, int, int], float] = {}
    due_cache: dict[tuple[dt.date, int], dt.date] = {}

    def add(day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in due_cache:
            due_cache[key] = cal.add_working_days(day, n)
        return due_cache[key]

    life = random.Random(seed + 14)  # a stream of its own: the cases are those of older versions

    def rows():
        seq = 0
        last = None
        recent = today - dt.timedelta(days=60)
        for i, day in enumerate(received):
            seq = seq + 1 if day == last else 1
            last = day
            oi = rng.choices(range(len(officers)), officer_weights)[0]
            name, fields, _, prof = officers[oi]
            field = rng.choices(fields, [FIELD_WEIGHTS.get(f, 1) for f in fields])[0]
            proc = rng.choice(by_field[field])
            n_days = proc["processing_days"] or 0
            month_index = (day.year - start.year) * 12 + day.month - start.month
            key = (oi, day.year, day.month)
            if key not in month_noise:
                month_noise[key] = rng.gauss(0, 0.025)
            lift = prof["trend"] * month_index + month_noise[key]

            def p(name: str, prof=prof, lift=lift) -> float:  # this case's officer and month
                return min(1.0, max(0.0, prof[name] + lift))

            due = add(day, n_days)
            channel = 2 if rng.random() < p("online") else (3 if rng.random() < 0.03 else 1)
            has_fee = proc["has_fee"]
            paid = int(bool(has_fee) and rng.random() < (p("paid_online") if channel == 2 else p("paid_online") / 3))
            withdrawn = rng.random() < 0.004
            u = rng.random()
            if u < p("on_time"):
                if n_days and rng.random() < 0.55:
                    resolved = add(day, rng.randrange(n_days))
                else:
                    resolved = due
            else:
                resolved = add(due, rng.randint(1, 8))
            if resolved > today or (day >= recent and rng.random() < 0.02):
                resolved = None
            row = {
                "code": f"{unit}-{day:%y%m%d}-{seq:04d}",
                "procedure": proc["name"], "field": field,
                "applicant": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                "officer": name, "received_date": day, "due_date": due, "processing_days": n_days,
                "channel": channel, "digitized": int(rng.random() < p("digitized")),
                "resolved_date": resolved,
                "result_digitized": int(resolved is not None and rng.random() < p("result")),
                "has_fee": has_fee, "paid_online": paid,
                "e_certified": int(field == "Chứng thực" and rng.random() < p("e_cert")),
                "status": "withdrawn" if withdrawn else None,
            }
            row.update(_life(life, row, n_days, cal, add, today))
            yield row
            if progress and (i + 1) % 10000 == 0:
                progress(i + 1, cases)

    return store.insert_cases(rows(), batch_size=5000)


def _life(rng: random.Random, row: dict, n_days: int, cal, add, today: dt.date) -> dict:
    """Supplement rounds, an apology for some late cases and the citizen's rating (issue 14)."""
    out: dict = {}
    day, resolved, due = row["received_date"], row["resolved_date"], row["due_date"]
    if n_days >= 3 and rng.random() < 0.04:
        asked = add(day, 1)
        if resolved is None or resolved >= asked:
            back = add(asked, rng.randint(1, 5))
            if resolved is not None and back > resolved:
                back = resolved
            if back > today:
                back = None
            out = {"supplement_requested": asked, "supplement_returned": back,
                   "supplement_count": 2 if rng.random() < 0.1 else 1,
                   "paused_days": cal.working_days_between(asked, back) if back else 0}
    if resolved is not None and resolved > due and rng.random() < 0.5:
        out["new_due_date"] = resolved
    if resolved is not None and row["status"] is None and rng.random() < 0.25:
        u = rng.random()
        out["satisfaction"] = "good" if u < 0.85 else "fair" if u < 0.95 else "poor"
    return out
