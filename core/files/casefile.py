"""The case file of interfaces.md section 2: read, check, import and export.

Reading and checking write nothing; the import operation (``core.ops.import_file``,
``import_cases``) writes all valid rows in one transaction, or nothing at all.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.files import headers
from core.files import tabular
from core.domain import periods
from core.domain.cases import cross_problems, nfc
from core.files.headers import fold  # noqa: F401  (one folding for headers, channels and statuses)
from core.files.spreadsheet import csv_text, unguard
from core.domain.workdays import WorkCalendar


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã hồ sơ", True),
    Column("procedure", "Tên thủ tục", True),
    Column("field", "Lĩnh vực", False),
    Column("applicant", "Người nộp", False),
    Column("officer", "Cán bộ tiếp nhận", True),
    Column("received_date", "Ngày tiếp nhận", True),
    Column("due_date", "Ngày hẹn trả", False),
    Column("processing_days", "Thời hạn giải quyết", False),
    Column("channel", "Hình thức nộp", True),
    Column("digitized", "Số hoá khi tiếp nhận", True),
    Column("resolved_date", "Ngày có kết quả", False),
    Column("result_digitized", "Số hoá kết quả", False),
    Column("has_fee", "Có phí, lệ phí", False),
    Column("paid_online", "Thanh toán trực tuyến", False),
    Column("e_certified", "Chứng thực điện tử", False),
    Column("status", "Trạng thái", False),
    # a case's life between receipt and result (issue 14)
    Column("supplement_requested", "Ngày yêu cầu bổ sung", False),
    Column("supplement_returned", "Ngày nhận bổ sung", False),
    Column("supplement_count", "Số lần yêu cầu bổ sung", False),
    Column("paused_days", "Số ngày tạm dừng", False),
    Column("new_due_date", "Ngày hẹn trả mới", False),
    Column("satisfaction", "Đánh giá", False),
)
KEYS = tuple(c.key for c in COLUMNS)

CHANNEL_KEYS = {1: "direct", 2: "online", 3: "postal"}
CHANNEL_NAMES = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính"}


_HEADERS = {fold(c.key): c.key for c in COLUMNS} | {fold(c.header_vi): c.key for c in COLUMNS}
_CHANNELS = {fold(v): k for k, v in CHANNEL_KEYS.items()} | {fold(v): k for k, v in CHANNEL_NAMES.items()} \
    | {"1": 1, "2": 2, "3": 3}
_STATUS = {"": None, "withdrawn": "withdrawn", fold("Rút hồ sơ"): "withdrawn", fold("Rút"): "withdrawn",
           "refused": "refused", fold("Từ chối"): "refused", "stopped": "stopped",
           fold("Dừng xử lý"): "stopped", fold("Dừng giải quyết"): "stopped", fold("Dừng"): "stopped"}
_SATISFACTION = {"": None, "good": "good", fold("Hài lòng"): "good", "fair": "fair", fold("Bình thường"): "fair",
                 "poor": "poor", fold("Không hài lòng"): "poor"}
# the states of headers.STATUS_WORDS this schema stores as a status
ACCEPTED_STATUSES = {v for v in _STATUS.values() if v}
STATUS_NAMES = {"withdrawn": "Rút hồ sơ", "refused": "Từ chối", "stopped": "Dừng xử lý"}


@dataclass(frozen=True)
class Problem:
    row: int  # the file's row number, the header being row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


class CaseFileError(Exception):
    """The file as a whole cannot be read (empty, unreadable, no required column)."""

    def __init__(self, problems: list[Problem], layout: "headers.Layout | None" = None, source: str = ""):
        self.problems = problems
        self.layout = layout  # where the header was found, for a mapping step
        self.source = source
        super().__init__("; ".join(map(str, problems)))


@dataclass
class Checked:
    """The outcome of checking a file: the valid cases and the problems, by row."""
    cases: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the file row of each valid case
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0
    invalid: dict[int, dict] = field(default_factory=dict)  # row -> its raw text, for a preview
    ignored_columns: list[str] = field(default_factory=list)
    source: str = ""  # what was read: "CSV, mã hoá Windows-1258, phân cách bằng dấu chấm phẩy (;)"
    layout: "headers.Layout | None" = None
    # with update: codes already stored whose values the file changes, and those it leaves as they are
    updates: list[dict] = field(default_factory=list)  # {row, code, id, changes: {key: (was, now)}, approved}
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)  # shown, not blocking (approved quarters)
    notes: list[tuple[int, str]] = field(default_factory=list)  # rows under the table that are no case

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}


# ---- reading ---------------------------------------------------------------------------

def read_table(path: str | Path) -> tabular.Table:
    """Every row of a CSV or XLSX file (core.files.tabular): detected encoding, separator, limits."""
    try:
        return tabular.read(path)
    except tabular.TableError as exc:
        raise CaseFileError([Problem(1, "-", str(exc))]) from None


# ---- checking --------------------------------------------------------------------------

def _text(value) -> str:
    if value.__class__ is str:  # every CSV cell: the common case first
        value = value.strip()
        return unguard(value) if value[:1] == "'" else value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?"  # a date may carry the time: 05/03/2024 14:30
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME + "$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})" + _TIME + "$")


def parse_date(value, today: dt.date | None = None) -> dt.date:
    """A cell's date; one outside the range the program accepts (2000 to the end of next year)
    is refused here, before any working day is counted from it."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        day = _parse_date_text(_text(value))
    if day < periods.FIRST_DAY:
        raise ValueError(f"ngày {day:%d/%m/%Y} trước năm {periods.FIRST_DAY.year}, ngoài khoảng chương trình nhận "
                         f"({periods.accepted_range(today)})")
    if day > periods.last_day(today):
        raise ValueError(f"ngày {day:%d/%m/%Y} ở tương lai, ngoài khoảng chương trình nhận "
                         f"({periods.accepted_range(today)})")
    return day


