"""The receipt slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) printed for one case."""
from __future__ import annotations

import datetime as dt

from core.documents import official
from core.domain import vnformat

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
QR_MM = 22


def qr_png(code: str) -> bytes:
    """The QR code of a case code as PNG (segno): scanned back into the register's search it opens the case."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=QR_SCALE, border=2)
    return buffer.getvalue()


def document(case: dict, settings: dict, papers: list[str] | None = None) -> official.Document:
    """The slip of one case: its code in words and as a QR code, the papers handed in, the dates."""
    received = dt.date.fromisoformat(case["received_date"])
    due = dt.date.fromisoformat(case["due_date"])
    office = settings.get("office_name") or "Bộ phận Một cửa"
    papers = papers if papers is not None else [p for p in (case.get("papers") or "").splitlines() if p.strip()]
    papers = papers or default_papers(case.get("field"))
    days = case.get("processing_days")
    channel = "trực tiếp" if case["channel"] == 1 else "trực tuyến" if case["channel"] == 2 else "qua bưu chính"
    lines = [
        official.para(f"{office} – {official.committee_in_text(settings)} đã tiếp nhận hồ sơ của:"),
        official.para("Ông/Bà: ", official.B(official.shortened(case["applicant"]) or "……………………………………")),
        official.para(f"Nội dung yêu cầu giải quyết: {official.shortened(case['procedure'], official.TEXT_CHARS)}"),
        official.para("Thành phần hồ sơ nộp gồm:"),
        *[official.para(f"{i}. {official.shortened(paper, official.TEXT_CHARS)}") for i, paper in enumerate(papers, 1)],
        official.para("Số lượng hồ sơ: 01 (bộ)."),
        official.para("Thời gian giải quyết hồ sơ theo quy định: "
                      f"{'trong ngày' if days == 0 else f'{vnformat.number(days)} ngày làm việc' if days else '……'}."),
        official.para(f"Thời gian nhận hồ sơ: {_time_and_day(case.get('received_time'), received)}."),
        official.para(f"Thời gian trả kết quả giải quyết hồ sơ: {vnformat.date_text(due)}."),
        official.para(f"Hình thức nộp: {channel}. Đăng ký nhận kết quả tại: {office}."),
    ]
    for line in lines:
        line.indent = False
    hint = "(Ký và ghi rõ họ tên)"
    return official.from_settings(
        settings, day=received, kind="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        body=[_code_with_qr(case["code"]), *lines],
        co_signatures=[official.Signature(["NGƯỜI NỘP HỒ SƠ"], case["applicant"] or "", hint)],
        signature=official.Signature(["NGƯỜI TIẾP NHẬN HỒ SƠ"], case["officer"] or "", hint),
        meta_title=f"Giấy tiếp nhận hồ sơ {case['code']}")


def render(case: dict, settings: dict, papers: list[str] | None = None) -> bytes:
    """The slip as a PDF (see ``document``)."""
    return official.render_pdf(document(case, settings, papers))


def _code_with_qr(code: str) -> official.Table:
    """The case code in words and as a QR code beside it (2,2 cm), for a scanner at the desk."""
    # the code centred on the page, the QR code just right of it
    return official.Table([["", official.para("Mã hồ sơ: ", official.B(code), align="center", indent=False),
                            official.Image(qr_png(code), width=QR_MM / official.FRAME_MM)]],
                          [0.3, 0.4, 0.3], header_rows=0, align=["left", "center", "left"], ruled=False,
                          size=official.BODY_PT)
