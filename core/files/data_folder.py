"""The user's data folder: moving the data an older version kept in the roaming profile, once.

Versions up to 0.1 kept the database in Qt's ``AppDataLocation``, on Windows the *roaming* profile
(``%APPDATA%``), which a domain copies to the server at every sign-out and back at every sign-in:
slow for a database of years, and two desks signed in as one user would overwrite each other's
copy. The data now lives in the local folder (``%LOCALAPPDATA%``). At the first start of a newer
version the old folder's files move there, once: a note left in the old folder says where they
went (and stops a second move), and the database's audit log records the move.
"""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "motcua.db"
NOTE_NAME = "DA-CHUYEN-DU-LIEU.txt"  # ASCII: read on any code page, by any tool


@dataclass(frozen=True)
class Moved:
    old_db: Path
    new_db: Path
    names: tuple[str, ...]

    @property
    def message(self) -> str:
        return (f"Đã chuyển dữ liệu của Một Cửa từ {self.old_db.parent} sang {self.new_db.parent} "
                f"(thư mục dữ liệu trên máy này, không đồng bộ theo hồ sơ người dùng): {', '.join(self.names)}.")


def move_old_data(old: Path, new: Path, *, audit, today: dt.date | None = None) -> Moved | None:
    """Move the data of ``old`` into ``new`` when ``old`` holds a database and ``new`` none; else None.

    Every file and folder of ``old`` moves (the database with its ``-wal``/``-shm`` files, its
    ``backups`` folder); a name already in ``new`` is left where it is. ``audit(moved)`` records the
    move (main.audit_move: in the moved database's audit log). A failure part way leaves what has moved in
    ``new`` and the rest in ``old``, and no note, so the next start finishes the move.
    """
    old, new = Path(old), Path(new)
    if old == new or not (old / DB_NAME).is_file() or (new / DB_NAME).exists() or (old / NOTE_NAME).exists():
        return None
    new.mkdir(parents=True, exist_ok=True)
    moved = []
    # the database's companions first, the database last: a crash between leaves no database in
    # ``new`` without its write-ahead log
    entries = sorted(old.iterdir(), key=lambda p: (p.name == DB_NAME, p.name))
    for entry in entries:
        if entry.name == NOTE_NAME or (new / entry.name).exists():
            continue
        shutil.move(str(entry), str(new / entry.name))
        moved.append(entry.name)
    result = Moved(old / DB_NAME, new / DB_NAME, tuple(moved))
    when = (today or dt.date.today()).isoformat()
    (old / NOTE_NAME).write_text(
        f"Du lieu cua Mot Cua da duoc chuyen sang {new} ngay {when}.\r\n"
        f"Dữ liệu của Một Cửa đã được chuyển sang {new} ngày {when}.\r\n"
        f"Các tệp đã chuyển: {', '.join(moved)}\r\n", encoding="utf-8-sig")
    audit(result)
    return result

