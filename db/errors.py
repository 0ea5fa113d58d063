"""Errors of the database named by their cause, each worded once with what to do.

``db/`` raises these instead of bare ``sqlite3`` errors, so the window and the
command line can tell "another desk is writing" from "the disk is full" from
"the file is really damaged" (and only then offer a backup). ``classify``
turns a ``sqlite3`` or ``OSError`` into one of them; anything it does not
recognise (a broken constraint, a programming error) is left as it is.
"""
from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A problem with the database file that the user must be told about."""

    offer_backup = False  # only a really damaged file is worth replacing with a backup


class Busy(StoreError):
    """Another desk or an import holds the write lock longer than we waited."""


class DiskFull(StoreError):
    """No room left on the disk (or the folder's quota) that holds the file."""


class ReadOnly(StoreError):
    """The file or its folder cannot be written (a read-only copy, a locked USB stick, a shared folder)."""


class NoPermission(StoreError):
    """The operating system does not let this user open or write the file."""


class NewerVersion(StoreError):
    """The file was written by a newer version of the program: read it, never write it."""


class Damaged(StoreError):
    """The file really is damaged or is not a database of this program."""

    offer_backup = True


class ServerTooOld(StoreError):
    """The office's PostgreSQL server is older than the oldest version the program supports."""


class ServerUnavailable(StoreError):
    """The PostgreSQL server of the office cannot be reached (switched off, the network down)."""


class Conflict(StoreError):
    """Another desk changed the case after this desk read it: the edit is refused, nothing overwritten."""

    def __init__(self, case_id: int, current: dict, version: int | None):
        super().__init__("Hồ sơ vừa được người khác sửa: chưa ghi thay đổi của bạn.")
        self.case_id, self.current, self.version = case_id, current, version


class NotFound(StoreError):
    """The file or a folder on its path does not exist."""


# SQLite's primary result codes (the low byte of an extended code)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26
SQLITE_IOERR_SHORT_READ = 522  # a file cut short: damage, not a disk problem


def shown(path) -> str:
    """A database as people see it: a file's path, or a server's database and host (never a password)."""
    return _name(path)


def _name(path) -> str:
    """A database as people see it: a file's path, or a server's database and host (never a password)."""
    if isinstance(path, str) and path.lower().startswith(("postgresql://", "postgres://")):
        from db.pg import where_of

        return where_of(path)
    return str(path) if path else "cơ sở dữ liệu"


def busy(path=None) -> Busy:
    return Busy(f"Cơ sở dữ liệu {_name(path)} đang bận: một máy khác hoặc một lần nhập hồ sơ đang ghi. "
                "Chương trình đã chờ mà chưa ghi được; chưa có gì thay đổi. Chờ ít phút rồi làm lại.")


def disk_full(path=None, detail: str = "") -> DiskFull:
    where = Path(path).parent if path else "chứa dữ liệu"
    return DiskFull(f"Ổ đĩa {where} đã đầy: chưa ghi được, dữ liệu đã có vẫn nguyên vẹn. "
                    "Giải phóng chỗ trống (xoá tệp không cần, chuyển bớt bản sao lưu cũ) rồi làm lại."
                    + (f" ({detail})" if detail else ""))


def read_only(path=None, detail: str = "") -> ReadOnly:
    return ReadOnly(f"{_name(path)} chỉ cho đọc (tệp dữ liệu hoặc thư mục chứa nó): chưa ghi được, "
                    "dữ liệu đã có vẫn nguyên vẹn và vẫn xem được. Chép tệp vào một thư mục ghi được (hoặc bỏ "
                    "chế độ chỉ đọc của tệp, của ổ USB) rồi mở lại." + (f" ({detail})" if detail else ""))


def no_permission(path=None, detail: str = "") -> NoPermission:
    return NoPermission(f"Tài khoản máy tính này không có quyền mở hoặc ghi {_name(path)}. "
                        "Nhờ quản trị máy cấp quyền đọc và ghi tệp và thư mục chứa nó, rồi mở lại."
                        + (f" ({detail})" if detail else ""))


def newer_version(path, found: int, known: int) -> NewerVersion:
    return NewerVersion(f"Tệp dữ liệu {_name(path)} do phiên bản mới hơn của chương trình tạo (lược đồ {found}, "
                        f"phiên bản này biết đến {known}). Chỉ mở để xem, không ghi gì vào tệp. "
                        "Hãy cài phiên bản mới của Một Cửa để sửa dữ liệu.")


def damaged(path=None, detail: str = "") -> Damaged:
    return Damaged(f"Tệp dữ liệu {_name(path)} bị hỏng hoặc không phải cơ sở dữ liệu của Một Cửa"
                   + (f" ({detail})" if detail else "") + ".")


def server_unavailable(where, detail: str = "") -> ServerUnavailable:
    return ServerUnavailable(f"Không kết nối được cơ sở dữ liệu {where or 'trên máy chủ'}: máy chủ tắt, mạng "
                             "bị ngắt hoặc thông tin kết nối chưa đúng. Chưa ghi gì dở dang; kiểm tra máy chủ "
                             "và mạng rồi thử lại." + (f" ({detail})" if detail else ""))


def not_found(path) -> NotFound:
    return NotFound(f"Không tìm thấy {path} (hoặc thư mục chứa nó).")


def classify(exc: BaseException, path=None) -> BaseException:
    """The named error for a ``sqlite3`` or ``OSError`` error; anything else unchanged."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, OSError):
        code = exc.errno
        detail = exc.strerror or str(exc)
        where = exc.filename or path
        if code in (errno.ENOSPC, errno.EDQUOT):
            return disk_full(where, detail)
        if code == errno.EROFS:
            return read_only(where, detail)
        if code in (errno.EACCES, errno.EPERM):
            return no_permission(where, detail)
        if code == errno.ENOENT:
            return not_found(where)
        return exc
    if not isinstance(exc, sqlite3.Error):
        return exc
    full = getattr(exc, "sqlite_errorcode", None)
    if full is None:
        return exc
    code = full & 0xFF
    detail = str(exc)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return busy(path)
    if code == SQLITE_FULL:
        return disk_full(path, detail)
    if code == SQLITE_READONLY:
        return read_only(path, detail)
    if code == SQLITE_PERM:
        return no_permission(path, detail)
    if code == SQLITE_CANTOPEN:
        return _cannot_open(path, detail)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or full == SQLITE_IOERR_SHORT_READ:
        return damaged(path, detail)
    if code == SQLITE_IOERR:
        return _io_error(path, detail)
    return exc


def _cannot_open(path, detail: str) -> StoreError:
    """SQLite says only "unable to open": ask the file system why."""
    if not path:
        return no_permission(path, detail)
    p = Path(path)
    if not p.parent.exists():
        return not_found(p.parent)
    for target in (p, p.parent):
        if target.exists() and not os.access(target, os.W_OK):
            return read_only(target, detail) if unwritable_by_nature(target) else no_permission(target, detail)
    if p.exists() and not os.access(p, os.R_OK):
        return no_permission(p, detail)
    return no_permission(path, detail)


def unwritable_by_nature(target: Path) -> bool:
    """True when a file or folder is read-only whoever asks (a read-only disk, the immutable flag, no
    write bit at all); False when only this user lacks the right (a matter of permission)."""
    statvfs = getattr(os, "statvfs", None)  # POSIX only: Windows has no read-only mount flag to ask
    try:
        if statvfs is not None and statvfs(target).f_flag & os.ST_RDONLY:
            return True
        mode = target.stat().st_mode
    except OSError:
        return False
    if not mode & 0o222:
        return True
    geteuid = getattr(os, "geteuid", None)  # POSIX only; on Windows a mode with write bits is writable
    return geteuid is not None and geteuid() == 0  # root may write anything the mode bits forbid: only a flag stops it


def _io_error(path, detail: str) -> StoreError:
    """A disk read or write failed: most often a full disk; never called damage."""
    import shutil

    if path:
        try:
            if shutil.disk_usage(Path(path).parent).free < 1024 * 1024:
                return disk_full(path, detail)
        except OSError:
            pass
    return StoreError(f"Lỗi đọc ghi ổ đĩa chứa {_name(path)}: chưa ghi được, dữ liệu đã có vẫn nguyên vẹn. "
                      f"Kiểm tra ổ đĩa (còn chỗ trống, còn cắm) rồi làm lại. ({detail})")


def explain(exc: BaseException, path=None) -> str:
    """What to tell the user about an error leaving the database, in one sentence or two."""
    named = classify(exc, path)
    if isinstance(named, StoreError):
        return str(named)
    if isinstance(named, sqlite3.IntegrityError):
        return f"Dữ liệu không hợp lệ, chưa ghi gì: {named}"
    if isinstance(named, sqlite3.Error):
        return (f"Cơ sở dữ liệu {_name(path)} báo lỗi: {named}. Chưa ghi gì; "
                "dùng Kiểm tra toàn vẹn (lệnh `check`) để xem tệp có sao không.")
    return str(named) or named.__class__.__name__