@functools.lru_cache(maxsize=8192)  # a file repeats the same few thousand dates
def _parse_date_text(text: str) -> dt.date:
    m = _ISO.match(text) or _DMY.match(text)
    if not m:
        raise ValueError(f"ngày {text!r} không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY (có thể kèm giờ HH:MM)")
    try:
        if m.re is _ISO:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise ValueError(f"ngày {text!r} không có thật") from None


def parse_time(value) -> str | None:
    """The time of day a date cell carries ('05/03/2024 14:30', or an Excel date-time), 'HH:MM'."""
    if isinstance(value, dt.datetime):
        return None if (value.hour, value.minute) == (0, 0) else f"{value:%H:%M}"
    m = (_ISO.match(_text(value)) or _DMY.match(_text(value))) if isinstance(value, str) else None
    if m and m[4] is not None and int(m[4]) < 24 and int(m[5]) < 60:
        return f"{int(m[4]):02d}:{m[5]}"
    return None


def _flag(value, required: bool) -> int:
    text = _text(value)
    if text == "" and not required:
        return 0
    if text in ("0", "1"):
        return int(text)
    if text == "":
        raise ValueError("bắt buộc, ghi 0 hoặc 1")
    raise ValueError(f"{text!r} không hợp lệ: ghi 0 hoặc 1")


HEAD_ROWS = 15  # the header is looked for among the first rows (title rows above it)
_name = functools.lru_cache(maxsize=65536)(nfc)  # officers, procedures, fields repeat: normalise each once


def _display(value) -> str:
    return _text(value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else value)


