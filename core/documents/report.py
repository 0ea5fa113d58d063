"""The period report as documents: the official report (PDF and DOCX from one ``official.Document``)
and the XLSX workbook, all rendered from the read model ``core.queries.report.Report``."""
from __future__ import annotations

import datetime as dt
import io

from core.domain import vnformat
from core.queries.report import FIELD_COLUMNS, Report, _short_label, _span, narrative, narrative_parts


# ---- the document (PDF and DOCX from the same data) ------------------------------------------

def _field_table(r: Report):
    from core.documents import official

    heads = ["Tổng số", "Từ kỳ trước", "Trực tiếp", "Trực tuyến", "Bưu chính", "Tổng số", "Trước hạn",
             "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn", "Rút hồ sơ", "Từ chối", "Dừng giải quyết"]
    rows = [["Lĩnh vực", "Tiếp nhận", "", "", "", "", "Đã giải quyết", "", "", "", "Đang giải quyết", "", "",
             "Kết thúc khác", "", ""], ["", *heads]]
    for row in (*r.fields, r.total):
        rows.append([row.name, *[vnformat.number(row.values[k]) for k in FIELD_COLUMNS]])
    n = len(FIELD_COLUMNS)
    return official.Table(rows, [0.13] + [0.87 / n] * n, header_rows=2,
                          spans=[(0, 0, 1, 0), (0, 1, 0, 5), (0, 6, 0, 9), (0, 10, 0, 12), (0, 13, 0, 15)],
                          align=["left"] + ["center"] * n, bold_rows=[len(rows) - 1], size=8, padding=1)


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]  # 'Quý II/2025', never 'Quý ii/2025'


def _indicator_table(r: Report):
    """The period's indicators against their targets, and the change of the compared part (the period, or
    for a range from 1 January the month of its end) against the period compared with."""
    from core.documents import official

    part = r.inner if r.inner is not None and r.inner != r.period else None
    shown = r.inner_figures if part else r.current
    head = ["Chỉ số", "Hồ sơ", "Tỷ lệ", "Chỉ tiêu"] + ([_capital(_short_label(part, r.ended.year))] if part else [])
    rows = [head + [_capital(r.previous.label), "Thay đổi"]]
    for item in r.current.entries():
        key, name = item.indicator.key, item.indicator.name
        inner, prev = shown.get(key), r.before.get(key)
        if not item.indicator.is_rate:
            rows.append([f"{name} ({item.unknown_text})" if item.unknown else name,
                         "chưa có số liệu" if item.no_data else vnformat.number(item.count) + " bản", "", ""]
                        + ([vnformat.number(inner.count) + " bản"] if part else [])
                        + [vnformat.number(prev.count) + " bản", ""])
            continue
        change = "" if inner.rate is None or prev.rate is None else vnformat.change(
            round(inner.rate - prev.rate, 2))
        rows.append([f"{name} ({item.unknown_text})" if item.unknown else name,
                     vnformat.fraction(item.numerator, item.denominator),
                     "chưa có số liệu" if item.no_data else vnformat.percent(item.rate, strip=False),
                     vnformat.percent(item.target)]
                    + ([vnformat.percent(inner.rate, strip=False)] if part else [])
                    + [vnformat.percent(prev.rate, strip=False), change])
    widths = [0.31, 0.13, 0.1, 0.09, 0.11, 0.11, 0.15] if part else [0.38, 0.14, 0.11, 0.1, 0.13, 0.14]
    return official.Table(rows, widths, align=["left"] + ["center"] * (len(widths) - 1), size=10.5)


PDF_LIST_ROWS = 100  # the documents list this many cases of each kind; the XLSX lists them all



def _satisfaction_table(r: Report) -> list:
    from core.documents import official

    n = vnformat.number
    rows = [["Cán bộ", "Hài lòng", "Bình thường", "Không hài lòng", "Phản ánh"]]
    for name, c in sorted(r.satisfaction.items()):
        rows.append([name, *[n(c[k]) for k in ("good", "fair", "poor", "complaints")]])
    return [official.Table(rows, [0.4, 0.15, 0.15, 0.15, 0.15], align=["left"] + ["center"] * 4)]


def _case_table(cases: list[dict], resolved: bool, judged: dt.date) -> list:
    from core.documents import official

    last = "Ngày có KQ" if resolved else "Số ngày quá hạn"
    rows = [["Mã hồ sơ", "Thủ tục", "Người nộp", "Cán bộ", "Hẹn trả", last]]
    for c in cases[:PDF_LIST_ROWS]:
        due = dt.date.fromisoformat(c["due_date"])
        tail = (vnformat.date_short(dt.date.fromisoformat(c["resolved_date"])) if resolved
                else vnformat.number((judged - due).days))
        rows.append([c["code"], c["procedure"] or "", c["applicant"] or "", c["officer"] or "",
                     vnformat.date_short(due), tail])
    out = [official.Table(rows, [0.16, 0.3, 0.14, 0.14, 0.13, 0.13],
                          align=["left", "left", "left", "left", "center", "center"], size=9.5)]
    if len(cases) > PDF_LIST_ROWS:
        out.append(official.para(official.I(f"… và {vnformat.number(len(cases) - PDF_LIST_ROWS)} hồ sơ khác "
                                            "(xem đủ trong tệp XLSX của báo cáo)."), indent=False, size=11))
    return out


def chart_png(r: Report) -> bytes:
    from core.documents import charts

    fig = charts.monthly_rates(r.months, r.monthly, r.monthly_targets, r.e_certified_monthly,
                               f"Các tỷ lệ 12 tháng đến hết tháng {r.period.end.month}/{r.period.end.year}",
                               size=(7.2, 5.6))  # about the width of an A4 frame: labels print at size
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130)
    return buffer.getvalue()


