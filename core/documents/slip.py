"""The receipt slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) printed for one case."""
from __future__ import annotations

import datetime as dt

from core.documents import base as documents
from core.domain import vnformat
from core.documents.base import esc

DEFAULT_PAPERS = {
    "Chứng thực": ["Bản chính giấy tờ cần chứng thực", "Bản sao giấy tờ cần chứng thực"],
    "Hộ tịch": ["Tờ khai theo mẫu", "Giấy tờ tùy thân của người yêu cầu (xuất trình)"],
    "Đất đai": ["Đơn đề nghị theo mẫu", "Giấy chứng nhận quyền sử dụng đất (bản sao)"],
}


def default_papers(field: str | None) -> list[str]:
    return DEFAULT_PAPERS.get(field or "", ["Đơn (tờ khai) theo mẫu", "Giấy tờ kèm theo theo quy định"])


def _time_and_day(time_text: str | None, day: dt.date) -> str:
    if time_text and ":" in time_text:
        hour, minute = time_text.split(":")[:2]
        return f"{int(hour)} giờ {int(minute):02d} phút, {vnformat.date_text(day)}"
    return f"…… giờ …… phút, {vnformat.date_text(day)}"


QR_SCALE = 4  # pixels a module in the PNG; printed at 2,2 cm whatever the scale


def qr_png(code: str) -> bytes:
    """The QR code of a case code as PNG (segno): scanned back into the register's search it opens the case."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=QR_SCALE, border=2)
    return buffer.getvalue()


def render(case: dict, settings: dict, papers: list[str] | None = None) -> bytes:
    from reportlab.platypus import Paragraph, Spacer

    from reportlab.lib.styles import ParagraphStyle

    st = documents.styles()
    st["body"] = ParagraphStyle("slip_body", st["body"], spaceAfter=3)
    P = Paragraph
    received = dt.date.fromisoformat(case["received_date"])
    due = dt.date.fromisoformat(case["due_date"])
    office = settings.get("office_name") or "Bộ phận Một cửa"
    papers = papers if papers is not None else [p for p in (case.get("papers") or "").splitlines() if p.strip()]
    papers = papers or default_papers(case.get("field"))
    story = [documents.header(settings, st), documents.date_line(settings, received, st),
             P("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", st["title"]),
             _code_with_qr(case["code"], st), Spacer(1, 8),
             P(f"{esc(office)} – {esc(documents.committee_in_text(settings))} đã tiếp nhận hồ sơ của:",
               st["body"]),
             P(f"Ông/Bà: <b>{esc(case['applicant'] or '……………………………………')}</b>", st["body"]),
             P(f"Nội dung yêu cầu giải quyết: {esc(case['procedure'])}", st["body"]),
             P("Thành phần hồ sơ nộp gồm:", st["body"])]
    for i, paper in enumerate(papers, 1):
        story.append(P(f"{i}. {esc(paper)}", st["body"]))
    days = case.get("processing_days")
    story += [
        P("Số lượng hồ sơ: 01 (bộ).", st["body"]),
        P(f"Thời gian giải quyết hồ sơ theo quy định: "
          f"{'trong ngày' if days == 0 else f'{vnformat.number(days)} ngày làm việc' if days else '……'}.",
          st["body"]),
        P(f"Thời gian nhận hồ sơ: {_time_and_day(case.get('received_time'), received)}.", st["body"]),
        P(f"Thời gian trả kết quả giải quyết hồ sơ: {vnformat.date_text(due)}.", st["body"]),
        P(f"Hình thức nộp: {'trực tiếp' if case['channel'] == 1 else 'trực tuyến' if case['channel'] == 2 else 'qua bưu chính'}."
          f" Đăng ký nhận kết quả tại: {esc(office)}.", st["body"]),
        Spacer(1, 14),
        documents.signatures([("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", case["applicant"] or ""),
                              ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", case["officer"])], st),
    ]
    return documents.build(story, f"Giấy tiếp nhận hồ sơ {case['code']}")


def _code_with_qr(code: str, st):
    """The case code in words and as a QR code beside it, for a scanner at the desk."""
    import io

    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, Table, TableStyle

    image = Image(io.BytesIO(qr_png(code)), width=2.2 * cm, height=2.2 * cm)
    table = Table([[Paragraph(f"Mã hồ sơ: <b>{esc(code)}</b>", st["center"]), image]],
                  colWidths=[None, 2.4 * cm], hAlign="CENTER")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table
