"""The case file of interfaces.md section 2: read, check, import and export.

Reading and checking write nothing; the import operation (``core.ops.import_file``,
``import_cases``) writes all valid rows in one transaction, or nothing at all.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
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
    Column("digitized", "Số hoá khi tiếp nhận", False),  # unknown when missing (§2.1); required in the window
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
    Column("received_time", "Giờ tiếp nhận", False),  # §2: also read from a date-time of receipt
)
KEYS = tuple(c.key for c in COLUMNS)

CHANNEL_KEYS = {1: "direct", 2: "online", 3: "postal"}
CHANNEL_NAMES = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính"}


_HEADER_VI = {c.key: c.header_vi for c in COLUMNS}
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
    title: str = ""  # the column as the file (or the register) shows it

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"

    @property
    def cli(self) -> str:
        """The command line's line (interfaces.md §1) with the column as the file shows it."""
        named = f" (cột «{self.title}» trong tệp)" if self.title and self.title != self.column else ""
        return f"{self}{named}"

    @property
    def text(self) -> str:
        """For a person: 'Dòng 12, cột «Số hoá»: …'."""
        where = f"Dòng {self.row}" if self.row else "Tệp"
        if self.column in ("", "-"):
            return f"{where}: {self.reason}"
        return f"{where}, cột «{self.title or _HEADER_VI.get(self.column, self.column)}»: {self.reason}"


def _titled(problems: list[Problem], layout) -> list[Problem]:
    import dataclasses

    return [p if p.title or p.column not in _HEADER_VI else dataclasses.replace(p, title=title(p.column, layout))
            for p in problems]


