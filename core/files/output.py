"""Writing the office's files out: whole or not at all, and a file open in Word or Excel named as such.

Every document the program saves (reports, letters, spreadsheets, exports, case files) goes through
``write_atomically``: the content is written to a temporary file in the target's folder, flushed to
the disk, then put in the target's place in one step (``os.replace``). A failure anywhere leaves the
old file as it was and no temporary file behind.

On Windows a file open in Word or Excel cannot be replaced: ``os.replace`` raises
``PermissionError`` (errno 13; WinError 32, a sharing violation, or 5). That becomes ``FileInUse``,
"Tệp … đang mở trong Word/Excel: đóng tệp rồi thử lại". A full disk, a read-only folder or a
missing right become the named errors of ``db.errors`` (``DiskFull``, ``ReadOnly``, ``NoPermission``),
worded once for the database and the documents alike.
"""
from __future__ import annotations

import errno
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from db import errors
from db.store import make_private

# the program that holds a file of each kind open, as the person at the desk knows it
_OPENED_IN = {".docx": "Word", ".doc": "Word", ".rtf": "Word", ".odt": "Word",
              ".xlsx": "Excel", ".xls": "Excel", ".csv": "Excel", ".ods": "Excel",
              ".pdf": "trình đọc PDF"}
WINDOWS_SHARING_VIOLATION, WINDOWS_LOCK_VIOLATION, WINDOWS_ACCESS_DENIED = 32, 33, 5


class FileInUse(errors.StoreError):
    """The target is open in another program (Word, Excel, a PDF reader) that does not let it be replaced."""

    def __init__(self, path: Path, detail: str = ""):
        self.path = Path(path)
        self.program = _OPENED_IN.get(self.path.suffix.lower(), "một chương trình khác")
        super().__init__(f"Tệp {self.path.name} đang mở trong {self.program}: đóng tệp rồi thử lại. "
                         f"Chưa ghi gì, tệp cũ vẫn nguyên vẹn ({self.path.parent})."
                         + (f" ({detail})" if detail else ""))


Content = bytes | str | Callable[[Path], object]


def write_atomically(path: str | os.PathLike, data: Content, *, encoding: str = "utf-8",
                     attempts: int = 5, pause: float = 0.2) -> Path:
    """Write ``data`` to ``path`` whole or not at all; return the path.

    ``data`` is the content (bytes, or text in ``encoding``) or a function that writes the file
    at the path it is given (``lambda tmp: workbook.save(tmp)``; the temporary path keeps the
    target's suffix, for libraries that choose the format by it). Putting the file in place is tried
    ``attempts`` times ``pause`` seconds apart (an antivirus scanning the new file holds it a moment).
    """
    target = Path(path)
    tmp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
    try:
        try:
            if callable(data):
                data(tmp)
                _fsync(tmp)
            else:
                raw = data.encode(encoding) if isinstance(data, str) else bytes(data)
                with open(tmp, "wb") as f:
                    f.write(raw)
                    f.flush()
                    os.fsync(f.fileno())
        except OSError as exc:
            raise _named(exc, target, replacing=False) from exc
        make_private(tmp)  # every output readable by its owner only (personal data)
        for attempt in range(attempts):
            try:
                os.replace(tmp, target)
                break
            except PermissionError as exc:
                if attempt + 1 >= attempts:
                    raise _named(exc, target, replacing=True) from exc
                time.sleep(pause)
            except OSError as exc:
                raise _named(exc, target, replacing=True) from exc
    except BaseException:
        _remove(tmp)
        raise
    return target


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _remove(tmp: Path) -> None:
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    except OSError:  # pragma: no cover - nothing more can be done; the name says it is temporary
        pass


def _named(exc: OSError, target: Path, *, replacing: bool) -> BaseException:
    """The named error for a failed write of ``target``."""
    winerror = getattr(exc, "winerror", None)
    if winerror in (WINDOWS_SHARING_VIOLATION, WINDOWS_LOCK_VIOLATION):
        return FileInUse(target, exc.strerror or "")
    if isinstance(exc, PermissionError) and replacing and target.exists():
        if not os.access(target, os.W_OK) and _read_only_attribute(target):
            return errors.read_only(target, exc.strerror or "")
        return FileInUse(target, exc.strerror or "")  # Windows will not replace a file another program holds
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return errors.disk_full(target, exc.strerror or "")
    return errors.classify(exc, target)


def _read_only_attribute(target: Path) -> bool:
    """True when the file itself is marked read-only (Windows' attribute, or no write bit at all)."""
    try:
        return not target.stat().st_mode & 0o222
    except OSError:
        return False
