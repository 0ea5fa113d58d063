"""Reading a table from a file a person brings, whatever wrote it, without trusting it.

CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), Windows-1258
(Excel on a Vietnamese Windows) or Windows-1252; comma, semicolon or tab. The
encoding and the separator are detected and named, so a preview can say what
was read. A broken row (an unclosed quote, a cell longer than Excel allows) is
one problem: the rows after it are still read. Rows are numbered as a
spreadsheet shows them (a line break inside a cell does not shift them).

XLSX: the zip is checked with ``zipfile`` before python-calamine reads anything:
the uncompressed size of every part (read through, so a size the zip lies about
is caught by its checksum), the sheet's declared dimension, the cells it really
holds and the span they cover. A 1 KB file with one value in XFD1048576 or a zip
bomb is refused with a message; it never reaches the reader.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.domain.vnformat import number as _n

MAX_FILE_BYTES = 256 * 1024 * 1024  # a CSV read whole into memory
MAX_UNCOMPRESSED = 768 * 1024 * 1024  # every part of an XLSX together, decompressed
MAX_ROWS = 1_048_576  # as many as Excel holds
MAX_COLUMNS = 256
MAX_CELLS = 20_000_000  # rows × columns of the rectangle a sheet is read into
CELL_LIMIT = 32_767  # characters in one cell, Excel's own limit
MAX_LINES_PER_ROW = 30  # line breaks inside quoted cells of one row

SEPARATORS = {",": "dấu phẩy (,)", ";": "dấu chấm phẩy (;)", "\t": "tab"}


class TableError(Exception):
    """The file as a whole cannot be read; the message says why, in Vietnamese."""


class RowError(str):
    """A row that could not be split into cells, in place of its values: the reason."""


@dataclass
class Table:
    rows: Iterator[tuple[int, list | RowError]]  # every row from the first, numbered from 1
    kind: str  # "csv" or "xlsx"
    encoding: str = ""  # for people: "UTF-8", "Windows-1258" …
    separator: str = ""  # for people: "dấu chấm phẩy (;)" …

    def describe(self) -> str:
        if self.kind == "xlsx":
            return "tệp Excel (.xlsx), trang tính đầu tiên"
        return f"CSV, mã hoá {self.encoding}, phân cách bằng {self.separator}"


def read(path: str | Path) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise TableError(f"tệp {path.name} quá lớn ({size // (1024 * 1024)} MB; tối đa "
                                 f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(f"không đọc được tệp {path.name}: {exc.strerror or exc}") from None
        return read_csv_bytes(data, path.name)
    if suffix == ".xlsx":
        return read_xlsx(path)
    hint = " (tệp Excel 97–2003: mở bằng Excel rồi lưu thành .xlsx)" if suffix == ".xls" else ""
    raise TableError(f"định dạng {suffix or '(không có đuôi)'} không hỗ trợ: chỉ nhận .csv, .txt hoặc .xlsx{hint}")


# ---- CSV ----------------------------------------------------------------------------------

# letters Vietnamese writes beyond ASCII (precomposed): a cp1258 reading that yields them is Vietnamese
_VIETNAMESE = set("àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}
_CP1258_MARKS = frozenset(b"\xcc\xd2\xde\xec\xf2")  # combining grave, hook, tilde, acute, dot below


def _vietnamese_evidence(data: bytes) -> bool:
    """Whether single-byte text reads as Vietnamese in Windows-1258 rather than Western in 1252.

    Windows-1258 writes most tones as combining marks after the vowel; in 1252 the same
    bytes are Ì Ò Þ ì ò. Decoded as 1258 and composed, Vietnamese text gives Vietnamese
    letters only; Western text ("Müller", "però", "São") gives letters Vietnamese has not.
    """
    if not _CP1258_MARKS.intersection(data):
        return False
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return False
    vietnamese = foreign = 0
    for ch in text:
        if ch < "\x80":
            continue
        if ch in _VIETNAMESE:
            vietnamese += 1
        elif ch.isalpha() or unicodedata.combining(ch):
            foreign += 1
    return vietnamese > 0 and vietnamese >= 4 * foreign


def _utf16_without_bom(data: bytes, high: int) -> bool:
    """UTF-16 text without its BOM: the high byte of most characters (ASCII letters, digits,
    spaces, separators) is zero, the low byte never is."""
    head = data[:4000]
    if len(head) < 4:
        return False
    highs, lows = head[high::2], head[1 - high::2]
    return highs.count(0) > 0.4 * len(highs) and lows.count(0) < 0.05 * len(lows)


def decode(data: bytes, name: str = "tệp") -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, label, data = "utf-8", "UTF-8 (có BOM)", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, label = "utf-16", "UTF-16 (Unicode text của Excel)"
    elif _utf16_without_bom(data, 1):
        encoding, label = "utf-16-le", "UTF-16 LE (không BOM)"
    elif _utf16_without_bom(data, 0):
        encoding, label = "utf-16-be", "UTF-16 BE (không BOM)"
    else:
        try:
            text = data.decode("utf-8")
            encoding, label = "", "UTF-8"
        except UnicodeDecodeError:
            if _vietnamese_evidence(data):
                encoding, label = "cp1258", "Windows-1258 (tiếng Việt)"
            else:
                encoding, label = "cp1252", "Windows-1252"
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise TableError(f"{name} không đọc được với mã hoá {label} (byte lỗi ở vị trí {exc.start}); "
                             "hãy lưu lại với mã hoá UTF-8") from None
    if "\x00" in text:
        raise TableError(f"{name} chứa ký tự NUL: không phải tệp CSV văn bản")
    if not unicodedata.is_normalized("NFC", text):  # Windows-1258 and Unikey's "tổ hợp" decompose tones
        text = unicodedata.normalize("NFC", text)
    return text, label


_QUOTED = re.compile(r'"[^"]*"')


def sniff_separator(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines most evenly."""
    lines = [line for line in text[:65536].splitlines()[:50] if line.strip()]
    best, best_score = ",", -1
    for sep in (",", ";", "\t"):
        counts: dict[int, int] = {}
        for line in lines:
            n = _QUOTED.sub("", line).count(sep)
            if n:
                counts[n] = counts.get(n, 0) + 1
        if not counts:
            continue
        modal = max(counts, key=lambda k: (counts[k], k))
        score = counts[modal] * modal
        if score > best_score:
            best, best_score = sep, score
    return best