def check_rows(
    rows: Iterable[tuple[int, list]],
    *,
    calendar: WorkCalendar,
    procedure_days: dict[str, int | None],
    stored_cases: Callable[[list[str]], dict[str, dict]],
    mapping: "headers.Mapping | None" = None,
    update: bool = False,
    today: dt.date | None = None,
    approved: Callable[[str], bool] | None = None,
    progress: Callable[[int], None] | None = None,
    kind: str = "csv",
    source: str = "",
) -> Checked:
    """Check every row against section 2; nothing is written.

    ``rows`` are every row of the file from the first, numbered as a spreadsheet shows
    them; the header is found among the first of them. ``stored_cases`` gives the stored
    cases of some codes (by code); with ``update`` those rows update them.
    """
    out = Checked(source=source)
    today = today or dt.date.today()  # once, not per row
    rows = iter(rows)
    head = list(itertools.islice(rows, HEAD_ROWS))
    layout = headers.detect(head, KEYS, mapping, _HEADERS)
    out.layout = layout
    positions = layout.positions
    fills = dict(mapping.fills) if mapping else {}
    header_row = layout.header_rows[0]
    for key, first, second in layout.duplicates:
        out.problems.append(Problem(header_row, key, f"cột lặp lại ({first!r} và {second!r})"))
    for c in COLUMNS:
        if c.required and c.key not in positions and c.key not in fills:
            out.problems.append(Problem(header_row, c.key, f"thiếu cột bắt buộc ({c.header_vi}): thêm cột, "
                                                           "ghép cột (--map) hoặc ghi giá trị chung (--fill)"))
    if out.problems:
        if not positions:
            out.problems.insert(0, Problem(header_row, "-", "không tìm thấy dòng tiêu đề trong "
                                                            f"{HEAD_ROWS} dòng đầu ({source})"))
        raise CaseFileError(out.problems, layout, source)
    out.ignored_columns = list(layout.ignored)

    first_row: dict[str, int] = {}
    items = list(positions.items())
    width = max(positions.values()) + 1 if positions else 0
    named = len(layout.names)
    unnamed = sorted(layout.unnamed)
    data_without_header: dict[int, int] = {}  # column -> first row with a value under no header
    trailing: list[tuple[int, str]] = []  # note rows since the last row of a case
    pending: dict[int, int] = {}  # their values under no header, counted if a case row follows
    for n, values in itertools.chain(head, rows):
        if n < layout.first_data_row:
            continue
        if isinstance(values, str):  # tabular.RowError: the row could not be split into cells
            out.total_rows += 1
            out.problems.append(Problem(n, "-", f"dòng hỏng, bỏ qua cả dòng: {values}"))
            out.invalid[n] = {}
            continue
        if not any(_text(v) for v in values):
            continue  # blank lines are not cases
        out.total_rows += 1
        if progress and out.total_rows % 5000 == 0:
            progress(out.total_rows)
        if len(values) >= width:
            raw = {k: values[i] for k, i in items}
        else:
            raw = {k: (values[i] if i < len(values) else None) for k, i in items}
        # a row with neither procedure nor date may be a note under the table ("Tổng cộng", "Người lập biểu")
        note = not _text(raw.get("procedure")) and not _text(raw.get("received_date")) and len(values) >= width
        if not note and trailing:
            trailing.clear()
            for i, first in pending.items():
                data_without_header.setdefault(i, first)
            pending.clear()
        if len(values) > named or unnamed:
            unheaded = pending if note else data_without_header
            for i in itertools.chain(unnamed, range(named, len(values))):
                if i < len(values) and i not in unheaded and _text(values[i]):
                    unheaded[i] = n
        if note:
            trailing.append((n, next((_text(v) for v in values if _text(v)), "")))
        if fills:
            raw.update(fills)
        case, problems = _check_row(n, raw, calendar, procedure_days, today)
        if len(values) < width:
            missing = [k for k, i in items if i >= len(values)]
            problems.append(Problem(n, missing[0], f"dòng bị cắt: chỉ có {len(values)} ô, thiếu cột "
                                                   f"{', '.join(missing)} (tệp ghi dở?)"))
            case = None
        elif kind == "xlsx" and any(isinstance(v, str) and len(v) > tabular.CELL_LIMIT for v in values):
            problems.append(Problem(n, "-", f"có ô dài quá {tabular.CELL_LIMIT} ký tự"))
            case = None
        if case is not None:
            code = case["code"]
            if code in first_row:
                problems.append(Problem(n, "code", f"mã {code!r} trùng với dòng {first_row[code]}"))
            else:
                first_row[code] = n
        if problems:
            out.problems.extend(problems)
            out.invalid[n] = {k: _display(v) for k, v in raw.items()}
        else:
            out.cases.append(case)
            out.rows.append(n)
    if trailing:  # notes under the table, not cases: named, not judged
        last = {n for n, _ in trailing}
        out.problems = [p for p in out.problems if p.row not in last]
        for n, _ in trailing:
            out.invalid.pop(n, None)
        out.total_rows -= len(trailing)
        out.notes = trailing
    if data_without_header:  # the layout is not understood: like a missing column, the whole file waits
        problems = []
        for i, n in sorted(data_without_header.items()):
            letter = tabular.column_letters(i + 1)
            problems.append(Problem(header_row, letter, f"cột {letter} có dữ liệu (từ dòng {n}) nhưng không có "
                                                        f"tiêu đề: đặt tiêu đề, hoặc ghép cột ({letter}=khoá, "
                                                        f"{letter}=- để bỏ qua)"))
        raise CaseFileError(problems, layout, source)
    _against_store(out, stored_cases, update, set(positions) | set(fills), today, approved)
    out.problems.sort(key=lambda p: (p.row, KEYS.index(p.column) if p.column in KEYS else -1))
    return out




