"""The roll-up's draft letter laid out by ``core.documents.official`` (Nghị định 30/2020) as PDF or DOCX bytes."""
from __future__ import annotations

from core.documents import official
from core.documents.rollup_letter import Letter

_MARKS = {"item": "- ", "subitem": "+ "}


def document(letter: Letter) -> official.Document:
    """The letter as an official document: a công văn with its 'V/v' summary, signed as the office details say."""
    settings = letter.settings
    body: list = []
    for p in letter.paragraphs:
        if p.style == "heading":
            body.append(official.Heading(p.text))
            continue
        runs = [official.Run(r.text, bold=r.bold, italic=r.italic) for r in p.runs]
        if p.style in _MARKS:
            runs.insert(0, official.Run(_MARKS[p.style]))
        body.append(official.Paragraph(runs))
    about = letter.subject[4:] if letter.subject.startswith("V/v ") else letter.subject
    return official.from_settings(
        settings, committee=letter.committee or settings.get("committee") or "ỦY BAN NHÂN DÂN",
        parent=letter.parent, symbol=official.document_symbol(settings), about=about,
        recipients=list(letter.recipients), body=body, receivers=list(letter.receivers),
        signature=official.signature_from(settings, for_committee=False), meta_title=letter.subject)


def pdf(letter: Letter) -> bytes:
    return official.render_pdf(document(letter))


def docx(letter: Letter) -> bytes:
    return official.render_docx(document(letter))