def _csv_reason(exc: Exception) -> str:
    text = str(exc)
    if "field larger" in text:
        return f"ô dài quá {_n(CELL_LIMIT)} ký tự (giới hạn của Excel)"
    if "unexpected end of data" in text or "EOF" in text:
        return "dấu ngoặc kép mở mà không đóng"
    if "expected after" in text:
        return "ký tự lạ ngay sau dấu ngoặc kép đóng"
    return f"dòng CSV hỏng ({text})"


def csv_rows(text: str, sep: str) -> Iterator[tuple[int, list | RowError]]:
    """The rows of CSV text, numbered from 1 as a spreadsheet numbers them; a broken row is a
    ``RowError`` and reading resumes at the next line."""
    csv.field_size_limit(CELL_LIMIT)
    lines = io.StringIO(text, newline="").readlines()
    total = len(lines)
    start = 0  # the physical line the current reader started at
    row = 0
    while start < total:
        reader = csv.reader(map(lines.__getitem__, range(start, total)), delimiter=sep, strict=True)
        consumed = 0  # lines of this reader used by the rows already given
        try:
            for values in reader:
                row += 1
                if row > MAX_ROWS:
                    raise TableError(f"tệp có quá {_n(MAX_ROWS)} dòng")
                if reader.line_num - consumed > MAX_LINES_PER_ROW:
                    yield row, RowError(f"dấu ngoặc kép mở mà không đóng (ô kéo dài hơn {MAX_LINES_PER_ROW} dòng)")
                    start += consumed + 1
                    break
                consumed = reader.line_num
                yield row, values
            else:
                return
        except csv.Error as exc:
            row += 1
            yield row, RowError(_csv_reason(exc))
            start += consumed + 1


def read_csv_bytes(data: bytes, name: str = "tệp") -> Table:
    text, encoding = decode(data, name)
    if not text.strip():
        raise TableError(f"tệp {name} trống")
    hint = re.match(r"sep=([,;\t])\r?\n", text)  # Excel's own hint line; Excel does not show it as a row
    if hint:
        sep, text = hint[1], text[hint.end():]
    else:
        sep = sniff_separator(text)
    return Table(csv_rows(text, sep), "csv", encoding, SEPARATORS[sep])


# ---- XLSX ---------------------------------------------------------------------------------

