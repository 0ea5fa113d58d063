"""Text that a spreadsheet shows and never runs: the one guard every export uses.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is taken for a formula by Excel and LibreOffice (OWASP "CSV injection"):
an applicant named ``=HYPERLINK("http://…")`` would become a live link. In a CSV
such text is written with a leading apostrophe, which a spreadsheet shows as
text; the case-file import takes the apostrophe off again, so an export still
round-trips. In an XLSX every text cell is written as a string cell.
"""
from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """``value`` as a CSV export writes it: risky text behind an apostrophe, anything else as it is."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """The text a guarded CSV cell stands for (the import's side of ``csv_text``)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def append_row(ws, values) -> None:
    """``ws.append(values)`` for an openpyxl sheet, every text kept a string cell, never a formula,
    and printable (``core.domain.textsafe``: no control character, at most a cell's length)."""
    from core.domain.textsafe import XLSX_CELL, printable

    ws.append([printable(v, XLSX_CELL) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.data_type = "s"


def save_workbook(wb, path) -> None:
    """An openpyxl workbook built in memory, then written in one go: zipfile writing straight to a
    full disk fails again when the half-closed archive is collected ("Exception ignored … Errno 28")."""
    import io
    from pathlib import Path

    buf = io.BytesIO()
    wb.save(buf)
    with Path(path).open("wb") as fh:
        fh.write(buf.getbuffer())