DEFAULT_RECEIVERS = ("Chủ tịch, các PCT UBND xã;", "Lưu: VT.")


def receivers(settings: dict) -> list[str]:
    """'Nơi nhận' of a report: the parent agency when there is one, then the office's stored list."""
    from core.documents import official

    stored = [line.strip() for line in (settings.get("report_receivers") or "").splitlines() if line.strip()]
    out = stored or list(DEFAULT_RECEIVERS)
    parent = official.agency_in_text(settings.get("parent") or "")
    if parent and not stored:
        out.insert(0, f"{parent} (để b/c);")
    return out


def document(r: Report, day: dt.date | None = None, chart: bool = True):
    """The report as an official document (Nghị định 30/2020): the same data for the PDF and the DOCX."""
    from core.documents import official

    s = r.settings
    runs = [official.Run(text, italic=italic) for text, italic in narrative_parts(r)]
    judged = r.ended
    body = [official.Paragraph(runs),
            official.Heading("1. Tình hình tiếp nhận, giải quyết hồ sơ theo lĩnh vực"), _field_table(r),
            official.Heading("2. Các chỉ số"), _indicator_table(r)]
    if chart:
        body += [official.Heading("3. Diễn biến 12 tháng"), official.Image(chart_png(r))]
    body.append(official.Heading(f"4. Hồ sơ quá hạn chưa giải quyết đến hết ngày {vnformat.date_brief(judged)}"
                                 + (f" ({vnformat.padded(len(r.overdue))} hồ sơ)" if r.overdue else "")))
    body += _case_table(r.overdue, False, judged) if r.overdue else [official.para("Không có.")]
    body.append(official.Heading(f"5. Hồ sơ giải quyết quá hạn {_span(r)}"
                                 + (f" ({vnformat.padded(len(r.late))} hồ sơ)" if r.late else "")))
    body += _case_table(r.late, True, judged) if r.late else [official.para("Không có.")]
    if r.satisfaction:
        body += [official.Heading(f"6. Đánh giá của người dân {_span(r)}"), *_satisfaction_table(r)]
    return official.from_settings(
        s, symbol=official.document_symbol(s, "BC"), day=day or dt.date.today(), kind="BÁO CÁO",
        title=r.summary, subtitle=f"(Từ ngày {vnformat.date_short(r.period.start)} "
                                  f"đến ngày {vnformat.date_short(judged)})",
        body=body, receivers=receivers(s), signature=official.signature_from(s, for_committee=True),
        meta_title=r.title)


CHECK_LINE = "Mã kiểm tra nhật ký: {}"  # the audit chain's check code at the foot of every page


def render_pdf(r: Report, day: dt.date | None = None, check_code: str = "") -> bytes:
    from core.documents import official

    doc = document(r, day)
    doc.footer = CHECK_LINE.format(check_code) if check_code else ""
    return official.render_pdf(doc)


def render_docx(r: Report, day: dt.date | None = None, check_code: str = "") -> bytes:
    from core.documents import official

    doc = document(r, day)
    doc.footer = CHECK_LINE.format(check_code) if check_code else ""
    return official.render_docx(doc)


# ---- XLSX -----------------------------------------------------------------------------------

FIELD_HEADERS = ("Tiếp nhận: tổng số", "Kỳ trước chuyển sang", "Trực tiếp", "Trực tuyến", "Bưu chính",
                 "Đã giải quyết: tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết: tổng số",
                 "Trong hạn", "Quá hạn", "Rút hồ sơ", "Từ chối", "Dừng giải quyết")


def to_xlsx(r: Report, path) -> None:
    from openpyxl import Workbook

    from core.files.spreadsheet import append_row, save_workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Theo lĩnh vực"
    append_row(ws, [r.title])
    ws["A1"].font = Font(bold=True)
    append_row(ws, ["Lĩnh vực", *FIELD_HEADERS])
    for row in (*r.fields, r.total):
        append_row(ws, [row.name, *[row.values[k] for k in FIELD_COLUMNS]])
    ws.column_dimensions["A"].width = 28
    ws = wb.create_sheet("Chỉ số")
    append_row(ws, ["Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Chỉ tiêu (%)", f"{r.previous.label} (%)",
               "Thay đổi (điểm %)", "Chưa có số liệu (hồ sơ)"])
    for item in r.current.entries():
        key, name = item.indicator.key, item.indicator.name
        prev = r.before.get(key)
        part = (r.inner_figures if r.inner is not None else r.current).get(key)  # what was compared
        if not item.indicator.is_rate:
            append_row(ws, [name + " (số bản)", item.count, None, None, None, prev.count])
        else:
            change = None if part.rate is None or prev.rate is None else round(part.rate - prev.rate, 2)
            append_row(ws, [name, item.numerator, item.denominator, item.rate, item.target, prev.rate,
                       change, item.unknown or 0])
    ws.column_dimensions["A"].width = 52
    for title, cases in (("Quá hạn chưa giải quyết", r.overdue), ("Giải quyết quá hạn", r.late)):
        ws = wb.create_sheet(title)
        append_row(ws, ["Mã hồ sơ", "Thủ tục", "Lĩnh vực", "Người nộp", "Cán bộ", "Ngày nhận", "Hẹn trả", "Ngày có KQ"])
        for c in cases:
            append_row(ws, [c["code"], c["procedure"], c["field"], c["applicant"], c["officer"], c["received_date"],
                       c["due_date"], c["resolved_date"]])
    ws = wb.create_sheet("Nội dung")
    append_row(ws, [narrative(r)])
    save_workbook(wb, path)
    from db.store import make_private

    make_private(path)  # readable by its owner only
