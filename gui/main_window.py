"""The main window: navigation between the parts of the program, built when first shown."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QMainWindow, QProgressBar,
                               QStackedWidget, QWidget)

from core import casefile, vnformat
from core import operations as ops
from core.workdays import WorkCalendar
from db.store import Store, StoreError
from gui import messages
from gui.import_dialog import ImportDialog
from gui.operations import OpRunner, describe, report
from gui.tasks import Task
from gui.undo import Changes


OUTSIDE_POLL_MS = 2000  # how often the window looks for changes made by another process


class MainWindow(QMainWindow):
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
        self.resize(1400, 820)

        self.nav = QListWidget()
        self.nav.setFixedWidth(140)
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
        # what another desk or an import writes shows here within seconds: a cheap poll of the file
        self._data_version = store.data_version()
        self.outside_watch = QTimer(self)
        self.outside_watch.setInterval(OUTSIDE_POLL_MS)
        self.outside_watch.timeout.connect(self.check_outside_changes)
        self.outside_watch.start()
        self.update_title()
        self.nav.setCurrentRow(0)
        self._update_status()

    def check_outside_changes(self) -> bool:
        """Publish a change when another connection has written to the file since the last look."""
        try:
            version = self.store.data_version()
        except Exception:  # the file went away for a moment: look again next time
            return False
        if version == self._data_version:
            return False
        self._data_version = version
        self.changes.publish(ops.EVERYTHING, "outside")
        return True

    # ---- pages --------------------------------------------------------------------------

    def add_page(self, title: str, factory: Callable[[], QWidget]) -> None:
        self._factories.append((title, factory))
        self.nav.addItem(title)
        self.stack.addWidget(QWidget())  # a placeholder until first shown

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
        for text, shortcut, slot in (("&Nhập hồ sơ từ tệp…", "Ctrl+I", self.open_import),
                                     ("&Xuất mọi hồ sơ…", "Ctrl+Shift+E", self.export_cases),
                                     ("&Sao lưu cơ sở dữ liệu…", "", self.backup),
                                     ("&Khôi phục từ bản sao lưu…", "", self.restore_backup),
                                     ("Kiểm tra &toàn vẹn dữ liệu", "", self.full_check),
                                     ("Thư mục &bản sao lưu", "", self.show_backup_folder),
                                     ("&Thoát", "Ctrl+Q", self.close)):
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            file_menu.addAction(action)
        edit_menu = self.menuBar().addMenu("&Sửa")
        undo = self.undo_stack.createUndoAction(self, "Hoàn tác")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Làm lại")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo

    def update_title(self) -> None:
        s = self.store.settings()
        office = s.get("office_name") or "Bộ phận Một cửa"
        committee = (s.get("committee") or "").strip()
        self.setWindowTitle(f"Một Cửa — {office}" + (f" — {committee}" if committee else "")
                            + (" (chỉ xem, không ghi được)" if self.store.read_only_reason else ""))

    def _update_status(self) -> None:
        from db.audit import ROLE_NAMES

        actor = self.store.actor
        who = f"{actor.get('full_name') or actor['username']} ({ROLE_NAMES.get(actor['role'], 'hệ thống')})"
        self.status_label.setText(("CHỈ XEM, không ghi được — " if self.store.read_only_reason else "")
                                  + f"{who} — {vnformat.number(self.store.case_count())} hồ sơ — {self.store.path}")

    # ---- import, export, backup ---------------------------------------------------------

    def open_import(self) -> ImportDialog | None:
        if not self.store.can("cases"):
            messages.error(self, "Chỉ cán bộ một cửa được nhập hồ sơ.")
            return None
        dialog = ImportDialog(self.store.path, self, actor=self.store.actor)
        dialog.imported.connect(lambda n: self.changes.publish(ops.changed(ops.CASES, ops.CATALOGUES)))
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def export_cases(self, path: Path | None = None, mask: bool | None = None) -> None:
        path = path or messages.save_path(self, "Xuất mọi hồ sơ", "ho-so.xlsx", "Excel (*.xlsx);;CSV (*.csv)")
        if path is None:
            return
        if mask is None:
            mask = messages.ask(self, "Che tên người nộp trong tệp xuất (chỉ giữ họ và chữ cái đầu)?")
        total = self.store.case_count()
        db_path = self.store.path

        def work(progress):
            store = Store.open(db_path)
            try:
                return casefile.export_file(store, path, progress=lambda n: progress(n, total), mask=mask)
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
            messages.info(self, f"Đã sao lưu vào {name}.")

    def restore_backup(self, source: Path | None = None) -> None:
        from core import backups
        from db.store import restore

        if not self.store.can("settings"):
            messages.error(self, "Chỉ quản trị hoặc chủ tịch được khôi phục dữ liệu.")
            return
        source = source or messages.open_path(self, "Chọn bản sao lưu", str(backups.folder(self.store.path)),
                                              "SQLite (*.db)")
        if source is None:
            return
        if not messages.ask(self, f"Thay toàn bộ dữ liệu hiện tại bằng bản sao lưu {source.name}? "
                                  "Dữ liệu hiện tại được sao lưu trước khi thay."):
            return
        path = self.store.path
        self.outside_watch.stop()
        self.store.close()
        try:
            aside = restore(path, source)
        except Exception as exc:  # named by cause (busy, disk full, read-only…), never a traceback
            messages.error(self, f"Không khôi phục được: {describe(exc, path)} Hãy mở lại chương trình.")
            self.close()
            return
        messages.info(self, f"Đã khôi phục từ {source.name}; bản trước đó lưu tại {aside}. "
                            "Chương trình sẽ đóng: hãy mở lại.")
        self.close()

    def full_check(self) -> None:
        db_path = self.store.path

        def work(progress):
            store = Store.open(db_path)
            try:
                return store.check()
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
            from core.daily import daily_care

            store = Store.open(db_path)
            try:
                return daily_care(store)
            finally:
                store.close()

        def done(care) -> None:
            self.changes.publish(care.changes)
            if care.problems:
                messages.error(self, "\n".join(care.problems))

        self._run(work, done, "Đang sao lưu tự động…")

    def show_backup_folder(self) -> None:
        from core import backups

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
