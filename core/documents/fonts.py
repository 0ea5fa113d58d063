"""The printed documents' typeface: Liberation Serif (metric-compatible with Times New Roman, every
Vietnamese diacritic), bundled with its licence and registered once with reportlab as a family, so
``<b>`` and ``<i>`` in a paragraph pick the bold and italic files. The Word files name Times New Roman.
"""
from __future__ import annotations

FONT = "TimesVN"
DOCX_FONT = "Times New Roman"

_registered = False


def register() -> None:
    """Register the four faces with reportlab (once)."""
    global _registered
    if _registered:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from resources import font

    for suffix, file in (("", "Regular"), ("-Bold", "Bold"), ("-Italic", "Italic"),
                         ("-BoldItalic", "BoldItalic")):
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(font(f"LiberationSerif-{file}.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic",
                                  boldItalic=FONT + "-BoldItalic")
    for bold, italic, suffix in ((0, 0, ""), (1, 0, "-Bold"), (0, 1, "-Italic"), (1, 1, "-BoldItalic")):
        addMapping(FONT, bold, italic, FONT + suffix)
    _registered = True


def text_width(text: str, bold: bool, size: float) -> float:
    """The printed width of ``text`` in points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register()
    return stringWidth(text, FONT + ("-Bold" if bold else ""), size)
