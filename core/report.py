"""The period report: figures by field, the indicators, the narrative paragraph, PDF and XLSX."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from core import indicators, vnformat
from core.dashboard import RATE_KEYS
from core.periods import Period

# how the narrative names each rate, as the letters do (a view of core.indicators.REGISTRY)
NARRATIVE_NAMES = indicators.NARRATIVE_NAMES
FIELD_COLUMNS = ("total", "carried_over", "direct", "online", "postal", "resolved", "resolved_early",
                 "resolved_on_due", "resolved_late", "open", "open_within", "open_overdue")


@dataclass
class FieldRow:
    name: str
    values: dict[str, int]


@dataclass
class Report:
    period: Period
    previous: Period
    cumulative: Period | None  # from 1 January, when it differs from the period
    settings: dict
    current: dict  # indicators.compute of the period
    before: dict  # of the previous period
    to_date: dict | None  # of the cumulative period
    fields: list[FieldRow]
    total: FieldRow
    overdue: list[dict]
    late: list[dict]
    months: list[str]
    monthly: dict
    monthly_targets: dict
    e_certified_monthly: list[int]

    @property
    def title(self) -> str:
        return f"BÁO CÁO KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH {self.period.label.upper()}"


def _field_values(counts: dict) -> dict[str, int]:
    new = counts["received"]
    return {
        "total": new + counts["carried_over"], "carried_over": counts["carried_over"],
        "direct": counts["direct"], "online": counts["online_received"], "postal": counts["postal"],
        "resolved": counts["resolved"], "resolved_early": counts["resolved_early"],
        "resolved_on_due": counts["resolved_on_due"], "resolved_late": counts["resolved_late"],
        "open": counts["open"], "open_within": counts["open"] - counts["open_overdue"],
        "open_overdue": counts["open_overdue"],
    }


def _counts(store, period: Period, field_id: int | None, today: dt.date) -> dict:
    c = store.indicator_counts(period.start, period.end, field_id=field_id, today=today)
    c["online_received"] = c["online"]
    return c


def build(store, period: Period, today: dt.date | None = None) -> Report:
    from core import dashboard

    today = today or dt.date.today()
    current = indicators.compute(store, period, today=today)
    previous = period.previous()
    before = indicators.compute(store, previous, today=today)
    ytd = period.year_to_date()
    cumulative = None if ytd.start == period.start else ytd
    to_date = indicators.compute(store, ytd, today=today) if cumulative else None
    rows = []
    for f in store.fields():
        values = _field_values(_counts(store, period, f["id"], today))
        if any(values.values()):
            rows.append(FieldRow(f["name"], values))
    total = FieldRow("Tổng cộng", _field_values(_counts(store, period, None, today)))
    judged = min(period.end, today)
    months, monthly, targets, counts = dashboard.monthly_series(store, period.end)
    return Report(period, previous, cumulative, store.settings(), current, before, to_date, rows, total,
                  store.overdue_at(period.end, judged), store.resolved_late(period.start, period.end),
                  months, monthly, targets, counts["e_certified"])


# ---- the narrative --------------------------------------------------------------------------

def _rate_phrase(item: dict) -> str:
    return (f"{vnformat.fraction(item['numerator'], item['denominator'])} hồ sơ, "
            f"đạt {vnformat.percent(item['rate'])}")


def narrative(r: Report) -> str:
    """The paragraph in the style of the commune letters (seeds/003)."""
    office = r.settings.get("office_name") or "Bộ phận Một cửa"
    main = r.to_date if r.cumulative else r.current
    label = r.period.label
    parts = []
    for key in RATE_KEYS:
        item = main["indicators"][key]
        if not item["denominator"]:
            continue
        phrase = f"{NARRATIVE_NAMES[key]} là {_rate_phrase(item)}"
        inner = r.current["indicators"][key]
        details = []
        if r.cumulative and inner["denominator"]:
            details.append(f"{label} là {_rate_phrase(inner)}")
        prev = r.before["indicators"][key]
        if inner["rate"] is not None and prev["rate"] is not None:
            change = vnformat.change(round(inner["rate"] - prev["rate"], 2))
            details.append(f"{change} so với {r.previous.label}" if change != "không thay đổi"
                           else f"không thay đổi so với {r.previous.label}")
        if details:
            phrase += f" ({'; '.join(details)})"
        parts.append(phrase)
    c = main["counts"]
    n = vnformat.number
    opening = (f"Tính đến {vnformat.date_text(r.period.end)}, {office} đã tiếp nhận {n(c['received'])} hồ sơ"
               if r.cumulative else f"Trong {label}, {office} đã tiếp nhận {n(c['received'])} hồ sơ")
    if r.cumulative:
        opening += f" ({label} là {n(r.current['counts']['received'])} hồ sơ)"
    opening += f", giải quyết {n(c['resolved'])} hồ sơ"
    text = opening + ("; " + "; ".join(parts) if parts else "") + "."
    certified = main["indicators"]["e_certified"]["count"]
    e_text = f" Thực hiện {n(certified)} bản chứng thực điện tử bản sao từ bản chính"
    if r.cumulative:
        e_text += f" ({label} là {n(r.current['indicators']['e_certified']['count'])} bản)"
    text += e_text + "." if certified else " Chưa thực hiện chứng thực điện tử bản sao từ bản chính."

    under = [(NARRATIVE_NAMES[k], main["indicators"][k]) for k in RATE_KEYS
             if main["indicators"][k]["rate"] is not None and main["indicators"][k]["rate"] < main["indicators"][k]["target"]]
    if under:
        text += " Các chỉ tiêu chưa đạt: " + "; ".join(
            f"{name} ({vnformat.percent(item['rate'])}, chỉ tiêu {vnformat.percent(item['target'])})"
            for name, item in under) + "."
    late_fields: dict[str, int] = {}
    for case in r.late:
        late_fields[case["field"] or "không rõ lĩnh vực"] = late_fields.get(case["field"] or "không rõ lĩnh vực", 0) + 1
    overdue_fields: dict[str, int] = {}
    for case in r.overdue:
        key = case["field"] or "không rõ lĩnh vực"
        overdue_fields[key] = overdue_fields.get(key, 0) + 1
    if late_fields:
        text += f" Trong {label} còn để xảy ra hồ sơ giải quyết quá hạn: " + ", ".join(
            f"lĩnh vực {name} ({n(count)} hồ sơ)" for name, count in sorted(late_fields.items(), key=lambda t: -t[1])) + "."
    if overdue_fields:
        text += f" Đến hết {label} còn {n(len(r.overdue))} hồ sơ quá hạn chưa giải quyết: " + ", ".join(
            f"lĩnh vực {name} ({n(count)} hồ sơ)" for name, count in sorted(overdue_fields.items(), key=lambda t: -t[1])) + "."
    if not late_fields and not overdue_fields:
        text += f" Không có hồ sơ quá hạn trong {label}."
    return text


# ---- PDF ------------------------------------------------------------------------------------

def _field_table(r: Report, st) -> list:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from core import documents

    small = ParagraphStyle("tiny", st["cell_c"], fontSize=8.5, leading=9.5)
    small_l = ParagraphStyle("tiny_l", small, alignment=0)
    head = ParagraphStyle("tiny_h", small, fontName=documents.FONT + "-Bold")
    P = Paragraph
    rows = [
        [P("Lĩnh vực", head), P("Tiếp nhận", head), "", "", "", "", P("Đã giải quyết", head), "", "", "",
         P("Đang giải quyết", head), "", ""],
        ["", P("Tổng số", head), P("Kỳ trước chuyển sang", head), P("Trực tiếp", head), P("Trực tuyến", head),
         P("Bưu chính", head), P("Tổng số", head), P("Trước hạn", head), P("Đúng hạn", head), P("Quá hạn", head),
         P("Tổng số", head), P("Trong hạn", head), P("Quá hạn", head)],
    ]
    for row in (*r.fields, r.total):
        style = head if row is r.total else small
        rows.append([P(row.name, head if row is r.total else small_l),
                     *[P(vnformat.number(row.values[k]), style) for k in FIELD_COLUMNS]])
    widths = [0.16] + [0.84 / 12] * 12
    return [documents.grid(rows, widths, header_rows=2, extra=[
        ("LEFTPADDING", (1, 0), (-1, -1), 1.5), ("RIGHTPADDING", (1, 0), (-1, -1), 1.5),
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (5, 0)), ("SPAN", (6, 0), (9, 0)), ("SPAN", (10, 0), (12, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), "#eeeeee"), ("BACKGROUND", (0, -1), (-1, -1), "#f5f5f5")])]


def _indicator_table(r: Report, st) -> list:
    from reportlab.platypus import Paragraph

    from core import documents

    P = Paragraph
    rows = [[P(h, st["head_c"]) for h in ("Chỉ số", "Hồ sơ", "Tỷ lệ", "Chỉ tiêu", r.previous.label.capitalize(),
                                          "Thay đổi")]]
    for key, (name, _, den) in indicators.INDICATORS.items():
        item, prev = r.current["indicators"][key], r.before["indicators"][key]
        if den is None:
            rows.append([P(name, st["cell"]), P(vnformat.number(item["count"]) + " bản", st["cell_c"]), "", "",
                         P(vnformat.number(prev["count"]) + " bản", st["cell_c"]), ""])
            continue
        change = "" if item["rate"] is None or prev["rate"] is None else vnformat.change(
            round(item["rate"] - prev["rate"], 2))
        rows.append([P(name, st["cell"]), P(vnformat.fraction(item["numerator"], item["denominator"]), st["cell_c"]),
                     P(vnformat.percent(item["rate"], strip=False), st["cell_c"]),
                     P(vnformat.percent(item["target"]), st["cell_c"]),
                     P(vnformat.percent(prev["rate"], strip=False), st["cell_c"]), P(change, st["cell_c"])])
    return [documents.grid(rows, [0.38, 0.14, 0.11, 0.1, 0.13, 0.14])]


PDF_LIST_ROWS = 100  # the PDF lists this many cases of each kind; the XLSX lists them all


def _case_table(cases: list[dict], st, resolved: bool, judged: dt.date) -> list:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from core import documents

    small = ParagraphStyle("list", st["cell"], fontSize=9.5, leading=11)
    small_c = ParagraphStyle("list_c", small, alignment=1)
    P = Paragraph
    last = "Ngày có KQ" if resolved else "Số ngày quá hạn"
    rows = [[P(h, st["head_c"]) for h in ("Mã hồ sơ", "Thủ tục", "Người nộp", "Cán bộ", "Hẹn trả", last)]]
    for c in cases[:PDF_LIST_ROWS]:
        due = dt.date.fromisoformat(c["due_date"])
        tail = (vnformat.date_short(dt.date.fromisoformat(c["resolved_date"])) if resolved
                else vnformat.number((judged - due).days))
        rows.append([P(c["code"], small), P(documents.esc(c["procedure"]), small),
                     P(documents.esc(c["applicant"]), small), P(documents.esc(c["officer"]), small),
                     P(vnformat.date_short(due), small_c), P(tail, small_c)])
    out = [documents.grid(rows, [0.16, 0.3, 0.14, 0.14, 0.13, 0.13])]
    if len(cases) > PDF_LIST_ROWS:
        out.append(P(f"<i>… và {vnformat.number(len(cases) - PDF_LIST_ROWS)} hồ sơ khác (xem đủ trong tệp XLSX "
                     f"của báo cáo).</i>", st["small"]))
    return out


def chart_png(r: Report) -> bytes:
    from core import charts

    fig = charts.monthly_rates(r.months, r.monthly, r.monthly_targets, r.e_certified_monthly,
                               f"Các tỷ lệ 12 tháng đến hết tháng {r.period.end.month}/{r.period.end.year}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130)
    return buffer.getvalue()


def render_pdf(r: Report, day: dt.date | None = None) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer

    from core import documents

    st = documents.styles()
    P = Paragraph
    story = [documents.header(r.settings, st), documents.date_line(r.settings, day or dt.date.today(), st),
             P(documents.esc(r.title), st["title"]),
             P(f"<i>(Từ {vnformat.date_text(r.period.start)} đến {vnformat.date_text(r.period.end)})</i>",
               st["center"]), Spacer(1, 6),
             P(documents.esc(narrative(r)), st["body"]),
             P("1. Tình hình tiếp nhận, giải quyết hồ sơ theo lĩnh vực", st["heading"]), *_field_table(r, st),
             P("2. Các chỉ số", st["heading"]), *_indicator_table(r, st)]
    png = chart_png(r)
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    width = documents.FRAME_WIDTH
    story += [P("3. Diễn biến 12 tháng", st["heading"]),
              Image(io.BytesIO(png), width=width, height=width * h / w)]
    story.append(P(f"4. Hồ sơ quá hạn chưa giải quyết đến hết {r.period.label} "
                   f"({vnformat.number(len(r.overdue))} hồ sơ)", st["heading"]))
    judged = min(r.period.end, day or dt.date.today())
    story += _case_table(r.overdue, st, False, judged) if r.overdue else [P("Không có.", st["body"])]
    story.append(P(f"5. Hồ sơ giải quyết quá hạn trong {r.period.label} ({vnformat.number(len(r.late))} hồ sơ)",
                   st["heading"]))
    story += _case_table(r.late, st, True, judged) if r.late else [P("Không có.", st["body"])]
    story += [Spacer(1, 10 * mm // 3), KeepTogether(documents.signatures([
        ("NGƯỜI LẬP BÁO CÁO", "(Ký, ghi rõ họ tên)", ""),
        ("CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)", r.settings.get("chairman") or "")], st))]
    return documents.build(story, r.title, on_later_pages=documents.page_number)


# ---- XLSX -----------------------------------------------------------------------------------

FIELD_HEADERS = ("Tiếp nhận: tổng số", "Kỳ trước chuyển sang", "Trực tiếp", "Trực tuyến", "Bưu chính",
                 "Đã giải quyết: tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết: tổng số",
                 "Trong hạn", "Quá hạn")


def to_xlsx(r: Report, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Theo lĩnh vực"
    ws.append([r.title])
    ws["A1"].font = Font(bold=True)
    ws.append(["Lĩnh vực", *FIELD_HEADERS])
    for row in (*r.fields, r.total):
        ws.append([row.name, *[row.values[k] for k in FIELD_COLUMNS]])
    ws.column_dimensions["A"].width = 28
    ws = wb.create_sheet("Chỉ số")
    ws.append(["Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Chỉ tiêu (%)", f"{r.previous.label} (%)",
               "Thay đổi (điểm %)"])
    for key, (name, _, den) in indicators.INDICATORS.items():
        item, prev = r.current["indicators"][key], r.before["indicators"][key]
        if den is None:
            ws.append([name + " (số bản)", item["count"], None, None, None, prev["count"]])
        else:
            change = None if item["rate"] is None or prev["rate"] is None else round(item["rate"] - prev["rate"], 2)
            ws.append([name, item["numerator"], item["denominator"], item["rate"], item["target"], prev["rate"],
                       change])
    ws.column_dimensions["A"].width = 52
    for title, cases in (("Quá hạn chưa giải quyết", r.overdue), ("Giải quyết quá hạn", r.late)):
        ws = wb.create_sheet(title)
        ws.append(["Mã hồ sơ", "Thủ tục", "Lĩnh vực", "Người nộp", "Cán bộ", "Ngày nhận", "Hẹn trả", "Ngày có KQ"])
        for c in cases:
            ws.append([c["code"], c["procedure"], c["field"], c["applicant"], c["officer"], c["received_date"],
                       c["due_date"], c["resolved_date"]])
    ws = wb.create_sheet("Nội dung")
    ws.append([narrative(r)])
    wb.save(path)
