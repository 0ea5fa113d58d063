"""The case file of interfaces.md section 2: read, check, import and export.

Reading and checking write nothing; ``import_file`` writes all valid rows in
one transaction, or nothing at all.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.cases import cross_problems
from core.workdays import WorkCalendar


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


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Letter case, diacritics and spacing folded away: 'Số hóa' and 'SỐ HOÁ' meet."""
    text = unicodedata.normalize("NFD", str(text).strip().casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


_HEADERS = {fold(c.key): c.key for c in COLUMNS} | {fold(c.header_vi): c.key for c in COLUMNS}
_CHANNELS = {fold(v): k for k, v in CHANNEL_KEYS.items()} | {fold(v): k for k, v in CHANNEL_NAMES.items()} \
    | {"1": 1, "2": 2, "3": 3}
_STATUS = {"": None, "withdrawn": "withdrawn", fold("Rút hồ sơ"): "withdrawn", fold("Rút"): "withdrawn",
           "refused": "refused", fold("Từ chối"): "refused", "stopped": "stopped",
           fold("Dừng xử lý"): "stopped", fold("Dừng giải quyết"): "stopped", fold("Dừng"): "stopped"}
_SATISFACTION = {"": None, "good": "good", fold("Hài lòng"): "good", "fair": "fair", fold("Bình thường"): "fair",
                 "poor": "poor", fold("Không hài lòng"): "poor"}


@dataclass(frozen=True)
class Problem:
    row: int  # the file's row number, the header being row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


class CaseFileError(Exception):
    """The file as a whole cannot be read (empty, not UTF-8, no required column)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
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

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}


# ---- reading ---------------------------------------------------------------------------

def read_table(path: str | Path) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The header and the data rows (with their row numbers) of a CSV or XLSX file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path.read_bytes(), path.name)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise CaseFileError([Problem(1, "-", f"định dạng {suffix or '(không có đuôi)'} không hỗ trợ: "
                                         "chỉ nhận .csv hoặc .xlsx")])


def _read_csv(data: bytes, name: str) -> tuple[list[str], Iterator[tuple[int, list]]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseFileError([Problem(1, "-", f"tệp {name} không phải UTF-8 (byte lỗi ở vị trí {exc.start}); "
                                             "hãy lưu lại với mã hoá UTF-8")]) from None
    if "\x00" in text:
        raise CaseFileError([Problem(1, "-", f"tệp {name} chứa ký tự NUL: không phải tệp CSV văn bản")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CaseFileError([Problem(1, "-", f"tệp {name} trống")]) from None
    except csv.Error as exc:
        raise CaseFileError([Problem(1, "-", f"không đọc được dòng tiêu đề: {exc}")]) from None

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for values in reader:
                yield reader.line_num, values
        except csv.Error as exc:
            yield reader.line_num, exc

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list]]]:
    from python_calamine import CalamineError, CalamineWorkbook  # reads ten times faster than openpyxl

    try:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise CaseFileError([Problem(1, "-", f"không đọc được tệp Excel {path.name}: {exc}")]) from None
    if not rows or all(v in (None, "") for v in rows[0]):
        raise CaseFileError([Problem(1, "-", f"tệp {path.name} trống")])

    def data() -> Iterator[tuple[int, list]]:
        for n, values in enumerate(rows[1:], start=2):
            yield n, list(values)

    return ["" if h is None else str(h) for h in rows[0]], data()


# ---- checking --------------------------------------------------------------------------

def _text(value) -> str:
    if value.__class__ is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse_date_text(_text(value))


@functools.lru_cache(maxsize=8192)  # a file repeats the same few thousand dates
def _parse_date_text(text: str) -> dt.date:
    m = _ISO.match(text) or _DMY.match(text)
    if not m:
        raise ValueError(f"ngày {text!r} không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY")
    try:
        if m.re is _ISO:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise ValueError(f"ngày {text!r} không có thật") from None


def _flag(value, required: bool) -> int:
    text = _text(value)
    if text == "" and not required:
        return 0
    if text in ("0", "1"):
        return int(text)
    if text == "":
        raise ValueError("bắt buộc, ghi 0 hoặc 1")
    raise ValueError(f"{text!r} không hợp lệ: ghi 0 hoặc 1")


def check_rows(
    header: list[str],
    rows: Iterable[tuple[int, list]],
    *,
    calendar: WorkCalendar,
    procedure_days: dict[str, int | None],
    stored_codes: Callable[[Iterable[str]], set[str]],
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """Check every row against section 2; nothing is written."""
    out = Checked()
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _HEADERS.get(fold(name))
        if key is None:
            if _text(name):
                out.ignored_columns.append(_text(name))
            continue
        if key in positions:
            out.problems.append(Problem(1, key, f"cột lặp lại ({header[positions[key]]!r} và {name!r})"))
        positions[key] = i
    missing = [c.key for c in COLUMNS if c.required and c.key not in positions]
    for key in missing:
        out.problems.append(Problem(1, key, "thiếu cột bắt buộc"))
    if out.problems:
        raise CaseFileError(out.problems)

    first_row: dict[str, int] = {}
    items = list(positions.items())
    width = max(positions.values()) + 1
    for n, values in rows:
        if isinstance(values, Exception):
            out.problems.append(Problem(n, "-", f"dòng CSV hỏng: {values}"))
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
        case, problems = _check_row(n, raw, calendar, procedure_days)
        if case is not None:
            code = case["code"]
            if code in first_row:
                problems.append(Problem(n, "code", f"mã {code!r} trùng với dòng {first_row[code]}"))
            else:
                first_row[code] = n
        if problems:
            out.problems.extend(problems)
            out.invalid[n] = {k: _text(v) for k, v in raw.items()}
        else:
            out.cases.append(case)
            out.rows.append(n)
    stored = stored_codes([c["code"] for c in out.cases])
    if stored:
        keep_cases, keep_rows = [], []
        for case, n in zip(out.cases, out.rows):
            if case["code"] in stored:
                out.problems.append(Problem(n, "code", f"mã {case['code']!r} đã có trong cơ sở dữ liệu"))
                out.invalid[n] = {k: _text(v.strftime("%Y-%m-%d") if isinstance(v, dt.date) else v)
                                  for k, v in case.items()}
            else:
                keep_cases.append(case)
                keep_rows.append(n)
        out.cases, out.rows = keep_cases, keep_rows
    out.problems.sort(key=lambda p: (p.row, KEYS.index(p.column) if p.column in KEYS else -1))
    return out


def _check_row(n: int, raw: dict, calendar: WorkCalendar,
               procedure_days: dict[str, int | None]) -> tuple[dict | None, list[Problem]]:
    problems: list[Problem] = []
    case: dict = {}

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(n, column, reason))

    for key in ("code", "procedure", "officer"):
        case[key] = _text(raw.get(key))
        if not case[key]:
            bad(key, "bắt buộc, đang để trống")
    case["field"] = _text(raw.get("field")) or None
    case["applicant"] = _text(raw.get("applicant"))

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
            case[key] = parse_date(value)
        except ValueError as exc:
            bad(key, str(exc))
            case[key] = None

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
    if fold(status_text) in _STATUS:
        case["status"] = _STATUS[fold(status_text)]
    else:
        bad("status", f"{status_text!r} không hợp lệ: để trống, withdrawn (Rút hồ sơ), refused (Từ chối) "
                      "hoặc stopped (Dừng xử lý)")
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
    seen = {p.column for p in problems}
    for column, reason in cross_problems(case):
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
    checked: Checked
    imported: int
    written: bool


def check_file(store, path: str | Path, calendar: WorkCalendar | None = None,
               progress: Callable[[int], None] | None = None) -> Checked:
    """Read and check a file against the store (duplicate codes); writes nothing."""
    if calendar is None:
        off, work = store.calendar_days()
        calendar = WorkCalendar(off, work)
    header, rows = read_table(path)
    days = {p["name"]: p["processing_days"] for p in store.procedures()}
    return check_rows(header, rows, calendar=calendar, procedure_days=days,
                      stored_codes=store.existing_codes, progress=progress)


def import_file(store, path: str | Path, *, skip_invalid: bool = False,
                progress: Callable[[int], None] | None = None) -> ImportResult:
    """All or nothing by default; with ``skip_invalid`` the valid rows go in."""
    checked = check_file(store, path, progress=progress)
    if checked.problems and not skip_invalid:
        return ImportResult(checked, 0, False)
    n = store.insert_cases(checked.cases) if checked.cases else 0
    return ImportResult(checked, n, bool(n))


# ---- exporting -------------------------------------------------------------------------

def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': the family name stays, the rest become initials."""
    words = (name or "").split()
    if not words:
        return ""
    return " ".join([words[0], *[w[0] + "." for w in words[1:]]]) if len(words) > 1 else words[0][0] + "."


def _export_values(row: dict, mask: bool = False) -> list:
    applicant = row["applicant"] or ""
    return [
        row["code"], row["procedure"], row["field"] or "", mask_name(applicant) if mask else applicant,
        row["officer"],
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


def export_file(store, path: str | Path, progress: Callable[[int], None] | None = None, mask: bool = False) -> int:
    """Every case, in the import format; written to a temporary file then moved in place.

    ``mask`` keeps only the family name and initials of applicants.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CaseFileError([Problem(1, "-", f"định dạng {suffix or '(không có đuôi)'} không hỗ trợ: "
                                             "chỉ ghi .csv hoặc .xlsx")])
    tmp = path.with_name(path.name + ".part")
    n = 0
    if suffix == ".csv":
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(KEYS)
            for row in store.export_rows():
                writer.writerow(_export_values(row, mask))
                n += 1
                if progress and n % 10000 == 0:
                    progress(n)
    else:
        import xlsxwriter  # writes far faster than openpyxl; openpyxl still reads

        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("Hồ sơ")
        ws.write_row(0, 0, KEYS)
        for row in store.export_rows():
            n += 1
            ws.write_row(n, 0, _export_values(row, mask))
            if progress and n % 10000 == 0:
                progress(n)
        wb.close()
    tmp.replace(path)
    return n
