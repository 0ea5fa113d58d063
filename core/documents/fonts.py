"""The printed documents' typeface. Nghị định 30/2020 names Times New Roman: the PDFs use it where the
system has it (every Windows office PC does: ``C:\\Windows\\Fonts\\times*.ttf``; on Linux the
``ttf-mscorefonts`` files), and otherwise Liberation Serif, its metric twin with every Vietnamese
diacritic, bundled with its licence. Registered once with reportlab as a family, so ``<b>`` and ``<i>``
in a paragraph pick the bold and italic files. ``used()`` names the face, which the PDF's and the Word
file's properties state. The Word files name Times New Roman (Word on the office PC has it).
"""
from __future__ import annotations

import os
from pathlib import Path

FONT = "TimesVN"
DOCX_FONT = "Times New Roman"
TIMES = "Times New Roman"
TWIN = "Liberation Serif"

_registered: str | None = None

# the four faces of Times New Roman by the names Windows and the Linux packages give them
_TIMES_FILES = {
    "Regular": ("times.ttf", "Times_New_Roman.ttf", "Times New Roman.ttf"),
    "Bold": ("timesbd.ttf", "Times_New_Roman_Bold.ttf", "Times New Roman Bold.ttf"),
    "Italic": ("timesi.ttf", "Times_New_Roman_Italic.ttf", "Times New Roman Italic.ttf"),
    "BoldItalic": ("timesbi.ttf", "Times_New_Roman_Bold_Italic.ttf", "Times New Roman Bold Italic.ttf"),
}


def _font_dirs() -> list[Path]:
    """Where the system keeps its fonts; ``MOTCUA_FONT_DIRS`` (separated by the path separator) first."""
    dirs = [Path(p) for p in os.environ.get("MOTCUA_FONT_DIRS", "").split(os.pathsep) if p]
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [Path("/usr/share/fonts/truetype/msttcorefonts"), Path("/usr/share/fonts/truetype/msttcorefonts/"),
             Path("/usr/share/fonts/TTF"), Path("/Library/Fonts"), Path.home() / ".fonts",
             Path.home() / ".local/share/fonts"]
    return dirs


def times_files() -> dict[str, Path] | None:
    """The four Times New Roman files of this system, or None when one is missing."""
    found: dict[str, Path] = {}
    dirs = [d for d in _font_dirs() if d.is_dir()]
    for face, names in _TIMES_FILES.items():
        for d in dirs:
            hit = next((d / n for n in names if (d / n).is_file()), None)
            if hit is None:  # case-insensitive file systems aside, Windows may store TIMES.TTF
                lowered = {n.lower() for n in names}
                hit = next((p for p in d.iterdir() if p.name.lower() in lowered), None)
            if hit is not None:
                found[face] = hit
                break
        else:
            return None
    return found


def register() -> str:
    """Register the four faces with reportlab (once); returns the typeface used."""
    global _registered
    if _registered:
        return _registered
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont, TTFError

    from resources import font

    files = times_files()
    name = TIMES
    faces = {}
    try:
        if files is None:
            raise TTFError("no Times New Roman")
        for suffix, face in (("", "Regular"), ("-Bold", "Bold"), ("-Italic", "Italic"), ("-BoldItalic", "BoldItalic")):
            faces[suffix] = TTFont(FONT + suffix, str(files[face]))
    except (TTFError, OSError, KeyError):
        name, faces = TWIN, {}
        for suffix, face in (("", "Regular"), ("-Bold", "Bold"), ("-Italic", "Italic"),
                             ("-BoldItalic", "BoldItalic")):
            faces[suffix] = TTFont(FONT + suffix, str(font(f"LiberationSerif-{face}.ttf")))
    for f in faces.values():
        pdfmetrics.registerFont(f)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic",
                                  boldItalic=FONT + "-BoldItalic")
    for bold, italic, suffix in ((0, 0, ""), (1, 0, "-Bold"), (0, 1, "-Italic"), (1, 1, "-BoldItalic")):
        addMapping(FONT, bold, italic, FONT + suffix)
    _registered = name
    return name


def used() -> str:
    """The typeface the PDFs are printed in on this system: 'Times New Roman' or 'Liberation Serif'."""
    return register()


def note() -> str:
    """What a document's properties say of its typeface."""
    face = used()
    if face == TIMES:
        return "Phông chữ: Times New Roman"
    return "Phông chữ: Liberation Serif (cùng kích thước chữ với Times New Roman; máy này không có Times New Roman)"


def text_width(text: str, bold: bool, size: float) -> float:
    """The printed width of ``text`` in points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register()
    return stringWidth(text, FONT + ("-Bold" if bold else ""), size)