# the yes/no columns of §2.1: a blank cell or a missing column leaves the value unknown (None)
FLAG_KEYS = ("digitized", "result_digitized", "has_fee", "paid_online", "e_certified")
# what a person can say a value of a column means (the window's value mapping, ``--value``)
MEANINGS: dict[str, dict[str, str]] = {
    **{k: {"1": "Có", "0": "Không", "": "Chưa rõ"} for k in FLAG_KEYS},
    "channel": {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính"},
}
UNKNOWN_WORD = "chưa rõ"  # how an unknown yes/no value is shown


def title(key: str, layout: "headers.Layout | None" = None) -> str:
    """A column as the person sees it: its header in the file, else the register's Vietnamese name."""
    if layout is not None and key in layout.positions and layout.positions[key] < len(layout.names) \
            and layout.names[layout.positions[key]]:
        return layout.names[layout.positions[key]]
    return _HEADER_VI.get(key, key)


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
    # values the program does not know, per column: key -> raw text -> [count, first rows]
    unknown_values: dict[str, dict[str, list]] = field(default_factory=dict)
    # yes/no columns the file lacks (values unknown unless a value for the whole file is given)
    missing_flags: list[str] = field(default_factory=list)
    fee_from_catalogue: int = 0  # cases whose has_fee the procedure catalogue gave (the file has no fee column)
    new_procedures: list[str] = field(default_factory=list)  # named in the file, not in the catalogue
    new_officers: list[str] = field(default_factory=list)  # named in the file, neither officer nor user
    links: dict[str, int] = field(default_factory=dict)  # an officer of the file -> the user account named so

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


class UnknownValue(ValueError):
    """A value the program does not know for a yes/no or channel column (said per column, with a count)."""

    def __init__(self, text: str, message: str):
        self.text = text
        super().__init__(message)


_YES = {"1", "x", "✓", "✔", "co", "da", "yes", "true", "y"}
_NO = {"0", "khong", "chua", "no", "false", "n"}


@functools.lru_cache(maxsize=1024)
def flag_meaning(text: str) -> int | None:
    """§2.1: 1, 0, or None for a blank; raises ``UnknownValue`` for a value the program does not know."""
    f = fold(text)
    if f == "":
        return None
    first = f.split(" ", 1)[0]
    if f in _YES or first in ("da", "co"):
        return 1
    if f in _NO or first in ("chua", "khong"):
        return 0
    raise UnknownValue(text, f"{text!r} không hợp lệ: không rõ là có hay không (ghi Có/Không, Đã …/Chưa …, "
                             "1/0), hoặc chọn nghĩa của giá trị này")


def channel_meaning(text: str) -> int | None:
    """§2.1: the channel as the production systems word it; None for a blank; ``UnknownValue`` otherwise."""
    if text == "":
        return None
    f = fold(text)
    exact = _CHANNELS.get(f)
    if exact is not None:
        return exact
    if any(w in f for w in ("truc tuyen", "online", "dvc", "cong dich vu")):
        return 2
    if "buu chinh" in f or "bcci" in f or "buu dien" in f:
        return 3
    if "truc tiep" in f or "tai bo phan" in f:
        return 1
    raise UnknownValue(text, f"{text!r} không hợp lệ: không rõ là hình thức nộp nào (Trực tiếp, Trực tuyến, "
                             "Bưu chính)")


_MEANING_FLAG = {"1": 1, "0": 0, "": None}
_MEANING_CHANNEL = {"direct": 1, "online": 2, "postal": 3, "1": 1, "2": 2, "3": 3}


_CLOCK = re.compile(r"^(\d{1,2})\s*[:hg]\s*(\d{2})(?::\d{2}(?:\.\d+)?)?(?:\s*ph[uú]t)?$", re.I)


def _time_of_day(value) -> str:
    """A time of receipt: '14:30', '14h30', '14:30:05', an Excel time or date-time -> 'HH:MM'."""
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and 0 <= value < 1:  # a spreadsheet's fraction of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    text = _text(value)
    m = _CLOCK.match(text)
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        return f"{int(m[1]):02d}:{m[2]}"
    at = parse_time(text)
    if at:
        return at
    raise ValueError(f"giờ {text!r} không đúng dạng HH:MM (ví dụ 14:30)")


def _flag(value, key: str = "", values: dict | None = None) -> int | None:
    text = _text(value)
    if values and key in values:
        said = values[key].get(fold(text))
        if said is not None:
            return _MEANING_FLAG[said] if said in _MEANING_FLAG else flag_meaning(said)
    return flag_meaning(text)


def _channel(value, values: dict | None = None) -> int | None:
    text = _text(value)
    if values and "channel" in values:
        said = values["channel"].get(fold(text))
        if said is not None:
            return _MEANING_CHANNEL.get(said) or channel_meaning(said)
    return channel_meaning(text)


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
    procedure_fees: dict[str, int] | None = None,
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
            out.problems.append(Problem(header_row, c.key, f"thiếu cột bắt buộc «{c.header_vi}»: thêm cột vào tệp, "
                                                           "ghép một cột của tệp với cột này, hoặc ghi một giá trị "
                                                           "chung cho cả tệp"))
    if out.problems:
        if not positions:
            out.problems.insert(0, Problem(header_row, "-", "không tìm thấy dòng tiêu đề trong "
                                                            f"{HEAD_ROWS} dòng đầu ({source})"))
        raise CaseFileError(_titled(out.problems, layout), layout, source)
    out.ignored_columns = list(layout.ignored)
    present = set(positions) | set(fills)
    out.missing_flags = [k for k in FLAG_KEYS if k not in present]
    meanings = mapping.values if mapping else None
    # the catalogue's fee fills has_fee only where the file has no fee column at all
    fees = procedure_fees if "has_fee" not in present else None

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
        case, problems = _check_row(n, raw, calendar, procedure_days, today, values=meanings, fees=fees,
                                    unknowns=out.unknown_values)
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
            if case.pop("_fee_from_catalogue", False):
                out.fee_from_catalogue += 1
            out.cases.append(case)
            out.rows.append(n)
    if trailing:  # notes under the table, not cases: named, not judged
        last = {n for n, _ in trailing}
        out.problems = [p for p in out.problems if p.row not in last]
        for n, _ in trailing:
            out.invalid.pop(n, None)
        out.total_rows -= len(trailing)
        out.notes = trailing
        for key in list(out.unknown_values):
            for text in list(out.unknown_values[key]):
                entry = out.unknown_values[key][text]
                entry[1] = [r for r in entry[1] if r not in last]
                if not entry[1]:
                    del out.unknown_values[key][text]
            if not out.unknown_values[key]:
                del out.unknown_values[key]
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
    out.problems = _titled(out.problems, layout)
    out.warnings = _titled(out.warnings, layout)
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
                                                   "(chọn cập nhật hồ sơ đã có để cập nhật)"))
            out.invalid[n] = {k: _display(v) for k, v in case.items() if not k.startswith("_")}
            continue
        changes = {}
        for key in compared:  # inline: a month's file compares tens of thousands of rows
            now = case.get(key)
            if now.__class__ is dt.date:
                now = now.isoformat()
            was = before.get(key)
            if now is None and key in FLAG_KEYS:
                continue  # the file does not know: what the office knows stays
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
                            "approved": quarters, "case": case, "version": before.get("version"),
                            "keys": compared})
    out.cases, out.rows = keep_cases, keep_rows


