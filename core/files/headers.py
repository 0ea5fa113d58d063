"""Which column of a file holds what: headers in any layout, and the status words of production systems.

A file from the province's one-stop system, a register book (sổ theo dõi hồ sơ)
typed in Excel, or our own export: the header row is found among the first rows
(title rows above it are skipped), a header on two rows is read as one (a merged
"Nhận hồ sơ" over "Ngày" and "Giờ"), and each header is matched by its words to a
key of the case file (interfaces.md section 2). A person can override any
column with a mapping (``HEADER=key``, a column letter also names a column,
``-`` ignores it) and give a value for the whole file to a column it lacks.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from core.files.tabular import column_letters

IGNORE = "-"
RETURNED = "_returned"  # "Trả kết quả": the day the result went back; the resolved date if nothing better


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Letter case, diacritics and spacing folded away: 'Số hóa' and 'SỐ HOÁ' meet."""
    text = unicodedata.normalize("NFD", str(text).strip().casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


def _words(text) -> str:
    """Folded, punctuation turned into spaces: 'Nhận hồ sơ (ngày, giờ)' -> 'nhan ho so ngay gio'."""
    return " ".join(re.sub(r"[^\w/]+", " ", fold(text)).replace("/", " / ").split())


# phrases (folded words) that name each key; the longest phrase found in a header wins
PHRASES: dict[str, tuple[str, ...]] = {
    "code": ("ma ho so", "ma hs", "so ho so", "ma so ho so", "so bien nhan", "ma bien nhan", "code"),
    "procedure": ("ten thu tuc", "ten thu tuc hanh chinh", "thu tuc hanh chinh", "ten tthc", "thu tuc",
                  "tthc", "procedure"),
    "field": ("linh vuc", "field"),
    "applicant": ("nguoi nop", "ten ca nhan / to chuc", "ten ca nhan to chuc", "ca nhan / to chuc",
                  "ca nhan to chuc", "to chuc / ca nhan", "to chuc ca nhan", "chu ho so", "nguoi dung ten",
                  "ho ten nguoi nop", "cong dan", "applicant", "nguoi yeu cau"),
    "officer": ("can bo tiep nhan", "nguoi tiep nhan", "cong chuc tiep nhan", "can bo", "cong chuc",
                "officer", "can bo xu ly"),
    "received_date": ("ngay tiep nhan", "nhan ho so", "ngay nhan", "ngay nhan ho so", "ngay nop",
                      "thoi gian tiep nhan", "ngay gio tiep nhan", "received date"),
    "due_date": ("ngay hen tra", "hen tra ket qua", "hen tra", "ngay hen", "han giai quyet", "han xu ly",
                 "han tra ket qua", "due date"),
    "processing_days": ("thoi han giai quyet", "so ngay giai quyet", "thoi han xu ly", "so ngay xu ly",
                        "processing days"),
    "channel": ("hinh thuc nop", "hinh thuc tiep nhan", "kenh tiep nhan", "kenh nop", "nguon ho so",
                "hinh thuc", "channel"),
    "digitized": ("so hoa khi tiep nhan", "so hoa ho so", "da so hoa", "so hoa thanh phan ho so", "digitized",
                  "so hoa"),
    "resolved_date": ("ngay co ket qua", "ngay giai quyet xong", "ngay hoan thanh", "ngay xu ly xong",
                      "ngay ket thuc", "ngay giai quyet", "resolved date", "co ket qua"),
    "result_digitized": ("so hoa ket qua", "ket qua da so hoa", "result digitized"),
    "has_fee": ("co phi le phi", "phi le phi", "le phi", "co phi", "has fee"),
    "paid_online": ("thanh toan truc tuyen", "thanh toan qua mang", "paid online"),
    "e_certified": ("chung thuc dien tu", "chung thuc ban sao dien tu", "e certified"),
    "status": ("trang thai", "tinh trang", "trang thai ho so", "tinh trang ho so", "status"),
    "received_time": ("gio tiep nhan", "gio nhan", "received time"),
    # the columns of issue 14 (recognised once the case file has them, ignored before)
    "supplement_requested": ("ngay yeu cau bo sung", "yeu cau bo sung", "ngay bo sung"),
    "supplement_returned": ("ngay nhan bo sung", "nhan bo sung", "ngay cong dan bo sung"),
    "supplement_count": ("so lan yeu cau bo sung", "so lan bo sung"),
    "paused_days": ("so ngay tam dung", "ngay tam dung"),
    "new_due_date": ("ngay hen tra moi", "ngay hen lai", "hen lai ngay tra", "hen tra moi"),
    "satisfaction": ("danh gia", "muc do hai long", "danh gia hai long"),
    RETURNED: ("tra ket qua", "ngay tra ket qua", "ngay tra"),
    IGNORE: ("stt", "so tt", "so thu tu", "dia chi", "so dien thoai", "dien thoai", "sdt", "ghi chu",
             "ky nhan", "so luong ho so", "so luong", "co quan chu tri", "co quan giai quyet",
             "chuyen ho so", "nhan ket qua", "email", "so cmnd", "so cccd", "cccd", "ma dinh danh"),
}
_BY_PHRASE = sorted(((p, k) for k, ps in PHRASES.items() for p in ps), key=lambda t: -len(t[0]))
_TIME_OF = {"received_date": "received_time"}

# the status words of production systems -> our state of a case
STATUS_WORDS: dict[str, str] = {}
for _state, _words_of in {
    "resolved": ("Đã trả kết quả", "Đã có kết quả", "Có kết quả", "Đã giải quyết", "Hoàn thành", "Đã hoàn thành",
                 "Đã trả", "Trả kết quả", "Đã xử lý", "Giải quyết xong", "resolved", "Trước hạn", "Đúng hạn",
                 "Đã trả kết quả trước hạn", "Đã trả kết quả đúng hạn", "Đã trả kết quả quá hạn"),
    "open": ("", "Đang xử lý", "Đang giải quyết", "Mới tiếp nhận", "Đã tiếp nhận", "Tiếp nhận", "Mới",
             "Chờ bổ sung", "Yêu cầu bổ sung", "Chờ bổ sung hồ sơ", "Đang bổ sung", "Chờ thanh toán",
             "Chờ nộp phí", "Chờ xử lý", "Quá hạn", "Đang quá hạn", "Trễ hạn", "Đang xử lý quá hạn",
             "Chờ trả kết quả", "Chờ ký", "open", "Tạm dừng"),
    "withdrawn": ("Rút hồ sơ", "Rút", "Công dân rút hồ sơ", "Đã rút", "Đã rút hồ sơ", "withdrawn"),
    "refused": ("Từ chối", "Từ chối giải quyết", "Từ chối tiếp nhận", "Không giải quyết", "Trả lại hồ sơ",
                "refused"),
    "stopped": ("Dừng xử lý", "Dừng giải quyết", "Đã dừng xử lý", "Dừng", "stopped"),
}.items():
    for _w in _words_of:
        STATUS_WORDS[_words(_w)] = _state


@functools.lru_cache(maxsize=1024)  # a file repeats a handful of status words
def status_state(text) -> str | None:
    """'Đã trả kết quả' -> 'resolved', 'Chờ bổ sung' -> 'open', 'Từ chối' -> 'refused'; None when unknown."""
    return STATUS_WORDS.get(_words(text))


def suggest(text, keys: tuple[str, ...], exact: dict[str, str] | None = None) -> str | None:
    """The key a header names, ``IGNORE`` for a known column we do not keep, None when unknown.

    ``exact``: folded headers that name a key as they are (the case file's own Vietnamese headers)."""
    w = _words(text)
    if not w:
        return None
    f = fold(text)
    if exact and f in exact:
        return exact[f]
    for k in keys:
        if fold(k) == f:
            return k
    padded = f" {w} "
    for phrase, key in _BY_PHRASE:
        if f" {phrase} " in padded:
            if key == "received_time" and "received_time" not in keys:
                return IGNORE
            if key in _TIME_OF and re.search(r"\bgio\b", w) and not re.search(r"\bngay\b", w):
                return _TIME_OF[key] if _TIME_OF[key] in keys else IGNORE
            if key not in keys and key not in (IGNORE, RETURNED):
                return IGNORE  # a column we know of but this schema does not keep
            return key
    return None


@dataclass
class Mapping:
    """What a person said about a file's columns: by header text or column letter, and whole-file values."""
    columns: dict[str, str] = field(default_factory=dict)  # header text / letter -> key or IGNORE
    fills: dict[str, str] = field(default_factory=dict)  # key -> the value of every row
    # key -> a value as the file writes it (folded) -> its meaning ("1", "0", "" unknown; "online"…)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {"columns": self.columns, "fills": self.fills}
        if self.values:
            data["values"] = self.values
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Mapping":
        data = json.loads(text)
        return cls(dict(data.get("columns", {})), dict(data.get("fills", {})),
                   {k: dict(v) for k, v in (data.get("values") or {}).items()})

    def say(self, key: str, raw: str, meaning: str) -> None:
        """Remember that ``raw`` in column ``key`` means ``meaning``."""
        self.values.setdefault(key, {})[fold(raw)] = meaning

    def __bool__(self) -> bool:
        return bool(self.columns or self.fills or self.values)


class MappingError(ValueError):
    pass


def parse_map(text: str, keys: tuple[str, ...]) -> Mapping:
    """``'Người nhận=officer,G=-,Ngày nộp=received_date'`` -> a Mapping; keys checked."""
    out = Mapping()
    pos = 0
    for m in _MAP_ITEM.finditer(text):  # a header may hold a comma: "Có phí, lệ phí=has_fee"
        if m.start() != pos or not m[1].strip():
            break
        header, key = m[1].strip(), m[2]
        if key != IGNORE and key not in keys:
            raise MappingError(f"{key!r} không phải cột của tệp hồ sơ: dùng {', '.join(keys)} hoặc - để bỏ qua")
        out.columns[header] = key
        pos = m.end()
    if pos != len(text) and text[pos:].strip(" ,"):
        raise MappingError(f"{text[pos:]!r}: cần dạng 'TIÊU ĐỀ=khoá,TIÊU ĐỀ=khoá' (khoá như officer, "
                           "channel; - để bỏ qua cột)")
    return out


_MAP_ITEM = re.compile(r"\s*(.+?)\s*=\s*([A-Za-z_]+|-)\s*(?:,|$)")


def parse_values(items: list[str], keys: tuple[str, ...], meanings: dict[str, dict[str, str]]) -> dict:
    """``--value 'digitized:Đã scan=1'`` (repeatable) -> {key: {folded raw: meaning}}, checked."""
    out: dict[str, dict[str, str]] = {}
    for item in items or ():
        key, colon, rest = item.partition(":")
        raw, eq, meaning = rest.rpartition("=")
        key, meaning = key.strip(), meaning.strip()
        if not colon or not eq or key not in meanings:
            raise MappingError(f"{item!r}: cần dạng khoá:giá trị=nghĩa, khoá là một trong {', '.join(meanings)}")
        if meaning not in meanings[key]:
            said = ", ".join(f"{m or '(để trống: chưa rõ)'}" for m in meanings[key])
            raise MappingError(f"{item!r}: nghĩa {meaning!r} không dùng được cho {key}: ghi {said}")
        out.setdefault(key, {})[fold(raw)] = meaning
    return out


def parse_fill(items: list[str], keys: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items or ():
        key, _, value = item.partition("=")
        key = key.strip()
        if key not in keys or not _:
            raise MappingError(f"--fill {item!r}: cần dạng khoá=giá trị, khoá là một trong {', '.join(keys)}")
        out[key] = value.strip()
    return out


@dataclass
class Layout:
    """Where the header is and which column holds which key."""
    header_rows: list[int]  # row numbers (from 1) of the header, one or two
    names: list[str]  # the header of each column, as shown (two rows joined)
    positions: dict[str, int]  # key -> column index
    suggested: dict[int, str | None]  # column index -> what its words suggest (before any mapping)
    first_data_row: int  # rows before it are title, header or column numbers
    ignored: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (key, first header, second)
    unnamed: set[int] = field(default_factory=set)  # columns with no header at all
    sample: list[str] = field(default_factory=list)  # the first data row, to show under the headers

    @property
    def shape(self) -> str:
        """Files with the same headers have the same shape: a remembered mapping fits them."""
        return hashlib.sha1(json.dumps([fold(n) for n in self.names], ensure_ascii=False).encode()).hexdigest()[:16]


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).split())