_DATES = {"received_date", "due_date", "resolved_date"}
_DERIVED = {"supplement_count": ("supplement_requested",),
            "paused_days": ("supplement_requested", "supplement_returned")}
_RULE_KEYS = {"received_date", "resolved_date", "due_date", "result_digitized", "has_fee", "paid_online"}


def quarter_of(day: str | None) -> str | None:
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}" if day else None


def _against_store(out: Checked, stored_cases, update: bool, present: set[str], today, approved) -> None:
    """Codes already stored: an error, or with ``update`` the changes field by field (was, now)."""
    stored = stored_cases([c["code"] for c in out.cases])
    if not stored:
        return
    keep_cases, keep_rows = [], []
    compared = [k for k in KEYS if k in present and k != "code"]
    # values the row computes from columns it has (a supplement date gives a count and paused days)
    derived = {k for k, needs in _DERIVED.items() if k in KEYS and k not in present and set(needs) <= present}
    compared += sorted(derived)
    # the row passed the case rules with its own values: the stored ones only matter for a rule's key it lacks
    check_merged = not _RULE_KEYS <= present
    for case, n in zip(out.cases, out.rows):
        before = stored.get(case["code"])
        if before is None:
            keep_cases.append(case)
            keep_rows.append(n)
            continue
        if not update:
            out.problems.append(Problem(n, "code", f"mã {case['code']!r} đã có trong cơ sở dữ liệu "
                                                   "(dùng --update để cập nhật)"))
            out.invalid[n] = {k: _display(v) for k, v in case.items() if not k.startswith("_")}
            continue
        changes = {}
        for key in compared:  # inline: a month's file compares tens of thousands of rows
            now = case.get(key)
            if now.__class__ is dt.date:
                now = now.isoformat()
            was = before.get(key)
            if now != was and (now or was):  # "" and None are both blank
                if now is None and key == "processing_days":
                    continue
                if key == "due_date" and case.get("_due_computed"):
                    continue  # a blank due date keeps the stored one
                if key in derived and (not now or key == "supplement_count" and was):
                    continue  # computed as nothing, or a count the office already keeps: it stays
                changes[key] = (was if was != "" else None, now if now != "" else None)
        if not changes:
            out.unchanged += 1
            continue
        if check_merged or "received_date" in changes:  # a rule may join a value the file lacks
            merged = {k: (dt.date.fromisoformat(v) if k in _DATES and v else v) for k, v in before.items()}
            for key, (_, now) in changes.items():
                merged[key] = dt.date.fromisoformat(now) if key in _DATES and now else now
            bad = [Problem(n, c, r) for c, r in cross_problems(merged, today)]
            if bad:
                out.problems.extend(bad)
                out.invalid[n] = {k: _display(v) for k, v in case.items() if not k.startswith("_")}
                continue
        quarters = [] if approved is None else sorted(
            {q for day in (before.get("received_date"), before.get("resolved_date"),
                           changes.get("resolved_date", (None, None))[1], changes.get("received_date", (None, None))[1])
             if (q := quarter_of(day)) and approved(q)})
        if quarters:
            out.warnings.append(Problem(n, "code", f"hồ sơ {case['code']} thuộc quý đã duyệt "
                                                   f"({', '.join(quarters)}): thay đổi làm lệch số liệu đã duyệt"))
        out.updates.append({"row": n, "code": case["code"], "id": before["id"], "changes": changes,
                            "approved": quarters, "case": case})
    out.cases, out.rows = keep_cases, keep_rows


