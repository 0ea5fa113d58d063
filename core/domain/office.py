"""The office's details (settings): the one set of rules the first run and the catalogues page share."""
from __future__ import annotations


MULTILINE = {"report_receivers"}  # details written one item a line


def office_values(values: dict[str, str]) -> dict[str, str]:
    """The details as they are kept: spaces single, document symbols and the signer's title in capitals."""
    out = {k: " ".join(str(v or "").split()) for k, v in values.items() if k not in MULTILINE}
    for key in MULTILINE & set(values):  # one receiver a line: each line's spaces single, empty lines gone
        out[key] = "\n".join(" ".join(line.split()) for line in str(values[key] or "").splitlines() if line.strip())
    for key in ("signer_title", "doc_symbol", "doc_unit"):
        if key in out:
            out[key] = out[key].upper()
    return out


def office_problems(values: dict[str, str]) -> list[str]:
    """What is wrong with the office's details, worded for the user; empty when they may be saved.

    Only the keys given are checked, so a form showing some of them checks those.
    """
    out = []
    if "committee" in values and not (values["committee"] or "").strip():
        out.append("Nhập tên cơ quan, ví dụ ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ.")
    if "unit_code" in values:
        code = (values["unit_code"] or "").strip()
        if not code or not code.replace("-", "").isalnum():
            out.append("Mã đơn vị chỉ gồm chữ và số, ví dụ PK.")
    for key in ("doc_symbol", "doc_unit"):
        symbol = (values.get(key) or "").strip()
        if symbol and not symbol.replace("-", "").replace("&", "").isalnum():
            out.append("Ký hiệu trong số văn bản chỉ gồm chữ và số, ví dụ UBND, VP.")
            break
    if values.get("sign_mode") in ("KT", "Q") and not (values.get("signer_name") or "").strip():
        out.append("Nhập họ tên người ký thay (KT.) hoặc quyền chủ tịch (Q.).")
    retention = (values.get("applicant_retention_years") or "").strip()
    if retention and not (retention.isdigit() and 1 <= int(retention) <= 100):
        out.append("Số năm giữ tên người nộp là một số nguyên từ 1 đến 100, hoặc để trống.")
    return out
