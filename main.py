"""Một Cửa: the desktop program and its command line.

``python main.py [--db PATH] [COMMAND ...]``: with no command the window
opens; the commands never import Qt widgets.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.domain.version import __version__

APP_NAME = "MotCua"


def default_db_path() -> Path:
    """The database in the user's *local* data folder (Qt's ``AppLocalDataLocation``: on Windows
    ``%LOCALAPPDATA%\\MotCua\\MotCua``, never the roaming profile, which a domain copies at every sign-in and
    sign-out; on Linux ``~/.local/share/MotCua/MotCua``). Data left by an older version in the roaming
    folder (``AppDataLocation``) is moved here once, and the move recorded (QtCore only, no widgets)."""
    from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    local = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation))
    roaming = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    if roaming != local:
        from core.files.data_folder import move_old_data

        moved = move_old_data(roaming, local, audit=audit_move)
        if moved:
            settings = QSettings()  # the window remembers the database it opened: point it to the new place
            if settings.value("database") and Path(str(settings.value("database"))) == moved.old_db:
                settings.setValue("database", str(moved.new_db))
            print(moved.message, file=sys.stderr)
    return local / "motcua.db"


def audit_move(moved) -> None:
    """Record the data folder's move in the moved database's audit log (a setting: kept, hash-chained)."""
    import datetime as dt

    from db.store import Store

    store = Store.open(moved.new_db)
    try:
        store.set_settings({"data_folder_moved": f"{moved.old_db.parent} → {moved.new_db.parent} "
                                                 f"({dt.datetime.now().isoformat(timespec='seconds')})"})
    finally:
        store.close()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mot-cua", description="Một Cửa: hồ sơ TTHC, chỉ số, đánh giá cán bộ")
    p.add_argument("--db", metavar="PATH", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng) "
                   "hoặc postgresql://NGƯỜI_DÙNG@MÁY_CHỦ/TÊN_CSDL")
    p.add_argument("--version", action="version", version=f"mot-cua {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("import", help="nhập hồ sơ từ .csv hoặc .xlsx")
    c.add_argument("file")
    c.add_argument("--skip-invalid", action="store_true", help="nhập các dòng hợp lệ, liệt kê dòng lỗi")
    c.add_argument("--update", action="store_true", help="mã đã có thì cập nhật hồ sơ đó theo tệp")
    c.add_argument("--map", metavar="'TIÊU ĐỀ=khoá,…'|TÊN",
                   help="ghép cột của tệp với cột hồ sơ (chữ cái cột cũng được, - để bỏ qua), hoặc tên một cách "
                        "ghép đã lưu")
    c.add_argument("--fill", metavar="khoá=GIÁ TRỊ", action="append", default=[],
                   help="giá trị chung cho cả tệp của một cột tệp không có (vd. officer='Trần Văn Hùng')")
    c.add_argument("--value", metavar="khoá:GIÁ TRỊ=nghĩa", action="append", default=[],
                   help="nghĩa của một giá trị trong tệp, ví dụ 'digitized:Đã scan=1', 'channel:Qua Zalo=online' "
                        "(1 có, 0 không, để trống: chưa rõ)")
    c.add_argument("--save-map", metavar="TÊN", help="lưu cách ghép cột (--map, --fill) với tên này")

    c = sub.add_parser("export", help="xuất mọi hồ sơ ra .csv hoặc .xlsx")
    c.add_argument("file")
    c.add_argument("--mask-applicants", action="store_true", help="chỉ giữ họ và chữ cái đầu của người nộp")

    c = sub.add_parser("indicators", help="các chỉ số của một kỳ")
    c.add_argument("--period", required=True, help="kỳ: YYYY-MM, YYYY-Qn, YYYY, FROM..TO, hoặc như người viết: "
                   "\"9/2025\", \"quý 3/2025\", \"1/1/2025-29/9/2025\"")
    c.add_argument("--officer")
    c.add_argument("--field")
    c.add_argument("--json", action="store_true")

    c = sub.add_parser("report", help="báo cáo kết quả một kỳ (PDF) và đoạn văn tổng hợp")
    c.add_argument("--period", required=True, help="kỳ: YYYY-MM, YYYY-Qn, YYYY, FROM..TO, hoặc như người viết: "
                   "\"9/2025\", \"quý 3/2025\", \"1/1/2025-29/9/2025\"")
    c.add_argument("--out", help="tệp .pdf, .docx (sửa được trong Word) hoặc .xlsx")
    c.add_argument("--text", action="store_true", help="in đoạn văn tổng hợp ra màn hình")
    c.add_argument("--issue", action="store_true", help="phát hành chính thức: giữ nguyên số liệu đã báo cáo")
    c.add_argument("--as-reported", action="store_true",
                   help="in lại đúng số liệu đã báo cáo, kèm các thay đổi sau đó")
    c.add_argument("--compare", choices=("previous", "year"), default="previous",
                   help="so với kỳ trước (mặc định) hoặc cùng kỳ năm trước")

    c = sub.add_parser("evaluation", help="phiếu đánh giá cán bộ theo quý (PDF)")
    c.add_argument("--period", required=True, help="quý: YYYY-Qn")
    c.add_argument("--out", required=True, help="tệp PDF (hoặc .docx để sửa trong Word)")
    c.add_argument("--officer", help="chỉ một cán bộ")

    c = sub.add_parser("approve", help="duyệt kết quả đánh giá một quý (lưu phiếu như lúc duyệt)")
    c.add_argument("--period", required=True, help="quý: YYYY-Qn")

    c = sub.add_parser("unapprove", help="huỷ duyệt kết quả đánh giá một quý, có lý do")
    c.add_argument("--period", required=True, help="quý: YYYY-Qn")
    c.add_argument("--reason", required=True, help="lý do huỷ duyệt")

    c = sub.add_parser("demo", help="tạo dữ liệu mẫu")
    c.add_argument("--cases", type=int, default=4000)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--years", type=int, default=None, help="số năm lịch sử (mặc định 3, hoặc 10 khi trên 100.000 hồ sơ)")
    c.add_argument("--officers", type=int, default=7, help="số cán bộ (mặc định 7)")

    c = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu")
    c.add_argument("--out", required=True)

    c = sub.add_parser("restore", help="khôi phục từ một bản sao lưu")
    c.add_argument("file")

    c = sub.add_parser("check", help="kiểm tra tính toàn vẹn")
    c.add_argument("against", nargs="?", help="mã kiểm tra in trên văn bản (1234-9F3A2B7C01) hoặc một bản sao lưu")

    c = sub.add_parser("copy", help="chép cả cơ sở dữ liệu sang nơi khác (tệp SQLite ↔ PostgreSQL), kiểm tra hai bên")
    c.add_argument("--to", required=True, metavar="TARGET", help="tệp .db mới hoặc postgresql://NGƯỜI_DÙNG@MÁY_CHỦ/TÊN_CSDL")

    c = sub.add_parser("rollup", help="xếp hạng các đơn vị từ số liệu của họ (thư biểu dương, nhắc nhở)")
    c.add_argument("--period", required=True, help="tháng: YYYY-MM")
    c.add_argument("sources", nargs="+", metavar="SOURCE", help="cơ sở dữ liệu, tệp hồ sơ hoặc thư mục của các đơn vị")
    c.add_argument("--out", help="tệp .xlsx (bảng xếp hạng), .pdf hoặc .docx (dự thảo công văn)")
    c.add_argument("--text", action="store_true", help="in các đoạn của công văn")
    c.add_argument("--json", action="store_true")
    c.add_argument("--averages", metavar="FILE", help="ghi mức bình quân chung ra tệp cho các đơn vị nhập")
    c.add_argument("--with", dest="with_sections", action="append", default=[], metavar="PHẦN",
                   help="thêm một phần vào công văn (praise, digitized_on_receipt, result_digitized, e_certified, "
                        "not_reported, reminders, reminders_departments); mặc định như công văn mẫu")
    c.add_argument("--without", dest="without_sections", action="append", default=[], metavar="PHẦN",
                   help="bỏ một phần khỏi công văn")
    c.add_argument("--name", dest="names", action="append", default=[], metavar="TỆP=TÊN",
                   help="tên đơn vị của một tệp (vd. 'xa-hong-phong.csv=UBND xã Hồng Phong'); được nhớ cho lần sau")

    c = sub.add_parser("index", help="ước tính Bộ chỉ số phục vụ người dân (QĐ 766/QĐ-TTg) của một kỳ")
    c.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn, YYYY hoặc FROM..TO")
    c.add_argument("--set", action="append", default=[], metavar="THÀNH_PHẦN=ĐIỂM",
                   help="nhập điểm một thành phần không tính được (vd. publicity=16,5); để trống để xoá")
    c.add_argument("--model-out", metavar="FILE.json", help="ghi trọng số, đường cong đang áp dụng cho kỳ ra tệp để sửa")
    c.add_argument("--model", metavar="FILE.json", help="lưu trọng số, đường cong mới, áp dụng từ ngày --from")
    c.add_argument("--from", dest="model_from", metavar="YYYY-MM-DD", help="ngày bắt đầu áp dụng của --model")
    c.add_argument("--json", action="store_true")
    return p


def _location(value: str):
    """A database file's path, or a PostgreSQL URL (``postgresql://USER@HOST/NAME``) as given."""
    from db.dialect import is_url

    return value if is_url(value) else Path(value)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "report" and not (args.out or args.text):
        parser.error("report: cần --out TỆP.pdf, --text, hoặc cả hai")
    db_path = _location(args.db) if args.db else default_db_path()
    if args.command is None:
        from gui.app import run_window

        return run_window(db_path, explicit=bool(args.db))
    from core.cli.commands import run

    return run(args, db_path)


def utf8_console() -> None:
    """Print Vietnamese whatever the console's code page: on Windows a redirected stdout (a file, a
    pipe, a scheduled task's log) would use the ANSI code page (cp1252: "ư" cannot be written, the
    command fails at its last line). Nothing to do where there is no stream (the window program)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):  # a stream already written in another encoding: leave it
                pass


_running = None  # the named mutex below, held until the process ends


def mark_running() -> None:
    """On Windows, hold the named mutex ``MotCua-running`` while the program runs: the installer and
    the uninstaller refuse to replace files in use (``packaging/installer.nsi``)."""
    global _running
    if sys.platform == "win32" and _running is None:
        import ctypes

        _running = ctypes.windll.kernel32.CreateMutexW(None, False, "MotCua-running")


def entry() -> int:
    utf8_console()
    mark_running()
    try:
        return main()
    except BrokenPipeError:  # the reader of our output went away (| head): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(entry())
