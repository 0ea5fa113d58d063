"""``rollup --period P SOURCE… [--out FILE.xlsx|.pdf|.docx] [--text] [--json] [--averages FILE]`` and the XLSX."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from core.domain import periods
from core.queries import rollup
from core.documents import rollup_letter
from core.domain import vnformat
from core.domain.indicators import BY_KEY, DIGITIZED_ON_RECEIPT, RANKED_KEYS, RESULT_DIGITIZED

OK, BAD_INPUT = 0, 1


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def run(store, args) -> int:
    try:
        period = periods.parse(args.period)
        if period.kind != "month":
            raise rollup.RollupError(f"tổng hợp đơn vị theo tháng: dùng --period YYYY-MM, không phải {args.period!r}")
    except (periods.PeriodError, rollup.RollupError) as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".pdf", ".docx"):
        _err(f"Lỗi: --out {out.name}: chỉ ghi .xlsx, .pdf hoặc .docx")
        return BAD_INPUT
    try:
        sections = rollup_letter.sections_from(getattr(args, "with_sections", None),
                                               getattr(args, "without_sections", None))
    except rollup.RollupError as exc:
        _err(f"Lỗi: {exc}")
        return BAD_INPUT
    given: dict[str, str] = {}
    for item in getattr(args, "names", None) or []:
        file, sep, name = item.partition("=")
        if not sep or not file.strip() or not name.strip():
            _err(f"Lỗi: --name {item!r}: viết TỆP=TÊN, vd. 'xa-hong-phong.csv=UBND xã Hồng Phong'")
            return BAD_INPUT
        given[Path(file.strip()).name] = " ".join(name.split())
    names = names_for(store, given)
    if names is None:
        return BAD_INPUT
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if tty:
            print(f"\rĐọc số liệu đơn vị {vnformat.number(done)}/{vnformat.number(total)}", end="",
                  file=sys.stderr, flush=True)

    result = rollup.rollup(args.sources, period, known=rollup.known_units(store, period), progress=progress,
                           names=names)
    if tty:
        print(file=sys.stderr)
    if not result.units:
        _err("Lỗi: không đọc được số liệu của đơn vị nào.", *(f"{m.unit}: {m.reason}" for m in result.not_reported))
        return BAD_INPUT
    from core import ops
    from db.audit import PermissionDenied
    from db.errors import StoreError

    try:
        ops.record_rollup(store, result, "reminders_departments" in sections)
    except (StoreError, PermissionDenied) as exc:  # a read-only office file: the letter without numbers
        _err(f"Không ghi được số lần nhắc nhở vào {store.path}: {exc}")
    for d in result.duplicates or ():
        _err(f"{d.unit}: {d.source} {d.reason}")
    for unit, problems in (result.problems or {}).items():
        _err(f"{unit}: bỏ qua các dòng lỗi ({problems[0]}{' …' if len(problems) > 1 else ''})")
    try:
        letter = rollup_letter.draft(result, store.settings(), sections=sections)
    except rollup.UnnamedUnits as exc:  # a letter never prints a file name: the user names the units
        if args.text or (out is not None and out.suffix.lower() in (".pdf", ".docx")):
            _err(f"Lỗi: {exc}")
            return BAD_INPUT
        letter = None
        if out is not None:
            _err(f"Bảng tính không kèm dự thảo công văn: {exc}")
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    if args.text:
        print(rollup_letter.as_text(letter), end="")
    try:
        if out is not None:
            data = render(out.suffix.lower(), result, letter)
            _write(out, data)
            _err(f"Đã ghi tổng hợp {period.label} ({vnformat.number(len(result.units))} đơn vị) vào {out}.")
        if getattr(args, "averages", None):
            _write(Path(args.averages), rollup.averages_file(result, rollup.unit_name(store.settings(), "")))
            _err(f"Đã ghi mức bình quân chung {period.label} vào {args.averages}.")
    except (OSError, StoreError) as exc:  # named by its cause: a file open in Word, a full disk…
        _err(f"Không ghi được tệp: {exc}")
        return BAD_INPUT
    if not (args.json or args.text or out):
        print(summary(result))
    return OK


def names_for(store, given: dict[str, str]) -> dict[str, str] | None:
    """The units' names remembered in this office's file with those given now (kept for next time when
    the file may be written); None after saying why a name cannot be used."""
    from core import ops
    from db.audit import PermissionDenied
    from db.errors import StoreError

    if given:
        try:
            ops.set_rollup_unit_names(store, given)
        except ops.OpRefused as exc:
            _err(f"Lỗi: {exc}")
            return None
        except (StoreError, PermissionDenied) as exc:
            _err(f"Không nhớ được tên đơn vị vào {store.path}: {exc} (dùng cho lần này)")
    return {**rollup.unit_names(store), **given}


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all, readable by its owner only, like every output (``core.files.output``)."""
    from core.files.output import write_atomically

    write_atomically(path, data)