def _check_row(n: int, raw: dict, calendar: WorkCalendar,
               procedure_days: dict[str, int | None], today: dt.date | None = None) -> tuple[dict | None, list[Problem]]:
    problems: list[Problem] = []
    case: dict = {}

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(n, column, reason))

    for key in ("code", "procedure", "officer"):
        case[key] = _name(_text(raw.get(key)))
        if not case[key]:
            bad(key, "bắt buộc, đang để trống")
    case["field"] = _name(_text(raw.get("field"))) or None
    case["applicant"] = nfc(_text(raw.get("applicant")))

    for key, required in (("received_date", True), ("due_date", False), ("resolved_date", False),
                          ("supplement_requested", False), ("supplement_returned", False),
                          ("new_due_date", False)):
        value = raw.get(key)
        if _text(value) == "":
            if required:
                bad(key, "bắt buộc, đang để trống")
            case[key] = None
            continue
        try:
            case[key] = parse_date(value, today)
        except ValueError as exc:
            bad(key, str(exc))
            case[key] = None
        if key == "received_date" and "received_time" in KEYS and not _text(raw.get("received_time")):
            case["received_time"] = parse_time(value)

    for key in ("processing_days", "supplement_count", "paused_days"):
        days_text = _text(raw.get(key))
        case[key] = None
        if days_text:
            if re.fullmatch(r"\d+", days_text):
                case[key] = int(days_text)
            else:
                bad(key, f"{days_text!r} không phải số nguyên ≥ 0")

    channel_text = _text(raw.get("channel"))
    case["channel"] = _CHANNELS.get(fold(channel_text))
    if case["channel"] is None:
        bad("channel", "bắt buộc, đang để trống" if not channel_text else
            f"{channel_text!r} không hợp lệ: direct/online/postal (Trực tiếp/Trực tuyến/Bưu chính)")

    for key, required in (("digitized", True), ("result_digitized", False), ("has_fee", False),
                          ("paid_online", False), ("e_certified", False)):
        try:
            case[key] = _flag(raw.get(key), required)
        except ValueError as exc:
            bad(key, str(exc))
            case[key] = 0

    status_text = _text(raw.get("status"))
    state = headers.status_state(status_text)
    case["status"] = None
    if state is None:
        allowed = ", ".join(f"{k} ({STATUS_NAMES[k]})" for k in sorted(ACCEPTED_STATUSES))
        bad("status", f"{status_text!r} không hợp lệ: để trống, {allowed}, hoặc một trạng thái như "
                      "Đang xử lý, Đã trả kết quả")
    elif state == "resolved":
        if case.get("resolved_date") is None and not any(p.column == "resolved_date" for p in problems):
            bad("resolved_date", f"trạng thái {status_text!r} mà chưa có ngày có kết quả")
    elif state != "open":
        if state in ACCEPTED_STATUSES:
            case["status"] = state
        else:
            bad("status", f"{status_text!r} ({state}) chưa được hỗ trợ")
    rating_text = _text(raw.get("satisfaction"))
    case["satisfaction"] = _SATISFACTION.get(fold(rating_text))
    if rating_text and case["satisfaction"] is None:
        bad("satisfaction", f"{rating_text!r} không hợp lệ: good/fair/poor (Hài lòng/Bình thường/Không hài lòng)")
    _supplement(case, calendar, {p.column for p in problems})

    received = case["received_date"]
    if case["supplement_count"] is None:
        case["supplement_count"] = 0
    if case["paused_days"] is None:
        case["paused_days"] = 0
    if received and case["due_date"] is None and not any(p.column == "processing_days" for p in problems):
        days = case["processing_days"]
        if days is None:
            days = procedure_days.get(case["procedure"])
        if days is None:
            bad("due_date", "để trống cả ngày hẹn trả và thời hạn giải quyết, thủ tục không có trong danh mục")
        else:
            case["due_date"] = calendar.add_working_days(received, days)
            case["_due_computed"] = True
    seen = {p.column for p in problems}
    for column, reason in cross_problems(case, today):
        if column not in seen and not (column == "result_digitized" and "resolved_date" in seen):
            bad(column, reason)
    return (None if problems else case), problems


