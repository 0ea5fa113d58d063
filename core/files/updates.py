"""The update notice: is there a newer version at the address the office set?

Not an updater: the program reads one small version file, at most once a day or when asked, and
says "Đã có phiên bản …" with where the office keeps the installer. Nothing is downloaded or
installed by itself; there is no background service. No address is set by default (the program then
never looks anywhere).

The address is a web address (``http://may-chu/motcua/version.txt``) or a file in a shared folder
(``\\\\MAY-CHU\\PhanMem\\MotCua\\version.txt``, ``S:\\PhanMem\\version.txt``, ``/mnt/phanmem/version.txt``).
The file is JSON ``{"version": "0.2.0", "where": "…", "note": "…"}`` or plain text, the version
on the first line and where to get it on the second::

    0.2.0
    \\\\MAY-CHU\\PhanMem\\MotCua\\MotCua-0.2.0-setup.exe

Without ``where`` the notice points at the file's own folder (or the address).
"""
from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from core.domain.version import __version__, is_newer, parse

MAX_BYTES = 64 * 1024  # a version file is a few lines: never read more
TIMEOUT = 5.0


class UpdateCheckError(Exception):
    """The version file could not be read or understood (said in Vietnamese, never fatal)."""


@dataclass(frozen=True)
class Release:
    version: str
    where: str
    note: str = ""

    def notice(self, current: str = __version__) -> str:
        text = (f"Đã có phiên bản {self.version} của Một Cửa (máy này đang dùng {current}). "
                f"Lấy bản cài tại: {self.where}")
        return text + (f"\n{self.note}" if self.note else "")


def is_web(source: str) -> bool:
    return urllib.parse.urlsplit(source.strip()).scheme.lower() in ("http", "https")


def read_release(source: str, *, timeout: float = TIMEOUT) -> Release:
    """Read the version file at ``source`` (a web address or a file path)."""
    source = source.strip()
    if not source:
        raise UpdateCheckError("Chưa đặt địa chỉ kiểm tra phiên bản mới.")
    try:
        if is_web(source):
            request = urllib.request.Request(source, headers={"User-Agent": f"MotCua/{__version__}",
                                                              "Cache-Control": "no-cache"})
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                raw = response.read(MAX_BYTES + 1)
        else:
            path = Path(source[7:] if source.lower().startswith("file://") else source)
            with open(path, "rb") as f:
                raw = f.read(MAX_BYTES + 1)
    except OSError as exc:  # URLError, timeouts and a missing share are all OSErrors
        reason = getattr(exc, "reason", None) or exc.strerror or exc
        raise UpdateCheckError(f"Không đọc được tệp phiên bản ở {source}: {reason}. "
                               "Kiểm tra mạng hoặc thư mục dùng chung rồi thử lại.") from exc
    if len(raw) > MAX_BYTES:
        raise UpdateCheckError(f"Tệp ở {source} quá lớn để là tệp phiên bản.")
    return parse_release(raw.decode("utf-8-sig", errors="replace"), source)


def parse_release(text: str, source: str = "") -> Release:
    """The release a version file describes (JSON or two lines of text)."""
    version = where = note = ""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError as exc:
            raise UpdateCheckError(f"Tệp phiên bản ở {source} không đúng dạng JSON: {exc}.") from exc
        version, where, note = (str(data.get(k, "") or "").strip() for k in ("version", "where", "note"))
    else:
        lines = [line.strip() for line in stripped.splitlines() if line.strip()]
        version = lines[0] if lines else ""
        where = lines[1] if len(lines) > 1 else ""
        note = " ".join(lines[2:])
    if parse(version) is None:
        raise UpdateCheckError(f"Tệp phiên bản ở {source} không ghi số phiên bản (như 0.2.0).")
    return Release(version, where or _folder_of(source), note)


def _folder_of(source: str) -> str:
    if is_web(source):
        return urllib.parse.urljoin(source, ".")
    return str(Path(source).parent) if source else ""


def due(last_checked: str | None, today: dt.date | None = None) -> bool:
    """At most once a day: True unless a check was already made today (``last_checked`` is ISO)."""
    today = today or dt.date.today()
    try:
        return dt.date.fromisoformat((last_checked or "")[:10]) != today
    except ValueError:
        return True


def newer_release(source: str, current: str = __version__, *, timeout: float = TIMEOUT) -> Release | None:
    """The release at ``source`` when it is newer than ``current``, else None (errors raise)."""
    release = read_release(source, timeout=timeout)
    return release if is_newer(release.version, current) else None
