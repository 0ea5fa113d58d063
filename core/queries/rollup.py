"""Ranking units from their own data (interfaces.md section 6): the praise-and-reminder letter, computed.

Each source is one unit: a Một Cửa database (opened read-only, never
migrated), a case file (read and checked by ``core.files.casefile`` into a store
in memory), or a folder of them. For a month the roll-up gives per unit and
indicator the numerator, denominator, rate, change against the previous
month and gap to the pooled average ("mức bình quân chung": the sum of all
units' numerators over the sum of their denominators), the same from
1 January, the ranking, and the lists the district's letter (seed 001) is
made of. Nothing here writes; ``core.ops.record_rollup`` keeps the reminders in
the roll-up office's own database.

``compute`` and ``rollup`` return a ``RollupResult``: the units as ``UnitRow``s, each unit's and the
average's rates as ``RankedRates`` (``row.indicators.digitized_on_receipt.rate``; ``.get(key)`` for
a key given as data). ``as_json`` is the object ``rollup --json`` prints (interfaces.md section 6),
``from_json`` reads it back; nothing else reads that shape.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path

from core.domain import vnformat, vnsort
from core.domain.indicators import BY_KEY, RANKED_KEYS, Indicator, unknown_of
from core.domain.periods import Period

DB_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".motcua")
FILE_SUFFIXES = (".csv", ".xlsx")
REPORT_DAY = 25  # units report on the 25th of each month (seed 004)
NO_FIELD = "Chưa xác định lĩnh vực"
AVERAGES_KIND = "mot-cua/binh-quan-chung"
# A unit's case file above this size is not read (a month of a commune is a few megabytes; the
# largest office's whole history, 200.000 cases, some 60 MB): it is listed as unreadable.
MAX_CASE_FILE = 100 * 1024 * 1024
MAX_UNIT_NAME = 300  # characters of a unit's name read from its database (the longest real: ~60)
MAX_AVERAGES_FILE = 64 * 1024  # an averages file holds a few numbers: a few hundred bytes


class RollupError(ValueError):
    """Bad input for a roll-up: a period that is not a month, no source at all."""


class UnnamedUnits(RollupError):
    """Units known only by a file name that looks like a code ('xa-hong-phong'): a letter never prints
    one; the user names them (``--name FILE=NAME``, or the page's "Tên đơn vị")."""

    def __init__(self, units: list[dict]):
        self.units = units
        listed = ", ".join(u["file"] for u in units)
        super().__init__(f"chưa có tên đơn vị cho {vnformat.padded(len(units))} tệp: {listed}. Đặt tên từng đơn vị "
                         "(dòng lệnh: --name 'TỆP=UBND xã …'; cửa sổ: nút Tên đơn vị…); tên được nhớ cho lần sau.")


@dataclass
class UnitData:
    """What one unit's source gives: monthly counts, the overdue cases of the month by field."""
    unit: str
    source: str
    months: dict[str, dict[str, int]] = field(default_factory=dict)
    file: str = ""  # the source's file name (or database name), by which the user names the unit
    overdue: dict[str, int] = field(default_factory=dict)
    data_end: dt.date | None = None
    problems: list[str] = field(default_factory=list)
    identity: str | None = None  # the database's own id, or the digest of a case file's bytes


@dataclass
class NotReported:
    unit: str
    source: str
    reason: str


# ---- units ------------------------------------------------------------------------------

_LEVELS = (("THỊ TRẤN", "thị trấn"), ("PHƯỜNG", "phường"), ("XÃ", "xã"), ("HUYỆN", "huyện"),
           ("THỊ XÃ", "thị xã"), ("THÀNH PHỐ", "thành phố"), ("TỈNH", "tỉnh"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def looks_like_code(name: str) -> bool:
    """A file name such as 'xa-hong-phong' or 'unit_07': no space, no Vietnamese letter; never a unit's
    name in a letter."""
    return bool(_CODE.match(nfc(name)))


_COMMUNE = re.compile(r"^(UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(xã|phường|thị trấn)\s", re.IGNORECASE)


def commune_level(unit: str) -> str | None:
    """'xã', 'phường' or 'thị trấn' for a commune-level unit (an "địa phương"); None for a district
    department (Phòng …, Văn phòng …), a "cơ quan"."""
    m = _COMMUNE.match(nfc(unit))
    return m.group(2).lower() if m else None


def is_commune(unit: str) -> bool:
    return commune_level(unit) is not None


_LEVEL_RANK = {"xã": 0, "phường": 1, "thị trấn": 2}


def unit_order(unit: str) -> tuple:
    """The order units are listed in: communes by level (xã, phường, thị trấn), then by the place's name
    in Vietnamese order ("Tái" before "Tiên", "Đại" after "Dương"); district departments after them."""
    level = commune_level(unit)
    if level is None:
        return (1, 0, vnsort.key(nfc(unit)))
    place = nfc(unit).split(None, 1)[1][len(level):].strip()
    return (0, _LEVEL_RANK.get(level, 3), vnsort.key(place))


def unit_name(settings: dict, fallback: str) -> str:
    """A unit's name as the letters write it: 'UBND xã Tái Sơn' from 'ỦY BAN NHÂN DÂN XÃ TÁI SƠN'.

    A ``unit_name`` setting wins; then the committee's name; then ``fallback``.
    """
    if nfc(settings.get("unit_name", "")):
        return nfc(settings["unit_name"])
    committee = " ".join(nfc(settings.get("committee", "")).split())
    if not committee:
        return nfc(fallback)
    upper = committee.upper()
    for prefix in ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "UBND"):
        if upper.startswith(prefix + " "):
            rest = committee[len(prefix) + 1:]
            if any(rest.upper() == level for level, _ in _LEVELS):
                break  # a level without a name: not a name yet
            for level, lower in _LEVELS:
                if rest.upper().startswith(level + " "):
                    place = rest[len(level) + 1:]
                    place = place.title() if place.isupper() else place
                    return f"UBND {lower} {place}"
            return f"UBND {rest.title() if rest.isupper() else rest}"
    else:
        return committee
    return nfc(fallback)


def sources(paths: Iterable[str | Path]) -> tuple[list[str | Path], list[NotReported]]:
    """The unit files named or found in the folders named, and the server databases named
    (``postgresql://…``, kept as they are); a missing path is a unit not reported."""
    from db.dialect import is_url

    found: list[str | Path] = []
    missing: list[NotReported] = []
    for p in paths:
        if is_url(p):
            found.append(p)
            continue
        p = Path(p)
        try:
            if p.is_dir():
                for child in sorted(p.iterdir()):
                    if child.is_file() and child.suffix.lower() in DB_SUFFIXES + FILE_SUFFIXES:
                        found.append(child)
            elif p.is_file():
                found.append(p)
            else:
                missing.append(NotReported(nfc(p.stem), nfc(str(p)), "không có tệp số liệu"))
        except OSError as exc:
            missing.append(NotReported(nfc(p.stem), nfc(str(p)), f"không đọc được thư mục: {exc.strerror or exc}"))
    return found, missing


def _month_codes(period: Period) -> tuple[str, list[str], str, dt.date]:
    """The month's code, the codes from January to it, the previous month's code, and the first day to read."""
    prev = period.previous()
    codes = [f"{period.start.year}-{m:02d}" for m in range(1, period.start.month + 1)]
    first = min(dt.date(period.start.year, 1, 1), prev.start)
    return period.code, codes, prev.code, first


def read_unit(path: str | Path, period: Period, today: dt.date | None = None,
              names: dict[str, str] | None = None) -> UnitData:
    """One unit's figures for the roll-up of ``period`` (a file, or a database on a server read in
    read-only transactions); raises ``ValueError``, ``StoreError`` or ``sqlite3.Error``. ``names``:
    the units' names the user gave, by file name; they win over any other."""
    from db.rollup import open_readonly, shown_source, source_name, source_stem

    today = today or dt.date.today()
    given = nfc((names or {}).get(source_name(path), ""))
    if not isinstance(path, str) and path.suffix.lower() in FILE_SUFFIXES:
        identity = _file_digest(path)
        store, problems = _file_store(path)
        name = given or nfc(path.stem)
    else:
        store, problems = open_readonly(path), []
    try:
        if isinstance(path, str) or path.suffix.lower() not in FILE_SUFFIXES:
            settings = store.settings()
            for key in ("unit_name", "committee"):
                if settings.get(key) is not None and not isinstance(settings[key], str):
                    raise RollupError(f"tên cơ quan ({'unit_name' if key == 'unit_name' else 'committee'}) lưu "
                                      f"trong cơ sở dữ liệu không phải chữ mà là dữ liệu nhị phân")
            name = given or unit_name(settings, source_stem(path))
            if len(name) > MAX_UNIT_NAME or any(ord(ch) < 32 for ch in name):
                raise RollupError(f"tên cơ quan lưu trong cơ sở dữ liệu dài {vnformat.number(len(name))} ký tự hoặc "
                                  f"có ký tự điều khiển: không phải tên một đơn vị (tối đa "
                                  f"{vnformat.number(MAX_UNIT_NAME)} ký tự)")
            identity = _database_identity(store)
        unit = _unit_from_store(store, name, nfc(shown_source(path)), period, today, problems)
        unit.identity = identity
        unit.file = source_name(path)
        return unit
    finally:
        store.close()


def _file_digest(path: Path) -> str:
    """A case file's size checked against ``MAX_CASE_FILE``, then the digest of its bytes (two copies
    of one file are one unit)."""
    import hashlib

    size = path.stat().st_size
    if size > MAX_CASE_FILE:
        raise RollupError(f"tệp lớn {vnformat.number(size // (1024 * 1024))} MB, quá giới hạn "
                          f"{vnformat.number(MAX_CASE_FILE // (1024 * 1024))} MB của một tệp số liệu đơn vị")
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return "file:" + digest.hexdigest()


def _database_identity(store) -> str | None:
    """The unit database's own id (kept by every copy of it), None for a file from before ids."""
    try:
        found = store.database_id()
    except Exception:  # no such table in a file from before it: no id, the name decides
        return None
    return f"db:{found}" if isinstance(found, str) and found else None


def _file_store(path: Path):
    """A case file read and checked by ``core.files.casefile`` into a store in memory (valid rows only)."""
    from core.files import casefile
    from db.store import Store

    store = Store.memory()
    checked = casefile.check_file(store, path)
    if checked.cases:
        store.insert_cases(checked.cases)
    problems = [str(p) for p in checked.problems]
    return store, problems


def _unit_from_store(store, name: str, source: str, period: Period, today: dt.date,
                     problems: list[str]) -> UnitData:
    from db.rollup import data_end

    _, _, _, first = _month_codes(period)
    unit = UnitData(name, source, problems=problems)
    unit.months = {m: counts for m, counts in store.grouped_counts(first, period.end, "month").items() if m}
    judged = min(period.end, today)
    for case in store.resolved_late(period.start, period.end, limit=1_000_000) + \
            store.overdue_at(period.end, judged, limit=1_000_000):
        f = nfc(case.get("field") or "") or NO_FIELD
        unit.overdue[f] = unit.overdue.get(f, 0) + 1
    unit.data_end = data_end(store)
    return unit


def read_units(paths: Iterable[str | Path], period: Period, today: dt.date | None = None,
               progress: Callable[[int, int, str], None] | None = None,
               names: dict[str, str] | None = None
               ) -> tuple[list[UnitData], list[NotReported], list["Duplicate"]]:
    """Every unit of the sources once, the sources that could not be read (not reported, each with its
    reason: damaged, too large, hostile), and the sources of a unit already read (duplicates)."""
    import sqlite3

    from db.store import StoreError

    from core.files.casefile import CaseFileError
    from db.rollup import shown_source, source_name, source_stem

    files, missing = sources(paths)
    for m in missing:  # a file named but absent: by the name the user gave it, if any
        m.unit = nfc((names or {}).get(Path(m.source).name, "")) or m.unit
    units: list[UnitData] = []

    def given_name(path) -> str:
        return nfc((names or {}).get(source_name(path), ""))

    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), source_name(path))
        what = "tệp" if not isinstance(path, str) and path.suffix.lower() in FILE_SUFFIXES else "cơ sở dữ liệu"
        try:
            units.append(read_unit(path, period, today, names))
        except (StoreError, sqlite3.Error, ValueError, OSError, CaseFileError) as exc:
            reason = "; ".join(map(_problem, getattr(exc, "problems", []))) or _plain(exc)
            missing.append(NotReported(given_name(path) or nfc(source_stem(path)), nfc(shown_source(path)),
                                       f"không đọc được {what}: {reason}"))
        except Exception as exc:  # noqa: BLE001 - one hostile source never stops the roll-up of the others
            missing.append(NotReported(given_name(path) or nfc(source_stem(path)), nfc(shown_source(path)),
                                       f"không đọc được {what}: {_unexpected(exc)}"))
    if progress:
        progress(len(files), len(files), "")
    units, duplicates = _once_each(units)
    seen: dict[str, int] = {}
    for u in units:  # two databases of one name, each its own id: tell them apart by their file names
        seen[u.unit] = seen.get(u.unit, 0) + 1
    for u in units:
        if seen[u.unit] > 1:
            u.unit = f"{u.unit} ({nfc(source_name(u.source))})"
    return units, missing, duplicates