_NUMBERING = re.compile(r"^\(?\d{1,3}\)?$")
_SUBWORDS = {"ngay", "gio", "ngay gio", "ky nhan", "so", "ten", "ma", "ngay thang", "thoi gian"}


def _score(values, keys, exact=None) -> int:
    found = set()
    for v in values:
        k = suggest(_text(v), keys, exact)
        if k and k != IGNORE:
            found.add(k)
    return len(found)


def detect(head: list[tuple[int, list]], keys: tuple[str, ...], mapping: Mapping | None = None,
           exact: dict[str, str] | None = None) -> Layout:
    """Find the header among the first rows (``head``: (row number, values), broken rows left out)."""
    rows = [(n, [_text(v) for v in values]) for n, values in head if not isinstance(values, str)]
    if not rows:
        return Layout([1], [], {}, {}, 2)
    scored = [(_score(values, keys, exact), i) for i, (_, values) in enumerate(rows[:15])]
    best, index = max(scored, key=lambda t: (t[0], -t[1]))
    if best < 2:
        index = next((i for i, (_, v) in enumerate(rows) if any(v)), 0)
    n, top = rows[index]
    header_rows = [n]
    names = list(top)
    subs: list[str] = []
    after = index + 1
    if after < len(rows) and _is_subheader(top, rows[after][1]):
        sub = rows[after][1]
        width = max(len(top), len(sub))
        top = top + [""] * (width - len(top))
        sub = sub + [""] * (width - len(sub))
        parent, names = "", []
        for i in range(width):
            if top[i]:
                parent = top[i]
            elif not sub[i]:
                parent = ""
            if sub[i]:
                owner = top[i] or parent
                names.append(f"{owner} {sub[i]}".strip() if owner else sub[i])
            else:
                names.append(top[i])
        header_rows.append(rows[after][0])
        subs = sub
        after += 1
    first_data = (rows[after][0] if after < len(rows) else header_rows[-1] + 1)
    if after < len(rows):
        cells = [c for c in rows[after][1] if c]
        if len(cells) >= 3 and all(_NUMBERING.match(c) for c in cells):  # "(1) (2) (3)" under the header
            first_data = rows[after + 1][0] if after + 1 < len(rows) else rows[after][0] + 1
    layout = _assign(names, keys, mapping, header_rows, first_data, subs, exact)
    layout.sample = next((v for r, v in rows if r >= first_data and any(v)), [])
    return layout