def _check_row(n: int, raw: dict, calendar: WorkCalendar,
               procedure_days: dict[str, int | None], today: dt.date | None = None, *,
               values: dict | None = None, fees: dict[str, int] | None = None,
               unknowns: dict[str, dict[str, list]] | None = None) -> tuple[dict | None, list[Problem]]:
    """One row checked. ``values``: what a person said values mean (key -> folded raw -> meaning);
    ``fees``: the catalogue's has_fee by procedure, used when the file has no fee column;
    ``unknowns`` collects the values the program does not know (key -> raw -> [count, first rows])."""
    problems: list[Problem] = []
    case: dict = {}

    def unknown(key: str, text: str) -> None:
        if unknowns is not None:
            entry = unknowns.setdefault(key, {}).setdefault(text, [0, []])
            entry[0] += 1
            if len(entry[1]) < 5:
                entry[1].append(n)

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(n, column, reason))

    for key in ("code", "procedure", "officer"):
        case[key] = _name(_text(raw.get(key)))
        if not case[key]:
            bad(key, "bắt buộc, đang để trống")
        elif key != "code" and values and key in values:  # a name of the file said to be the office's
            case[key] = values[key].get(fold(case[key]), case[key])
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

    time_value = raw.get("received_time")
    if _text(time_value):
        try:
            case["received_time"] = _time_of_day(time_value)
        except ValueError as exc:
            bad("received_time", str(exc))
    else:
        case.setdefault("received_time", None)

    for key in ("processing_days", "supplement_count", "paused_days"):
        days_text = _text(raw.get(key))
        case[key] = None
        if days_text:
            if re.fullmatch(r"\d+", days_text):
                case[key] = int(days_text)
            else:
                bad(key, f"{days_text!r} không phải số nguyên ≥ 0")

    channel_text = _text(raw.get("channel"))
    try:
        case["channel"] = _channel(channel_text, values)
        if case["channel"] is None:
            bad("channel", "bắt buộc, đang để trống")
    except UnknownValue as exc:
        case["channel"] = None
        bad("channel", str(exc))
        unknown("channel", exc.text)

    for key in FLAG_KEYS:
        try:
            case[key] = _flag(raw.get(key), key, values)
        except UnknownValue as exc:
            bad(key, str(exc))
            unknown(key, exc.text)
            case[key] = None
    if case["paid_online"] == 1 and case["has_fee"] is None:
        case["has_fee"] = 1  # paid online: there was a fee
    if case["has_fee"] is None and fees is not None:
        case["has_fee"] = fees.get(case["procedure"])
        if case["has_fee"] is not None:
            case["_fee_from_catalogue"] = True
    if case["has_fee"] == 0 and case["paid_online"] is None:
        case["paid_online"] = 0  # no fee: nothing to pay (the rule of §2)

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
            if state in ("refused", "stopped") and case.get("result_digitized") is None:
                case["result_digitized"] = 0  # no result to digitize
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
    catalogue = store.procedures()
    days = {p["name"]: p["processing_days"] for p in catalogue}
    fees = {p["name"]: p["has_fee"] for p in catalogue if p.get("has_fee") is not None}
    approvals = store.imports.approved_quarters()
    approved = approvals.__contains__ if approvals else None

    people = _known_people(store, mapping)
    try:
        checked = check_rows(table.rows, calendar=calendar, procedure_days=days, stored_cases=store.imports.cases_by_code,
                             mapping=people, update=update, today=today, approved=approved, progress=progress,
                             kind=table.kind, source=table.describe(), procedure_fees=fees)
    except tabular.TableError as exc:  # a limit crossed while reading on
        raise CaseFileError([Problem(1, "-", str(exc))], source=table.describe()) from None
    _people(checked, store, set(days))
    return checked


def _known_people(store, mapping: "headers.Mapping | None") -> "headers.Mapping":
    """The mapping with the office's officers (and users' full names) as the meaning of the same name
    written without accents or in another letter case; what the person said wins."""
    import copy

    out = copy.deepcopy(mapping) if mapping is not None else headers.Mapping()
    names: dict[str, str] = {}
    try:
        for u in store.users.all():
            if u.get("full_name"):
                names[fold(u["full_name"])] = u.get("officer") or nfc(u["full_name"])
    except Exception:  # noqa: BLE001  (a store read before its users exist)
        pass
    for o in store.officers():
        names[fold(o["name"])] = o["name"]
    out.values["officer"] = {**names, **out.values.get("officer", {})}
    return out