def render(suffix: str, result: rollup.RollupResult, letter: rollup_letter.Letter | None) -> bytes:
    if suffix == ".xlsx":
        return xlsx(result, letter)
    return rollup_letter.pdf(letter) if suffix == ".pdf" else rollup_letter.docx(letter)


def summary(result: rollup.RollupResult) -> str:
    """A short ranking table for the terminal."""
    lines = [f"{'Hạng':>4}  {'Đơn vị':<36} {'Số hoá TN':>10} {'Số hoá KQ':>10} {'Quá hạn':>8}"]
    avg = result.average
    lines.append(f"{'':>4}  {'Bình quân chung':<36} "
                 f"{vnformat.percent(avg.digitized_on_receipt.rate, strip=False):>10} "
                 f"{vnformat.percent(avg.result_digitized.rate, strip=False):>10}")
    for r in result.units:
        ind = r.indicators
        lines.append(f"{r.rank:>4}  {r.unit[:36]:<36} "
                     f"{vnformat.percent(ind.digitized_on_receipt.rate, strip=False):>10} "
                     f"{vnformat.percent(ind.result_digitized.rate, strip=False):>10} "
                     f"{vnformat.number(r.overdue_total):>8}")
    for m in result.not_reported:
        lines.append(f"Chưa báo cáo: {m.unit} ({m.reason})")
    for d in result.duplicates or ():
        lines.append(f"Trùng, tính một lần: {d.unit} ({d.source}: {d.reason})")
    return "\n".join(lines)


# ---- XLSX -----------------------------------------------------------------------------