def _is_subheader(top: list[str], sub: list[str]) -> bool:
    cells = [c for c in sub if c]
    if not cells or any(re.search(r"\d", c) for c in cells):
        return False
    under_blank = any(c and (i >= len(top) or not top[i]) for i, c in enumerate(sub))
    return under_blank or any(_words(c) in _SUBWORDS for c in cells)


def _assign(names: list[str], keys, mapping: Mapping | None, header_rows: list[int], first_data: int,
            subs: list[str] = (), exact: dict[str, str] | None = None) -> Layout:
    mapping = mapping or Mapping()
    by_header = {fold(h): k for h, k in mapping.columns.items()}
    suggested: dict[int, str | None] = {}
    chosen: dict[int, str | None] = {}
    for i, name in enumerate(names):
        # under a two-row header the lower cell speaks first ("Trả kết quả" / "Ký nhận" is no date)
        below = suggest(subs[i], keys, exact) if i < len(subs) and subs[i] else None
        suggested[i] = below if below not in (None, RETURNED) else (suggest(name, keys, exact) if name else None)
        letter = column_letters(i + 1)
        if letter in mapping.columns:
            chosen[i] = mapping.columns[letter]
        elif name and fold(name) in by_header:
            chosen[i] = by_header[fold(name)]
        else:
            chosen[i] = suggested[i]
    layout = Layout(header_rows, names, {}, suggested, first_data)
    returned = None
    for i, key in chosen.items():
        if key is None:
            if names[i]:
                layout.ignored.append(names[i])
            else:
                layout.unnamed.add(i)
            continue
        if key == IGNORE:
            if names[i]:
                layout.ignored.append(names[i])
            continue
        if key == RETURNED:
            returned = returned if returned is not None else i
            continue
        if key in layout.positions:
            layout.duplicates.append((key, names[layout.positions[key]], names[i]))
            continue
        layout.positions[key] = i
    if returned is not None:
        if "resolved_date" not in layout.positions:
            layout.positions["resolved_date"] = returned
        else:
            layout.ignored.append(names[returned])
    return layout


def remembered_key(shape: str) -> str:
    return f"import_map:{shape}"


def named_key(name: str) -> str:
    return f"import_map_name:{fold(name)}"
