"""The main window: navigation between the parts of the program, built when first shown."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QMainWindow,
                               QProgressBar, QStackedWidget, QWidget)

from core.files import casefile
from core.domain import vnformat
from core import ops
from core.domain.workdays import WorkCalendar
from db.store import Store, StoreError
from gui import messages
from gui.operations import OpRunner, describe, report
from gui.tasks import Task
from gui.undo import Changes

if TYPE_CHECKING:
    from gui.import_dialog import ImportDialog


OUTSIDE_POLL_MS = 2000  # how often the window looks for changes made by another process


class MainWindow(QMainWindow):
    closed = Signal()  # the window was closed (quit, sign out, switch user): gui.app.run_window goes on

    def __init__(self, store: Store, today: dt.date | None = None):
        super().__init__()
        self.store = store
        self.today = today
        off, work = store.calendar_days()
        self.calendar = WorkCalendar(off, work)
        self.changes = Changes(self)
        self.undo_stack = QUndoStack(self)
        self.ops = OpRunner(store, self.changes, self.undo_stack, self)  # every change goes through it
        self.ops.task_started.connect(self._task_started)
        self.ops.progressed.connect(lambda d, t: (self.progress.setRange(0, t), self.progress.setValue(d)))
        self.ops.busy_changed.connect(self._task_done)
        self.task: Task | None = None
        self.after_close = ""  # "sign_out" / "switch": the program asks for a sign-in again
        self.fit_to_screen()

        self.nav = QListWidget()
        self.nav.setFixedWidth(124)
        self.stack = QStackedWidget()
        self._factories: list[tuple[str, Callable[[], QWidget]]] = []
        self._pages: dict[int, QWidget] = {}
        self.add_page("Sổ hồ sơ", self._register)
        self.add_page("Bảng điều hành", self._dashboard)
        self.add_page("Đánh giá cán bộ", self._evaluation)
        self.add_page("Báo cáo", self._report)
        self.add_page("Tổng hợp đơn vị", self._rollup)
        self.add_page("Danh mục", self._catalogues)
        if store.can("users"):
            self.add_page("Người dùng", self._users)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_page)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self._menus()
        self.changes.cases_changed.connect(self._update_status)
        self.changes.operation_did_execute.connect(
            lambda done, _: self.update_title() if done.touches(ops.SETTINGS) else None)
        # what another desk or an import writes shows here within seconds: a cheap poll (SQLite: the
        # file's data version; PostgreSQL: LISTEN/NOTIFY), the watch started here
        self.check_outside_changes()
        self.outside_watch = QTimer(self)
        self.outside_watch.setInterval(OUTSIDE_POLL_MS)
        self.outside_watch.timeout.connect(self.check_outside_changes)
        self.outside_watch.start()
        self.update_title()
        self.nav.setCurrentRow(self.landing_page())
        self._update_status()

    def check_outside_changes(self) -> bool:
        """Publish a change when another desk or a command has written since the last look
        (SQLite: the file's data version; PostgreSQL: LISTEN/NOTIFY). A server that went away is
        said in the status bar and tried again at the next look."""
        try:
            changed = self.store.changed_elsewhere()
        except StoreError as exc:
            self.statusBar().showMessage(f"{exc} Đang thử lại…", 2500)
            return False
        except Exception:  # the file went away for a moment: look again next time
            return False
        if changed:
            self.changes.publish(ops.EVERYTHING, "outside")
        return changed

    notice_other_desks = check_outside_changes  # the name the desks' tests know

    # ---- pages --------------------------------------------------------------------------

    def add_page(self, title: str, factory: Callable[[], QWidget]) -> None:
        self._factories.append((title, factory))
        self.nav.addItem(title)
        self.stack.addWidget(QWidget())  # a placeholder until first shown

    LANDING = {"officer": "Sổ hồ sơ", "chairman": "Bảng điều hành", "admin": "Người dùng"}

    def landing_page(self) -> int:
        """Each role starts on its own page: the officer the register, the chairman the dashboard."""
        titles = [t for t, _ in self._factories]
        title = self.LANDING.get(self.store.actor.get("role"), "Sổ hồ sơ")
        return titles.index(title) if title in titles else 0

    def fit_to_screen(self) -> None:
        """The window fits the screen it is on (1280×720 and 1366×768 included, at any scaling)."""
        from PySide6.QtGui import QGuiApplication

        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry()
        self.resize(min(1400, avail.width()), min(860, avail.height()))

    def show_on_screen(self) -> None:
        """Show the window: maximized on a small screen, else at its size; the page gets the keys."""
        from PySide6.QtGui import QGuiApplication

        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry()
        if avail.width() < 1500 or avail.height() < 900:
            self.showMaximized()
        else:
            self.show()
        self.raise_()
        self.activateWindow()  # the keys go to the window at once, even before any click
        self.focus_page()

    def focus_page(self) -> None:
        page = self.stack.currentWidget()
        if page is not None and not page.isAncestorOf(QApplication.focusWidget()):
            target = getattr(page, "table", None) if isinstance(getattr(page, "table", None), QWidget) else None
            (target or page).setFocus()

    def show_page(self, index: int) -> None:
        if index < 0:
            return
        if index not in self._pages:
            page = self._factories[index][1]()
            old = self.stack.widget(index)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(index, page)
            self._pages[index] = page
        self.stack.setCurrentIndex(index)
        if not self.nav.hasFocus():
            self.focus_page()

    def page(self, title: str) -> QWidget:
        index = [t for t, _ in self._factories].index(title)
        self.nav.setCurrentRow(index)
        return self._pages[index]

    def _register(self) -> QWidget:
        from gui.register_page import RegisterPage

        return RegisterPage(self.store, self.calendar, self.undo_stack, self.changes, self, today=self.today)

    def _dashboard(self) -> QWidget:
        from gui.dashboard_page import DashboardPage

        page = DashboardPage(self.store, self.calendar, self.changes, self, today=self.today)
        page.open_case.connect(self.open_case)
        return page

    def _evaluation(self) -> QWidget:
        from gui.evaluation_page import EvaluationPage

        return EvaluationPage(self.store, self.changes, self, today=self.today)

    def _report(self) -> QWidget:
        from gui.report_page import ReportPage

        return ReportPage(self.store, self.changes, self, today=self.today)

    def _rollup(self) -> QWidget:
        from gui.rollup_page import RollupPage

        return RollupPage(self.store, self.changes, self, today=self.today)

    def open_case(self, case_id: int) -> None:
        """Show a case in the register and open it for editing."""
        register = self.page("Sổ hồ sơ")
        register.search.clear()
        register.period.setCurrentText("Tất cả")
        for combo in (register.officer, register.field, register.state):
            combo.setCurrentIndex(0)
        register.apply_filters()
        register.select_case(case_id)
        register.edit_case()

    def _users(self) -> QWidget:
        from gui.users_page import UsersPage

        return UsersPage(self.store, self, self.changes)

    def _catalogues(self) -> QWidget:
        from gui.catalogues import CataloguesPage

        page = CataloguesPage(self.store, self.changes, self)
        page.office_changed.connect(self.update_title)
        return page

    # ---- menus --------------------------------------------------------------------------

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Tệp")
        self.file_actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
                ("import", "&Nhập hồ sơ từ tệp…", "Ctrl+I", self.open_import),
                ("export", "&Xuất các hồ sơ đang xem…", "Ctrl+Shift+E", self.export_cases),
                ("backup", "&Sao lưu cơ sở dữ liệu…", "", self.backup),
                ("restore", "&Khôi phục từ bản sao lưu…", "", self.restore_backup),
                ("check", "Kiểm tra toàn &vẹn dữ liệu", "", self.full_check),
                ("check_code", "Đối &chiếu mã kiểm tra trên văn bản…", "", self.check_against_code),
                ("folder", "Thư mục &bản sao lưu", "", self.show_backup_folder),
                ("database", "Nơi &lưu dữ liệu (tệp hoặc máy chủ)…", "", self.choose_database),
                (None, "", "", None),
                ("password", "Đổi &mật khẩu của tôi…", "", self.change_password),
                ("switch", "Đổi người &dùng…", "", lambda: self.sign_out("switch")),
                ("sign_out", "Đăng x&uất", "Ctrl+Shift+Q", lambda: self.sign_out("sign_out")),
                ("quit", "&Thoát", "Ctrl+Q", self.close)):
            if key is None:
                file_menu.addSeparator()
                continue
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, f=slot: f())
            file_menu.addAction(action)
            self.file_actions[key] = action
        from gui.keys import forbid

        forbid(self.file_actions["import"], self.store.can("cases"), "Chỉ cán bộ một cửa được nhập hồ sơ.")
        forbid(self.file_actions["restore"], self.store.can("settings"),
               "Chỉ quản trị hoặc chủ tịch được khôi phục dữ liệu.")
        file_menu.setToolTipsVisible(True)
        edit_menu = self.menuBar().addMenu("Sử&a")  # Alt+S is the register's "Sự kiện" (README)
        undo = self.undo_stack.createUndoAction(self, "Hoàn tác")
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.undo_stack.createRedoAction(self, "Làm lại")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])  # both conventions, everywhere
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        undo.setProperty("sheet_text", "Hoàn tác")
        redo.setProperty("sheet_text", "Làm lại")
        go_menu = self.menuBar().addMenu("T&rang")
        for i, (title, _) in enumerate(self._factories):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, row=i: (self.nav.setCurrentRow(row), self.focus_page()))
            go_menu.addAction(action)
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        sheet = QAction("&Phím tắt", self)
        sheet.setShortcut(QKeySequence("F1"))
        sheet.triggered.connect(self.show_shortcuts)
        help_menu.addAction(sheet)
        self.sheet_action = sheet
        from gui.about import install as install_about

        install_about(self, help_menu)  # Giới thiệu (the version), the day's update notice
        self.extra_keys = [("Sổ hồ sơ", "Sửa hồ sơ đang chọn", "Enter"),
                           ("Sổ hồ sơ", "Tìm (quét mã rồi Enter mở hồ sơ)", "Ctrl+F"),
                           ("Tiếp nhận hồ sơ", "Hình thức nộp trực tiếp / trực tuyến / bưu chính", "Alt+1, Alt+2, Alt+3"),
                           ("Tiếp nhận hồ sơ", "Lưu", "Enter"),
                           ("Xem trước PDF", "In", "Ctrl+P"), ("Xem trước PDF", "Lưu PDF", "Ctrl+S")]

    def show_shortcuts(self):
        from gui.keys import ShortcutSheet

        self.sheet = ShortcutSheet(self)
        self.sheet.open()
        return self.sheet

    def sign_out(self, how: str = "sign_out") -> None:
        """Close the window and ask for a sign-in again (``gui.app.run_window`` loops)."""
        self.after_close = how
        self.close()

    def change_password(self) -> None:
        from gui.sign_in import PasswordDialog

        self.password_dialog = PasswordDialog(self.store, self, run=self.ops.run)
        self.password_dialog.open()

    def update_title(self) -> None:
        s = self.store.settings()
        office = s.get("office_name") or "Bộ phận Một cửa"
        committee = (s.get("committee") or "").strip()
        # the title bar adds " — Một Cửa" itself (QGuiApplication.applicationDisplayName)
        self.setWindowTitle(office + (f" — {committee}" if committee else "")
                            + (" (chỉ xem, không ghi được)" if self.store.read_only_reason else ""))

    def choose_database(self) -> None:
        """Open another office database (a file, or the office's server) from the next start on."""
        from PySide6.QtCore import QSettings

        from gui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.store.local_file or Path(str(QSettings("MotCua", "MotCua").value(
            "default_file", "motcua.db"))), self)
        if dialog.exec() and dialog.store is not None:
            where = dialog.store.where
            dialog.store.close()
            QSettings("MotCua", "MotCua").setValue("database", str(dialog.location))
            messages.info(self, f"Đã kết nối được {where}. Lần mở chương trình sau sẽ dùng dữ liệu ở đó; "
                                "đóng và mở lại chương trình để dùng ngay.")

    def _update_status(self) -> None:
        from db.audit import ROLE_NAMES

        actor = self.store.actor
        who = f"{actor.get('full_name') or actor['username']} ({ROLE_NAMES.get(actor['role'], 'hệ thống')})"
        self.status_label.setText(("CHỈ XEM, không ghi được — " if self.store.read_only_reason else "")
                                  + f"{who} — {vnformat.number(self.store.case_count())} hồ sơ — {self.store.where}")

    # ---- import, export, backup ---------------------------------------------------------

    def open_import(self) -> ImportDialog | None:
        if not self.store.can("cases"):
            messages.error(self, "Chỉ cán bộ một cửa được nhập hồ sơ.")
            return None
        from gui.import_dialog import ImportDialog  # built when first asked for, not at start

        dialog = ImportDialog(self.store.path, self, actor=self.store.actor)
        dialog.imported.connect(lambda n: self.changes.publish(ops.changed(ops.CASES, ops.CATALOGUES)))
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def export_cases(self, path: Path | None = None, mask: bool | None = None) -> None:
        """The cases the register shows (its filter and order; every case before it is opened), with
        Vietnamese headers and real dates; the file imports back."""
        from db.register import RegisterFilter

        register = self._pages.get([t for t, _ in self._factories].index("Sổ hồ sơ"))
        flt, (sort, descending) = RegisterFilter(), ("received_date", True)
        total = self.store.case_count()
        if register is not None and register.current_filter() is not None:
            flt, (sort, descending) = register.current_filter(), register.model.sort_order
            total = register.model.rowCount()
        path = path or messages.save_path(self, f"Xuất {vnformat.number(total)} hồ sơ đang xem", "ho-so.xlsx",
                                          "Excel (*.xlsx);;CSV (*.csv)")
        if path is None:
            return
        if mask is None:
            mask = messages.ask(self, "Che tên người nộp trong tệp xuất (chỉ giữ họ và chữ cái đầu)?")
        db_path, today = self.store.path, self.today

        def work(progress):
            store = Store.open(db_path)
            try:
                return casefile.export_file(store, path, progress=lambda n: progress(n, total), mask=mask,
                                            rows=store.cases.rows(flt, sort, descending, today=today),
                                            vietnamese=True)
            finally:
                store.close()

        self._run(work, lambda n: messages.info(self, f"Đã xuất {vnformat.number(n)} hồ sơ ra {path}."),
                  "Đang xuất hồ sơ…")

    def backup(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        name = messages.save_path(self, "Sao lưu", f"motcua-{stamp}.db", "SQLite (*.db)")
        if name:
            try:
                self.store.backup(name)
            except (OSError, StoreError) as exc:
                report(self, exc, self.store.path)
                return
            messages.info(self, f"Đã sao lưu vào {name}.\nMã kiểm tra nhật ký: {self.store.audit.check_code()} "
                                "(ghi lại: `check MÃ` cho biết nhật ký có bị xoá hay viết lại sau đó không).")

    def restore_backup(self, source: Path | None = None) -> None:
        from db.store import restore

        if not self.store.can("settings"):
            messages.error(self, "Chỉ quản trị hoặc chủ tịch được khôi phục dữ liệu.")
            return
        if source is None:
            from gui.restore_dialog import choose_backup

            source = choose_backup(self.store.path, self)  # only this database's backups are offered
        if source is None:
            return
        from db.store import current_identity, file_identity, same_database

        try:  # only a backup of this very database, told before anything is closed
            if not same_database(current_identity(self.store.path), file_identity(source)):
                messages.error(self, f"{Path(source).name} là bản sao lưu của một cơ sở dữ liệu khác, không phải của "
                                     f"{self.store.where}: không khôi phục.")
                return
        except StoreError as exc:
            messages.error(self, f"Không khôi phục: {exc}")
            return
        if not messages.ask(self, f"Thay toàn bộ dữ liệu hiện tại bằng bản sao lưu {source.name}? "
                                  "Dữ liệu hiện tại được sao lưu trước khi thay. Các máy khác đang mở tệp này "
                                  "cần đóng chương trình trước."):
            return
        path = self.store.path
        self.outside_watch.stop()
        actor = self.store.actor["username"]
        self.store.close()
        try:
            aside = restore(path, source, actor=actor)
        except Exception as exc:  # named by cause (busy, disk full, read-only…), never a traceback
            messages.error(self, f"Không khôi phục được: {describe(exc, path)} Hãy mở lại chương trình.")
            self.close()
            return
        messages.info(self, f"Đã khôi phục từ {source.name}; bản trước đó lưu tại {aside}. "
                            "Chương trình sẽ đóng: hãy mở lại.")
        self.close()

    def check_against_code(self) -> None:
        """The check with the code printed at the foot of a report, a form or told by a backup."""
        code = messages.ask_text(self, "Mã kiểm tra nhật ký in trên văn bản (ví dụ 1234-9F3A2B7C01):",
                                 "Đối chiếu mã kiểm tra")
        if code and code.strip():
            self.full_check(code.strip())

    def full_check(self, against: str | None = None) -> None:
        db_path = self.store.path
        against = against if isinstance(against, str) else None  # a menu action passes its checked state

        def work(progress):
            store = Store.open(db_path)
            try:
                return store.check(against)
            finally:
                store.close()

        self._run(work, lambda problems: messages.error(self, "Dữ liệu có vấn đề:\n" + "\n".join(problems[:30]))
                  if problems else messages.info(self, "Dữ liệu toàn vẹn: không có gì bị sửa ngoài chương trình."),
                  "Đang kiểm tra toàn vẹn dữ liệu…")

    def start_integrity_check(self) -> None:
        """SQLite's quick_check at start, on a worker: the window is usable meanwhile."""
        if self.store.read_only_reason:  # only read here (told at opening): no backup, no clearing
            return
        db_path = self.store.path

        def work(progress):
            import sqlite3

            con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            try:
                return con.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                con.close()

        def done(result: str) -> None:
            if result != "ok":
                messages.error(self, f"Tệp dữ liệu bị hỏng ({result}). Dùng Tệp → Khôi phục từ bản sao lưu.")
                return
            QTimer.singleShot(0, self.start_daily_care)

        self._run(work, done, "Đang kiểm tra tệp dữ liệu…")

    def start_daily_care(self) -> None:
        """The day's first backup and the clearing of old applicants' names, on a worker."""
        db_path = self.store.path

        def work(progress):
            from core.ops.daily import daily_care

            store = Store.open(db_path)
            try:
                return daily_care(store)
            finally:
                store.close()

        def done(care) -> None:
            self.changes.publish(care.changes)
            if care.purge_note:
                self.statusBar().showMessage(care.purge_note, 30000)
            if care.problems:
                messages.error(self, "\n".join(care.problems))

        self._run(work, done, "Đang sao lưu tự động…")

    def show_backup_folder(self) -> None:
        from db import backups

        folder = backups.folder(self.store.path)
        names = sorted(p.name for p in folder.glob("*.db")) if folder.is_dir() else []
        messages.info(self, f"Bản sao lưu tự động nằm trong thư mục:\n{folder}\n\n"
                            + ("\n".join(names[-15:]) if names else "Chưa có bản sao lưu nào."))

    def _run(self, work, on_done, text: str) -> None:
        """Long work on the one worker, through the runner (one worker pattern for the window)."""
        if self.ops.run_task(work, on_done, text):
            self.task = self.ops.task

    def _task_started(self, text: str) -> None:
        self.statusBar().showMessage(text)
        self.progress.setRange(0, 0)
        self.progress.show()

    def _task_done(self, busy: bool) -> None:
        if busy:
            return
        self.task = None
        self.progress.hide()
        self.statusBar().clearMessage()

    def closeEvent(self, event) -> None:
        if self.ops.task is not None:
            self.ops.task.wait()
        for timer in self.findChildren(QTimer):
            timer.stop()  # a pending search must not run once the window is gone
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()