def safe(text) -> str:
    """A text cell that a spreadsheet never takes for a formula (=, +, -, @ first get a quote)."""
    from core.domain.textsafe import XLSX_CELL, printable

    text = printable("" if text is None else str(text), XLSX_CELL - 1)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def xlsx(result: rollup.RollupResult, letter: rollup_letter.Letter | None = None) -> bytes:
    """The ranking (month and from 1 January, with the average row), the lists, and the draft letter."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    pct = wb.add_format({"num_format": "0.00", "border": 1})
    num = wb.add_format({"num_format": "#,##0", "border": 1})
    txt = wb.add_format({"border": 1})
    avg_fmt = wb.add_format({"bold": True, "num_format": "0.00", "border": 1, "bg_color": "#EEF3FA"})

    def cell(ws, r, c, value, fmt=txt):
        if value is None:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(r, c, value, fmt)
        else:
            ws.write_string(r, c, safe(value), fmt)

    for sheet, year in (("Xếp hạng tháng", False), ("Từ đầu năm", True)):
        ws = wb.add_worksheet(sheet)
        head = ["Hạng", "Đơn vị"]
        for k in RANKED_KEYS:
            s = BY_KEY[k].short
            head += [f"{s}: số hồ sơ đạt", f"{s}: tổng số", f"{s} (%)", f"{s}: tăng/giảm (điểm %)",
                     f"{s}: so với bình quân chung (điểm %)"]
        head += ["Chứng thực điện tử trong tháng", "Chứng thực điện tử từ đầu năm", "Hồ sơ quá hạn",
                 "Nhắc nhở lần", "Số liệu đến ngày", "Đã báo cáo"]
        for c, h in enumerate(head):
            ws.write_string(0, c, h, bold)
        ws.set_row(0, 60)
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 34)
        ws.set_column(2, len(head), 11)
        ws.freeze_panes(2, 2)
        row = [None, "Bình quân chung"]
        for a in (result.average_year if year else result.average).entries():
            row += [a.numerator, a.denominator, a.rate, a.change, None]
        for c, v in enumerate(row):
            cell(ws, 1, c, v, avg_fmt)
        for i, r in enumerate(result.units, start=2):
            values = [r.rank, r.unit]
            for a in (r.indicators_year if year else r.indicators).entries():
                values += [a.numerator, a.denominator, a.rate, a.change, a.gap]
            values += [r.e_certified_month, r.e_certified_year, r.overdue_total, r.reminder,
                       vnformat.date_short(r.data_end), "có" if r.reported else "chưa"]
            for c, v in enumerate(values):
                fmt = pct if isinstance(v, float) else (num if isinstance(v, int) else txt)
                cell(ws, i, c, v, fmt)
        ws.autofilter(0, 0, len(result.units) + 1, len(head) - 1)

    ws = wb.add_worksheet("Danh sách")
    ws.set_column(0, 0, 50)
    ws.set_column(1, 3, 28)
    r = 0

    def block(title: str, header: list[str], rows: list[list]) -> None:
        nonlocal r
        ws.write_string(r, 0, f"{title} ({vnformat.number(len(rows))})", bold)
        r += 1
        for c, h in enumerate(header):
            ws.write_string(r, c, h, bold)
        r += 1
        for values in rows:
            for c, v in enumerate(values):
                cell(ws, r, c, v)
            r += 1
        r += 1

    block("Đạt 100% cả hai tỷ lệ số hoá", ["Đơn vị", "Số hoá khi tiếp nhận", "Số hoá kết quả"],
          [[u.unit, _frac(u.indicators.digitized_on_receipt), _frac(u.indicators.result_digitized)]
           for u in rollup.praised(result)])
    for k in (DIGITIZED_ON_RECEIPT.key, RESULT_DIGITIZED.key):
        rising, falling = rollup.below_average(result, k)
        for title, rows in (("tăng so với tháng trước", rising), ("không tăng so với tháng trước", falling)):
            block(f"{BY_KEY[k].short}: thấp hơn bình quân chung, {title}",
                  ["Đơn vị", "Tỷ lệ (%)", "Tăng/giảm (điểm %)", "Thấp hơn bình quân chung (điểm %)"],
                  [[u.unit, u.indicators.get(k).rate, u.indicators.get(k).change, -u.indicators.get(k).gap]
                   for u in rows])
    year, month = rollup.without_e_certification(result)
    block("Chưa thực hiện chứng thực điện tử từ đầu năm", ["Đơn vị"], [[u.unit] for u in year])
    block("Không thực hiện chứng thực điện tử trong tháng", ["Đơn vị"], [[u.unit] for u in month])
    block("Hồ sơ quá hạn theo đơn vị và lĩnh vực", ["Đơn vị", "Lĩnh vực", "Số hồ sơ", "Nhắc nhở lần"],
          [[u.unit, o.field, o.count, u.reminder] for u in rollup.overdue_units(result) for o in u.overdue])
    block("Chưa báo cáo", ["Đơn vị", "Lý do", "Tệp"],
          [[m.unit, m.reason, m.source] for m in result.not_reported])

    if letter is not None:
        ws = wb.add_worksheet("Dự thảo công văn")
        ws.set_column(0, 0, 120)
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        for i, p in enumerate(letter.paragraphs):
            ws.write_string(i, 0, safe(rollup_letter.paragraph_text(p, marks=False)), wrap)
    wb.close()
    return buf.getvalue()


def _frac(item: rollup.RateEntry) -> str:
    return vnformat.fraction(item.numerator, item.denominator)