_ROW_REF = re.compile(rb'<row r="(\d{1,8})"')
_FAR_ROW = re.compile(rb'<c r="[A-Z]{1,4}(\d{6,})"')
_WIDE = re.compile(rb'<c r="([A-Z]{2,4})\d')
_DIMENSION = re.compile(rb'<dimension ref="\$?([A-Z]{1,4})\$?(\d{1,8})(?::\$?([A-Z]{1,4})\$?(\d{1,8}))?"')


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """1 -> A, 27 -> AA: the spreadsheet's name of a column."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _max_column(chunk: bytes, known: int = 0) -> int:
    """The rightmost column a chunk of sheet XML names, without a match object per cell."""
    wide = _WIDE.findall(chunk)
    if wide:
        return max(column_number(c.decode()) for c in set(wide))
    found = min(known, 26)
    while found < 26:  # one scan per step: is there a single-letter column right of the rightmost found?
        m = re.search(b'<c r="([' + bytes([65 + found]) + b"-Z])\\d", chunk)
        if not m:
            break
        found = m[1][0] - 64
    return found


def _first_sheet(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise TableError("không phải tệp Excel .xlsx (thiếu xl/workbook.xml)") from None
    sheet = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook) or \
        re.search(rb"<(?:\w+:)?sheet\b[^>]*?:id=\"([^\"]+)\"", workbook)
    if sheet:
        for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
            if re.search(rb'\bId="' + re.escape(sheet[1]) + rb'"', rel[0]):
                target = re.search(rb'\bTarget="([^"]+)"', rel[0])
                if target:
                    t = target[1].decode("utf-8", "replace").lstrip("/")
                    t = t if t.startswith("xl/") else "xl/" + t
                    if t in names:
                        return t
    for candidate in ("xl/worksheets/sheet1.xml",):
        if candidate in names:
            return candidate
    raise TableError("tệp Excel không có trang tính nào")


def check_xlsx(path: Path) -> None:
    """Refuse an XLSX that would make a reader allocate or decompress too much."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        # never the library's English ("File is not a zip file"): what it means and what to do
        raise TableError(f"không đọc được tệp Excel {path.name}: không phải tệp .xlsx hợp lệ (có thể là tệp .xls "
                         "cũ, tệp tải về chưa xong, hoặc tệp khác đổi tên đuôi): mở tệp bằng Excel rồi lưu lại "
                         "dạng .xlsx") from None
    mb = 1024 * 1024
    with zf:
        infos = zf.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED or len(infos) > 10_000:
            raise TableError(f"tệp Excel {path.name} giải nén ra {_n(declared // mb)} MB (tối đa "
                             f"{MAX_UNCOMPRESSED // mb} MB): không đọc")
        sheet = _first_sheet(zf)
        max_row = max_col = cells = 0
        try:
            for info in infos:
                if info.is_dir():
                    continue
                is_sheet = info.filename == sheet
                with zf.open(info) as fh:
                    first = True
                    carry = b""
                    while chunk := fh.read(4 * mb):
                        if is_sheet:
                            chunk = carry + chunk
                            cut = chunk.rfind(b">") + 1
                            chunk, carry = chunk[:cut], chunk[cut:]
                            if first:
                                _check_dimension(chunk, path.name)
                                first = False
                            cells += chunk.count(b"<c ") + chunk.count(b"<c>")
                            rows = _ROW_REF.findall(chunk)
                            if rows:
                                max_row = max(max_row, max(map(int, rows)))
                            far = _FAR_ROW.findall(chunk)  # a cell's own row beyond 99.999
                            if far:
                                max_row = max(max_row, max(map(int, far)))
                            max_col = max(max_col, _max_column(chunk, max_col))
                            _check_span(max_row, max_col, cells, path.name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError,
                RuntimeError, ValueError):
            raise TableError(f"tệp Excel {path.name} bị hỏng (phần nén bên trong không đọc được): mở tệp bằng "
                             "Excel rồi lưu lại, hoặc lấy lại tệp từ hệ thống") from None


def _check_dimension(chunk: bytes, name: str) -> None:
    m = _DIMENSION.search(chunk[:8192])
    if m and m[3]:
        rows = int(m[4]) - int(m[2]) + 1
        cols = column_number(m[3].decode()) - column_number(m[1].decode()) + 1
        if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
            raise TableError(f"tệp Excel {name} khai báo vùng dữ liệu {m[1].decode()}{m[2].decode()}:"
                             f"{m[3].decode()}{m[4].decode()} ({_n(rows)} dòng × {_n(cols)} cột), quá giới hạn "
                             f"{_n(MAX_ROWS)} dòng, {MAX_COLUMNS} cột: không đọc")


def _check_span(max_row: int, max_col: int, cells: int, name: str) -> None:
    if max_row > MAX_ROWS or max_col > MAX_COLUMNS or max_row * max(max_col, 1) > MAX_CELLS or cells > MAX_CELLS:
        where = f"ô {column_letters(max_col)}{max_row}" if max_col else f"dòng {max_row}"
        raise TableError(f"tệp Excel {name} có dữ liệu tới {where} ({_n(cells)} ô), quá giới hạn "
                         f"{_n(MAX_ROWS)} dòng × {MAX_COLUMNS} cột: không đọc. Xoá các ô thừa ở xa "
                         "rồi lưu lại")


def read_xlsx(path: Path) -> Table:
    check_xlsx(path)
    from python_calamine import CalamineError, CalamineWorkbook  # reads ten times faster than openpyxl

    try:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError, TypeError):
        raise TableError(f"không đọc được tệp Excel {path.name}: nội dung không đúng dạng bảng tính .xlsx "
                         "(mở tệp bằng Excel rồi lưu lại dạng .xlsx)") from None
    if not any(any(v not in (None, "") for v in r) for r in rows):
        raise TableError(f"tệp {path.name} trống")
    return Table(((n, list(values)) for n, values in enumerate(rows, 1)), "xlsx")