def _supplement(case: dict, calendar: WorkCalendar, bad_columns: set[str]) -> None:
    """Fill what §2 computes when blank: one request when a request date is given, and the
    paused working days from the two dates of a returned round."""
    requested, returned = case.get("supplement_requested"), case.get("supplement_returned")
    if case.get("supplement_count") is None and requested and "supplement_count" not in bad_columns:
        case["supplement_count"] = 1
    if case.get("paused_days") is None and requested and returned and returned >= requested \
            and "paused_days" not in bad_columns:
        case["paused_days"] = calendar.working_days_between(requested, returned)


# ---- importing -------------------------------------------------------------------------

@dataclass
class ImportResult:
    """What ``core.ops.import_file`` checked and wrote."""
    checked: Checked
    imported: int
    written: bool
    updated: int = 0


def check_file(store, path: str | Path, calendar: WorkCalendar | None = None,
               progress: Callable[[int], None] | None = None, *, mapping: "headers.Mapping | None" = None,
               update: bool = False, today: dt.date | None = None) -> Checked:
    """Read and check a file against the store (codes already stored); writes nothing."""
    if calendar is None:
        off, work = store.calendar_days()
        calendar = WorkCalendar(off, work)
    table = read_table(path)
    days = {p["name"]: p["processing_days"] for p in store.procedures()}
    approvals = store.approved_quarters()
    approved = approvals.__contains__ if approvals else None

    try:
        return check_rows(table.rows, calendar=calendar, procedure_days=days, stored_cases=store.cases_by_code,
                          mapping=mapping, update=update, today=today, approved=approved, progress=progress,
                          kind=table.kind, source=table.describe())
    except tabular.TableError as exc:  # a limit crossed while reading on
        raise CaseFileError([Problem(1, "-", str(exc))], source=table.describe()) from None


def notes_text(notes: list[tuple[int, str]]) -> str:
    """'Bỏ qua 2 dòng cuối không phải hồ sơ (dòng 30: 'Tổng cộng: 25 hồ sơ'; dòng 32: 'Người lập biểu')'."""
    shown = "; ".join(f"dòng {n}: {text[:40]!r}" for n, text in notes[:5]) + ("; …" if len(notes) > 5 else "")
    return f"Bỏ qua {len(notes)} dòng cuối không phải hồ sơ ({shown})."


def shown(key: str, value) -> str:
    """A value of a was → now change as a person reads it: dates dd/mm/yyyy, channels by name."""
    if value is None or value == "":
        return "(trống)"
    if key in _DATES:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if key == "channel":
        return CHANNEL_NAMES.get(value, str(value))
    return str(value)


def updates_of(checked: Checked) -> list[tuple[int, dict]]:
    """(case id, {key: new value}) of each update, values as the case file gives them."""
    out = []
    for u in checked.updates:
        values = {}
        for key, (_, now) in u["changes"].items():
            values[key] = dt.date.fromisoformat(now) if key in _DATES and now else now
        out.append((u["id"], values))
    return out


# ---- exporting -------------------------------------------------------------------------

def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': the family name stays, the rest become initials."""
    words = (name or "").split()
    if not words:
        return ""
    return " ".join([words[0], *[w[0] + "." for w in words[1:]]]) if len(words) > 1 else words[0][0] + "."