def _problem(p) -> str:
    """A case file's problem as the list of unreadable sources words it (the file's row and column)."""
    if getattr(p, "column", "-") in ("-", "") or getattr(p, "row", 0) <= 1:
        return getattr(p, "reason", str(p))
    return f"dòng {p.row}, cột {p.column}: {p.reason}"


def _plain(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or exc.__class__.__name__


def _unexpected(exc: BaseException) -> str:
    """The reason a source could not be read, for the failures a hostile file can cause."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        return "tệp .xlsx bị hỏng (không phải tệp nén hợp lệ)"
    if isinstance(exc, RecursionError):
        return "cấu trúc lồng nhau quá sâu"
    if isinstance(exc, MemoryError):
        return "tệp quá lớn để đọc"
    return f"tệp bị hỏng hoặc không đúng dạng ({exc.__class__.__name__})"


@dataclass
class Duplicate:
    unit: str
    source: str
    same_as: str
    reason: str


def _same_unit(a: UnitData, b: UnitData) -> str | None:
    """Why two sources are one unit: the same bytes; the same stored identity under the same name (a
    copied database; two offices started from one blank database share an id, not a name); or, one
    of them without an identity (a case file), the same name after NFC."""
    same_name = nfc(a.unit).casefold() == nfc(b.unit).casefold()
    if a.identity and a.identity == b.identity and a.identity.startswith("file:"):
        return "cùng một bản số liệu"
    if (a.identity or "").startswith("db:") and (b.identity or "").startswith("db:"):
        return "cùng một cơ sở dữ liệu (bản sao)" if a.identity == b.identity and same_name else None
    return "cùng tên đơn vị" if same_name else None


def _once_each(units: list[UnitData]) -> tuple[list[UnitData], list[Duplicate]]:
    """Each unit once: of two sources of one unit the one whose data reach further is kept (the
    earlier one when they reach as far); the other is a duplicate, left out of the ranking and the pool."""
    kept: list[UnitData] = []
    duplicates: list[Duplicate] = []
    for u in units:
        i = next((i for i, k in enumerate(kept) if _same_unit(k, u)), None)
        if i is None:
            kept.append(u)
            continue
        first, why = kept[i], _same_unit(kept[i], u)
        if (u.data_end or dt.date.min) > (first.data_end or dt.date.min):
            kept[i], first, u = u, u, first
        duplicates.append(Duplicate(first.unit, u.source, first.source,
                                    f"{why} với {first.source}: chỉ tính một lần"))
    return kept, duplicates


# ---- the result, typed --------------------------------------------------------------------

@dataclass
class RateEntry:
    """One ranked indicator's entry of a unit or of the pooled average (section 6): the counts, the
    rate (None when nothing is counted), the change against the previous month, the gap to the pooled
    average (units only) and the cases whose value is unknown (in neither part of the rate, §3)."""
    indicator: Indicator
    numerator: int
    denominator: int
    rate: float | None
    unknown: int
    change: float | None = None
    gap: float | None = None

    def as_json(self, with_gap: bool) -> dict:
        out = {"numerator": self.numerator, "denominator": self.denominator, "rate": self.rate,
               "unknown": self.unknown, "change": self.change}
        if with_gap:
            out["gap"] = self.gap
        return out

    @classmethod
    def from_json(cls, indicator: Indicator, item: dict) -> "RateEntry":
        return cls(indicator, item["numerator"], item["denominator"], item["rate"], item.get("unknown") or 0,
                   item.get("change"), item.get("gap"))


@dataclass
class RankedRates:
    """The ranked indicators of a unit or of the average, one attribute each in the registry's ranking
    order (``rates.digitized_on_receipt.rate``); ``get`` for a key given as data."""
    digitized_on_receipt: RateEntry
    result_digitized: RateEntry
    online: RateEntry
    on_time: RateEntry
    paid_online: RateEntry

    def get(self, key: str) -> RateEntry:
        if key not in RANKED_KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def entries(self) -> list[RateEntry]:
        """Every entry, in the order of the roll-up's table and letter."""
        return [getattr(self, key) for key in RANKED_KEYS]

    def as_json(self, with_gap: bool = False) -> dict:
        return {e.indicator.key: e.as_json(with_gap) for e in self.entries()}

    @classmethod
    def from_json(cls, data: dict) -> "RankedRates":
        return cls(**{key: RateEntry.from_json(BY_KEY[key], data[key]) for key in RANKED_KEYS})


# a ranked indicator declared without its attribute on RankedRates stops the program here
if tuple(f.name for f in fields(RankedRates)) != RANKED_KEYS:
    raise TypeError("RankedRates must have one attribute per ranked indicator, in the ranking order")


@dataclass
class OverdueField:
    """A unit's overdue cases of the month in one field."""
    field: str
    count: int


@dataclass
class UnitRow:
    """One ranked unit (section 6's ``units``): its rates of the month and from 1 January, its
    e-certified copies, its overdue cases by field; ``reminder`` is the number ``ops.record_rollup``
    gave it (None: not reminded), ``numbered`` whether the reminders were recorded at all."""
    unit: str
    source: str
    file: str
    indicators: RankedRates
    indicators_year: RankedRates
    e_certified_month: int
    e_certified_year: int
    overdue: list[OverdueField]
    data_end: dt.date | None
    reported: bool = True
    invalid_rows: int = 0
    rank: int = 0
    reminder: int | None = None
    numbered: bool = False
    # received cases whose e-certification the unit's data does not give (issue 24): never "none"
    e_certified_unknown_month: int = 0
    e_certified_unknown_year: int = 0

    @property
    def overdue_total(self) -> int:
        return sum(o.count for o in self.overdue)

    def as_json(self) -> dict:
        out = {"unit": self.unit, "source": self.source, "file": self.file,
               "indicators": self.indicators.as_json(with_gap=True),
               "indicators_year": self.indicators_year.as_json(with_gap=True),
               "e_certified_month": self.e_certified_month, "e_certified_year": self.e_certified_year,
               "e_certified_unknown_month": self.e_certified_unknown_month,
               "e_certified_unknown_year": self.e_certified_unknown_year,
               "overdue": [{"field": o.field, "count": o.count} for o in self.overdue],
               "data_end": self.data_end.isoformat() if self.data_end else None,
               "reported": self.reported, "invalid_rows": self.invalid_rows, "rank": self.rank}
        if self.numbered:
            out["reminder"] = self.reminder
        return out

    @classmethod
    def from_json(cls, data: dict) -> "UnitRow":
        return cls(data["unit"], data["source"], data.get("file", ""), RankedRates.from_json(data["indicators"]),
                   RankedRates.from_json(data["indicators_year"]), data["e_certified_month"],
                   data["e_certified_year"], [OverdueField(o["field"], o["count"]) for o in data["overdue"]],
                   dt.date.fromisoformat(data["data_end"]) if data.get("data_end") else None,
                   data.get("reported", True), data.get("invalid_rows", 0), data.get("rank", 0),
                   data.get("reminder"), "reminder" in data, data.get("e_certified_unknown_month", 0),
                   data.get("e_certified_unknown_year", 0))


@dataclass
class RollupResult:
    """What ``compute`` and ``rollup`` return: the month, the pooled averages of the month and from
    1 January, the units in ranking order, the units not reported; ``rollup`` adds the rows each case
    file left out (``problems``, by unit) and the sources of a unit already read (``duplicates``).
    ``as_json`` is the object ``rollup --json`` prints (interfaces.md section 6)."""
    period: Period
    average: RankedRates
    average_year: RankedRates
    units: list[UnitRow]
    not_reported: list[NotReported]
    problems: dict[str, list[str]] | None = None  # None: ``compute`` alone, no source read
    duplicates: list[Duplicate] | None = None

    @property
    def previous(self) -> Period:
        return self.period.previous()

    def as_json(self) -> dict:
        out = {"period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
               "previous": {"from": self.previous.start.isoformat(), "to": self.previous.end.isoformat()},
               "average": self.average.as_json(),
               "average_year": self.average_year.as_json(),
               "units": [r.as_json() for r in self.units],
               "not_reported": [{"unit": m.unit, "source": m.source, "reason": m.reason} for m in self.not_reported]}
        if self.problems is not None:
            out["problems"] = {unit: list(p) for unit, p in self.problems.items()}
        if self.duplicates is not None:
            out["duplicates"] = [{"unit": d.unit, "source": d.source, "same_as": d.same_as, "reason": d.reason}
                                 for d in self.duplicates]
        return out

    @classmethod
    def from_json(cls, data: dict) -> "RollupResult":
        """A result read back from ``as_json``'s shape (a stored ``rollup --json``)."""
        from core.domain import periods

        start = dt.date.fromisoformat(data["period"]["from"])
        dups = data.get("duplicates")
        return cls(periods.month(start.year, start.month), RankedRates.from_json(data["average"]),
                   RankedRates.from_json(data["average_year"]), [UnitRow.from_json(r) for r in data["units"]],
                   [NotReported(m["unit"], m["source"], m["reason"]) for m in data["not_reported"]],
                   {u: list(p) for u, p in data["problems"].items()} if "problems" in data else None,
                   [Duplicate(d["unit"], d["source"], d["same_as"], d["reason"]) for d in dups]
                   if dups is not None else None)


# ---- the figures ------------------------------------------------------------------------

def _sum(months: dict[str, dict[str, int]], codes: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for code in codes:
        for k, v in months.get(code, {}).items():
            out[k] = out.get(k, 0) + (v or 0)
    out["on_time"] = out.get("resolved_early", 0) + out.get("resolved_on_due", 0)
    return out


def _rates(counts: dict[str, int]) -> RankedRates:
    out = {}
    for key in RANKED_KEYS:
        i = BY_KEY[key]
        outside, inside = unknown_of(key, counts)  # unknown values: in neither part of the rate (§3)
        num, den = counts.get(i.numerator, 0), counts.get(i.denominator, 0) - inside
        r = vnformat.rate(num, den)
        out[key] = RateEntry(i, num, den, float(r) if r is not None else None, outside + inside)
    return RankedRates(**out)


def _diff(a: float | None, b: float | None) -> float | None:
    """a − b in percentage points, exact to the cent."""
    if a is None or b is None:
        return None
    return float(Decimal(str(a)) - Decimal(str(b)))


def _short(d: dt.date) -> str:
    """A date inside running text, short as the letters write it: '20/4/2023'."""
    return f"{d.day}/{d.month}/{d.year}"


def compute(units: list[UnitData], period: Period, not_reported: list[NotReported] = (),
            today: dt.date | None = None) -> RollupResult:
    """The roll-up of the month (section 6; ``as_json`` is what ``rollup --json`` prints), units in
    ranking order.

    Beyond section 6: ``average_year`` and each unit's ``indicators_year`` (1 January to the end of
    the month, change against the same up to the previous month), ``rank``, ``source``,
    ``data_end``, ``reported``, ``invalid_rows`` (rows of a case file left out); ``not_reported``.
    """
    if period.kind != "month":
        raise RollupError(f"tổng hợp đơn vị theo tháng: dùng --period YYYY-MM (không phải {period.code!r})")
    month, ytd, prev, _ = _month_codes(period)
    ytd_prev = ytd[:-1]

    def sides(u_months):
        now, before = _rates(_sum(u_months, [month])), _rates(_sum(u_months, [prev]))
        year = _rates(_sum(u_months, ytd))
        year_before = _rates(_sum(u_months, ytd_prev)) if ytd_prev else None
        for key in RANKED_KEYS:
            now.get(key).change = _diff(now.get(key).rate, before.get(key).rate)
            year.get(key).change = _diff(year.get(key).rate, year_before.get(key).rate) if year_before else None
        return now, year

    # Reported or not is what the unit sent, never guessed from its last case's date (issue 27): a
    # source read with cases in it has reported; one holding no case has not, and a unit not
    # reported is neither pooled, ranked nor praised.
    not_reported = list(not_reported)
    empty = [u for u in units if u.data_end is None]
    units = [u for u in units if u.data_end is not None]
    not_reported += [NotReported(u.unit, u.source, "tệp gửi về không có hồ sơ nào") for u in empty]
    pooled: dict[str, dict[str, int]] = {}
    for u in units:
        for code, counts in u.months.items():
            into = pooled.setdefault(code, {})
            for k, v in counts.items():
                into[k] = into.get(k, 0) + (v or 0)
    average, average_year = sides(pooled)

    rows = []
    for u in units:
        now, year = sides(u.months)
        for key in RANKED_KEYS:
            now.get(key).gap = _diff(now.get(key).rate, average.get(key).rate)
            year.get(key).gap = _diff(year.get(key).rate, average_year.get(key).rate)
        rows.append(UnitRow(
            u.unit, u.source, u.file, now, year,
            e_certified_month=_sum(u.months, [month]).get("e_certified", 0),
            e_certified_year=_sum(u.months, ytd).get("e_certified", 0),
            overdue=[OverdueField(f, c) for f, c in sorted(u.overdue.items(), key=lambda x: (-x[1], x[0]))],
            data_end=u.data_end, reported=True, invalid_rows=len(u.problems),
            e_certified_unknown_month=_sum(u.months, [month]).get("ecert_unknown", 0),
            e_certified_unknown_year=_sum(u.months, ytd).get("ecert_unknown", 0)))

    def rank_key(r: UnitRow):
        a, b = r.indicators.digitized_on_receipt.rate, r.indicators.result_digitized.rate
        return (a is None, -(a or 0), b is None, -(b or 0), vnsort.key(r.unit))

    rows.sort(key=rank_key)
    for i, r in enumerate(rows, 1):
        r.rank = i
    return RollupResult(period, average, average_year, rows, not_reported)


def rollup(paths: Iterable[str | Path], period: Period, today: dt.date | None = None,
           known: Iterable[str] = (), progress: Callable[[int, int, str], None] | None = None,
           names: dict[str, str] | None = None) -> RollupResult:
    """Read the sources and compute; ``known`` units (ranked before) absent now are not reported;
    ``names``: the units' names the user gave, by file name."""
    if period.kind != "month":
        raise RollupError(f"tổng hợp đơn vị theo tháng: dùng --period YYYY-MM (không phải {period.code!r})")
    units, missing, duplicates = read_units(paths, period, today, progress, names)
    seen = {u.unit for u in units} | {m.unit for m in missing}
    missing += [NotReported(nfc(k), "", "không gửi tệp số liệu") for k in known
                if nfc(k) not in seen and not looks_like_code(k)]
    result = compute(units, period, missing, today)
    result.problems = {u.unit: u.problems[:20] for u in units if u.problems}
    result.duplicates = duplicates
    return result


# ---- lists of the letter ----------------------------------------------------------------

def _vn(rows: list[UnitRow]) -> list[UnitRow]:
    return sorted(rows, key=lambda r: unit_order(r.unit))


def praised(result: RollupResult) -> list[UnitRow]:
    """Units at 100% for both digitization rates in the month, in Vietnamese order."""
    return _vn([r for r in result.units
                if r.indicators.digitized_on_receipt.rate == 100 and r.indicators.result_digitized.rate == 100])


def _below(result: RollupResult, key: str) -> list[UnitRow]:
    if result.average.get(key).rate is None:
        return []
    return [r for r in result.units if r.indicators.get(key).rate is not None
            and r.indicators.get(key).gap is not None and r.indicators.get(key).gap < 0]


def _by_rate(key: str):
    return lambda r: (r.indicators.get(key).rate, vnsort.key(r.unit))


def below_average(result: RollupResult, key: str) -> tuple[list[UnitRow], list[UnitRow]]:
    """Units below the pooled average for ``key``: (rising against the previous month, not rising),
    lowest rate first; a unit without a previous month is in neither (``below_average_new``)."""
    rows = [r for r in _below(result, key) if r.indicators.get(key).change is not None]
    rising = [r for r in rows if r.indicators.get(key).change > 0]
    falling = [r for r in rows if r.indicators.get(key).change <= 0]
    return sorted(rising, key=_by_rate(key)), sorted(falling, key=_by_rate(key))


def below_average_new(result: RollupResult, key: str) -> list[UnitRow]:
    """Units below the pooled average for ``key`` with nothing to compare in the previous month."""
    return sorted((r for r in _below(result, key) if r.indicators.get(key).change is None), key=_by_rate(key))


def without_e_certification(result: RollupResult) -> tuple[list[UnitRow], list[UnitRow]]:
    """Communes (district departments certify no copies) with no e-certified copy since 1 January;
    those with some this year but none this month; each in Vietnamese order."""
    communes = [r for r in result.units if is_commune(r.unit)]
    # a unit whose data do not say (a file without the column) is in neither list: unknown is not "none"
    year = [r for r in communes if r.e_certified_year == 0 and not r.e_certified_unknown_year]
    month = [r for r in communes if r.e_certified_year > 0 and r.e_certified_month == 0
             and not r.e_certified_unknown_month]
    return _vn(year), _vn(month)


def overdue_units(result: RollupResult) -> list[UnitRow]:
    out = [r for r in result.units if r.overdue]
    return sorted(out, key=lambda r: (-r.overdue_total, vnsort.key(r.unit)))


def reminded_units(result: RollupResult, departments: bool = False) -> list[UnitRow]:
    """The units a letter reminds (numbered "Nhắc nhở lần …"): communes with overdue cases; district
    departments too when ``departments`` (seed 001 reminds the commune, not the department)."""
    return [r for r in overdue_units(result) if departments or is_commune(r.unit)]


def unnamed(result: RollupResult) -> list[dict]:
    """Units (and units not reported) known only by a file name that looks like a code: {unit, file}."""
    rows = [{"unit": r.unit, "file": r.file or r.unit} for r in result.units]
    rows += [{"unit": m.unit, "file": m.unit} for m in result.not_reported]
    return [r for r in rows if looks_like_code(r["unit"])]


def unit_names(store) -> dict[str, str]:
    """The units' names the roll-up office's user gave, by file name (remembered)."""
    return store.rollup.unit_names()


def known_units(store, period: Period) -> list[str]:
    """Units the office ranked last month or later (absent now: not reported)."""
    return store.rollup.known_units(period.previous().code)


# ---- the pooled averages back to the units ------------------------------------------

def averages_file(result: RollupResult, issuer: str = "") -> bytes:
    """The small file a unit's window imports into its district averages."""
    data = {"kind": AVERAGES_KIND, "month": result.period.code, "issuer": issuer,
            "averages": {e.indicator.key: e.rate for e in result.average.entries() if e.rate is not None}}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _nesting(data: bytes) -> int:
    """How deep the brackets of a JSON text go (outside its strings), counted without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x7D, 0x5D):
            depth -= 1
    return deepest


def read_averages(data: bytes, today: dt.date | None = None) -> tuple[str, dict[str, float]]:
    """(month, {indicator: rate}) from an averages file; ``RollupError`` with a plain reason otherwise.
    Its schema: at most ``MAX_AVERAGES_FILE`` bytes, two levels deep, the keys ``kind``, ``month``
    (a month from 2000 to the end of next year), ``issuer`` and ``averages`` (indicator: rate 0…100)."""
    if len(data) > MAX_AVERAGES_FILE:
        raise RollupError(f"tệp lớn {vnformat.number(len(data))} byte, quá giới hạn "
                          f"{vnformat.number(MAX_AVERAGES_FILE)} byte của một tệp mức bình quân chung")
    if _nesting(data) > 2:  # {"averages": {…}}: two levels, no more
        raise RollupError("cấu trúc lồng nhau quá sâu: không phải tệp mức bình quân chung của Một Cửa")
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RollupError(f"tệp không đọc được: {exc}") from None
    if not isinstance(obj, dict) or obj.get("kind") != AVERAGES_KIND:
        raise RollupError("không phải tệp mức bình quân chung của Một Cửa")
    extra = set(obj) - {"kind", "month", "issuer", "averages"}
    if extra:
        raise RollupError(f"mục {', '.join(sorted(map(repr, extra)))} không có trong tệp mức bình quân chung")
    issuer = obj.get("issuer", "")
    if not isinstance(issuer, str) or len(issuer) > 300:
        raise RollupError("mục issuer (đơn vị gửi) phải là chữ, không quá 300 ký tự")
    month = obj.get("month")
    if not isinstance(month, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise RollupError(f"tháng {month!r} không hợp lệ")
    from core.domain import periods

    y, m = map(int, month.split("-"))
    try:
        periods.within(periods.month(y, m), f"{m}/{y}", today)
    except periods.PeriodError as exc:
        raise RollupError(f"tháng {m}/{y} nằm ngoài khoảng chương trình nhận ({periods.accepted_range(today)})") \
            from exc
    averages = obj.get("averages")
    if not isinstance(averages, dict):
        raise RollupError("thiếu mục averages")
    out = {}
    for key, value in averages.items():
        if key not in RANKED_KEYS:
            raise RollupError(f"chỉ số {key!r} không có trong danh mục")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise RollupError(f"{key}: {value!r} không phải tỷ lệ từ 0 đến 100")
        out[key] = float(value)
    return month, out