def _people(checked: Checked, store, procedures: set[str]) -> None:
    """What is new to the office (procedures, officers), listed for the preview."""
    from core.domain.vnsort import key as sort_key

    officers = {o["name"] for o in store.officers()}
    try:
        unlinked = {nfc(u["full_name"]): u["id"] for u in store.users.all()
                    if u.get("full_name") and u.get("officer_id") is None and u.get("role") == "officer"}
    except Exception:  # noqa: BLE001  (a store read before its users exist)
        unlinked = {}
    new_officers, new_procedures = set(), set()
    for case in itertools.chain(checked.cases, (u["case"] for u in checked.updates)):
        if case.get("officer") and case["officer"] not in officers:
            new_officers.add(case["officer"])
        if case.get("procedure") and case["procedure"] not in procedures:
            new_procedures.add(case["procedure"])
    for case in itertools.chain(checked.cases, (u["case"] for u in checked.updates)):
        if case.get("officer") in unlinked:
            checked.links[case["officer"]] = unlinked[case["officer"]]
    checked.new_officers = sorted(new_officers, key=sort_key)
    checked.new_procedures = sorted(new_procedures, key=sort_key)


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


def file_value(key: str, value):
    """A value of the file as the stored case holds it (ISO dates), to compare with another desk's."""
    return value.isoformat() if isinstance(value, dt.date) else value


def shown_value(key: str, value) -> str:
    """Any value of a case (the file's or the store's) as a person reads it."""
    if key in FLAG_KEYS:
        return UNKNOWN_WORD if value is None else ("Có" if value else "Không")
    if key == "status":
        return STATUS_NAMES.get(value, "(trống)") if value else "(trống)"
    return shown(key, file_value(key, value))


def updates_of(checked: Checked) -> list[tuple[int, dict]]:
    """(case id, {key: new value}) of each update, values as the case file gives them."""
    out = []
    for u in checked.updates:
        values = {}
        for key, (_, now) in u["changes"].items():
            values[key] = dt.date.fromisoformat(now) if key in _DATES and now else now
        out.append((u["id"], values))
    return out


def rejected_path(source: str | Path) -> Path:
    """Where the rows left out of an import are kept: beside the file, '<name> - dòng lỗi.xlsx'."""
    source = Path(source)
    return source.with_name(f"{source.stem} - dòng lỗi.xlsx")


def write_rejected(source: str | Path, checked: Checked, out: str | Path) -> int:
    """The rows of ``source`` the import left out, as the file has them (its header, its columns) with a
    column "Lỗi" saying why, in a spreadsheet the officer can fix and import on its own; the count."""
    from core.files.output import write_atomically

    bad: dict[int, list[str]] = {}
    for p in checked.problems:
        bad.setdefault(p.row, []).append(p.text)
    if not bad:
        return 0
    table = read_table(source)
    layout = checked.layout
    header = list(layout.names) if layout else []
    kept: list[tuple[list, str]] = []
    for n, values in table.rows:
        if n in bad:
            cells = [] if isinstance(values, str) else [_same(v) for v in values]
            kept.append((cells, "; ".join(bad[n])))
    width = max([len(header)] + [len(c) for c, _ in kept])
    header = header + [""] * (width - len(header))

    def write(tmp: Path) -> None:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False, "default_date_format": "dd/mm/yyyy hh:mm"})
        ws = wb.add_worksheet("Dòng lỗi")
        ws.write_row(0, 0, [*header, "Lỗi"])
        for i, (cells, why) in enumerate(kept, 1):
            cells = [("" if v is None else v) for v in cells] + [""] * (width - len(cells))
            for j, v in enumerate(cells):
                if isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(i, j, v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day))
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(v))
            ws.write_string(i, width, why)
        wb.close()

    write_atomically(Path(out), write)
    return len(kept)


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
        CHANNEL_KEYS[row["channel"]], "" if row["digitized"] is None else row["digitized"], row["resolved_date"] or "",
        *("" if row[k] is None else row[k] for k in ("result_digitized", "has_fee", "paid_online", "e_certified")),
        row["status"] or "",
        row["supplement_requested"] or "", row["supplement_returned"] or "",
        *((row["supplement_count"], row["paused_days"]) if row["supplement_requested"] or row["supplement_count"]
          else ("", "")),
        row["new_due_date"] or "",
        row["satisfaction"] or "",
        row.get("received_time") or "",
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

            # the workbook built in memory and written in one go: zipfile writing straight to a full
            # disk fails again when the half-closed archive is collected ("Exception ignored … Errno 28")
            buf = io.BytesIO()
            xlsx_stream.write(buf, "Hồ sơ", lines(), len(header))
            with tmp.open("wb") as fh:
                fh.write(buf.getbuffer())

    write_atomically(path, write)
    return n