def _same(value):
    return value


def _export_values(row: dict, mask: bool = False, csv_text=csv_text) -> list:
    """One case as the file writes it; ``csv_text`` guards text a spreadsheet would run (CSV only:
    an XLSX writes every text as a string cell)."""
    applicant = row["applicant"] or ""
    return [
        csv_text(row["code"]), csv_text(row["procedure"]), csv_text(row["field"] or ""),
        csv_text(mask_name(applicant) if mask else applicant), csv_text(row["officer"]),
        row["received_date"], row["due_date"],
        "" if row["processing_days"] is None else row["processing_days"],
        CHANNEL_KEYS[row["channel"]], row["digitized"], row["resolved_date"] or "",
        row["result_digitized"], row["has_fee"], row["paid_online"], row["e_certified"],
        row["status"] or "",
        row["supplement_requested"] or "", row["supplement_returned"] or "",
        *((row["supplement_count"], row["paused_days"]) if row["supplement_requested"] or row["supplement_count"]
          else ("", "")),
        row["new_due_date"] or "",
        row["satisfaction"] or "",
    ]


SATISFACTION_NAMES = {"good": "Hài lòng", "fair": "Bình thường", "poor": "Không hài lòng"}
_DATE_POSITIONS = [KEYS.index(k) for k in ("received_date", "due_date", "resolved_date", "supplement_requested",
                                           "supplement_returned", "new_due_date") if k in KEYS]


def _export_values_vi(row: dict, mask: bool, xlsx: bool) -> list:
    """A row for people: channel, status and rating in words, real dates in XLSX, dd/mm/yyyy in CSV."""
    values = _export_values(row, mask, csv_text if not xlsx else _same)
    values[KEYS.index("channel")] = CHANNEL_NAMES[row["channel"]]
    values[KEYS.index("status")] = STATUS_NAMES.get(row["status"], "")
    if "satisfaction" in KEYS:
        values[KEYS.index("satisfaction")] = SATISFACTION_NAMES.get(row["satisfaction"], "")
    for i in _DATE_POSITIONS:
        if values[i]:
            day = dt.date.fromisoformat(values[i])
            values[i] = day if xlsx else day.strftime("%d/%m/%Y")
    return values


def export_file(store, path: str | Path, progress: Callable[[int], None] | None = None, mask: bool = False,
                rows: Iterable[dict] | None = None, vietnamese: bool = False) -> int:
    """Every case (or the ``rows`` given, in their order), in the import format; written to a
    temporary file then moved in place.

    ``mask`` keeps only the family name and initials of applicants. ``vietnamese`` writes the
    Vietnamese headers, channels and states in words and dates as dates (XLSX date cells shown
    dd/mm/yyyy; dd/mm/yyyy text in CSV): what the window exports for people. Both forms import back.
    """
    rows = store.export_rows() if rows is None else rows
    header = [c.header_vi for c in COLUMNS] if vietnamese else list(KEYS)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CaseFileError([Problem(1, "-", f"định dạng {suffix or '(không có đuôi)'} không hỗ trợ: "
                                             "chỉ ghi .csv hoặc .xlsx")])
    from core.files.output import write_atomically

    n = 0

    def write(tmp: Path) -> None:  # at a temporary path, put in place whole (readable by its owner only)
        nonlocal n
        if suffix == ".csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                for row in rows:
                    writer.writerow(_export_values_vi(row, mask, False) if vietnamese else _export_values(row, mask))
                    n += 1
                    if progress and n % 10000 == 0:
                        progress(n)
        else:
            from core.files import xlsx_stream  # XlsxWriter took 8× the CSV's time (issue 30)

            def lines():
                nonlocal n
                yield header
                for row in rows:
                    n += 1
                    yield _export_values_vi(row, mask, True) if vietnamese else _export_values(row, mask, _same)
                    if progress and n % 10000 == 0:
                        progress(n)

            xlsx_stream.write(tmp, "Hồ sơ", lines(), len(header))

    write_atomically(path, write)
    return n
