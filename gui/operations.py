"""The one runner of operations: every change the window makes goes through here.

``OpRunner.run(op)`` runs a ``core.ops`` function on the window's
Store. When another desk or an import holds the write lock, it waits a
moment and tries again by itself (the window stays alive meanwhile) and
says "đang bận" only when the wait has been long. On success it records the
undo entry (only then: a change that failed leaves none), and publishes what
changed through the one application-wide signal ``Changes.operation_did_execute``.
Every failure is told through ``report`` (``gui.messages``), never as a traceback.

``OpRunner.run_long(work)`` runs long work (an import, an export, a check) on
the one worker (``gui.tasks.Task``) with its own connection to the file.
"""
from __future__ import annotations

import sqlite3
import sys
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand

from core.ops import NOTHING, OpChanges
from db import errors
from db.audit import PermissionDenied
from db.evaluations import EvaluationLocked
from gui import messages

QUICK_WAIT = 0.1  # seconds one attempt waits for the write lock on the window's thread
RETRY_EVERY_MS = 250
GIVE_UP_AFTER = 30.0  # seconds of retrying before "đang bận"


def describe(exc: BaseException, path=None) -> str:
    """The one wording of a failed operation: the rule broken or the database's trouble, by cause."""
    if isinstance(exc, (ValueError, PermissionDenied, EvaluationLocked, LookupError)) \
            and not isinstance(exc, sqlite3.Error):
        return str(exc) or exc.__class__.__name__
    named = errors.classify(exc, path)
    if isinstance(named, (errors.StoreError, sqlite3.Error)):
        return errors.explain(named, path)
    if isinstance(named, OSError):
        return f"Không ghi được {named.filename or ''}: {named.strerror or named}".replace("  ", " ")
    traceback.print_exception(exc, file=sys.stderr)  # for whoever looks after the program
    return f"Lỗi không mong đợi, chưa ghi gì: {exc.__class__.__name__}: {exc}"


def report(parent, exc: BaseException, path=None) -> None:
    """Tell the user why an operation failed (the one error path of the window)."""
    messages.error(parent, describe(exc, path))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _call(callback, value) -> None:
    """Call back whoever asked; a dialog closed while its change waited its turn is simply gone."""
    if callback is None:
        return
    try:
        callback(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise


class OpCommand(QUndoCommand):
    """An undo entry for a change already made: its first redo does nothing."""

    def __init__(self, runner: "OpRunner", done: OpChanges):
        super().__init__(done.text or "Thay đổi")
        self._runner = runner
        self._undo = done.undo
        self._redo = None
        self._fresh = True

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self._step("_redo", "_undo")
        if not self.isObsolete():
            self._runner.tell(f"Đã làm lại: {_lower_first(self.text())}; Ctrl+Z để hoàn tác.")

    def undo(self) -> None:
        self._step("_undo", "_redo")
        if not self.isObsolete():
            self._runner.tell(f"Đã hoàn tác: {_lower_first(self.text())}; Ctrl+Y để làm lại.")

    def _step(self, this: str, other: str) -> None:
        op = getattr(self, this)
        result = self._runner.execute_now(op) if op else None
        if result is None:  # failed and told: the entry goes, so the stack matches the file
            self.setObsolete(True)
            return
        setattr(self, other, result.undo)


class OpRunner(QObject):
    """Runs operations for the window; see the module's text."""
    busy_changed = Signal(bool)

    def __init__(self, store, changes, undo_stack=None, parent: QObject | None = None):
        super().__init__(parent)
        self.store, self.changes, self.undo_stack = store, changes, undo_stack
        self.parent_widget = parent
        self.task = None
        self._delivered = False  # the running task has handed over its result (it is only ending)
        self._waiting: list = []
        changes.runner = self

    # ---- quick operations on the window's own connection --------------------------------

    def run(self, op: Callable, *, undoable: bool = True, on_done: Callable[[OpChanges], None] | None = None,
            on_failed: Callable[[BaseException], None] | None = None, initiator=None) -> bool | None:
        """Run ``op(store)``: True when done, False when refused or failed (and told),
        None while it waits its turn behind another writer (``on_done`` comes later)."""
        return self._attempt(op, undoable, on_done, on_failed, initiator, time.monotonic())

    def _attempt(self, op, undoable, on_done, on_failed, initiator, started) -> bool | None:
        db = self.store.db
        waited = db.busy_timeout
        try:
            db.set_busy_timeout(QUICK_WAIT)
            try:
                result = op(self.store)
            finally:
                db.set_busy_timeout(waited)
        except errors.Busy as exc:
            if time.monotonic() - started < GIVE_UP_AFTER:
                self._wait_turn(True)
                QTimer.singleShot(RETRY_EVERY_MS, lambda: self._attempt(
                    op, undoable, on_done, on_failed, initiator, started))
                return None
            return self._failed(exc, on_failed)
        except Exception as exc:  # every failure is told, never a traceback
            return self._failed(exc, on_failed)
        self._wait_turn(False)
        self.succeeded(result, undoable, initiator)
        _call(on_done, result)
        return True

    def _failed(self, exc: BaseException, on_failed) -> bool:
        self._wait_turn(False)
        report(self.parent_widget, exc, self.store.path)
        _call(on_failed, exc)
        return False

    def _wait_turn(self, waiting: bool) -> None:
        window = self.parent_widget
        bar = window.statusBar() if window is not None and hasattr(window, "statusBar") else None
        if bar is not None:
            if waiting:
                bar.showMessage("Đang chờ máy khác ghi xong…")
            else:
                bar.clearMessage()

    def execute_now(self, op: Callable) -> OpChanges | None:
        """Run an operation now, waiting for the lock as long as the store allows (undo and redo)."""
        try:
            result = op(self.store)
        except Exception as exc:
            report(self.parent_widget, exc, self.store.path)
            return None
        self.publish(result)
        return result

    def succeeded(self, result: OpChanges, undoable: bool = True, initiator=None) -> None:
        if result is None:
            result = NOTHING
        undone_by_key = undoable and result.undo is not None and self.undo_stack is not None
        if undone_by_key:
            self.undo_stack.push(OpCommand(self, result))
        self.publish(result, initiator)
        self.tell_done(result, undone_by_key)

    def tell_done(self, result: OpChanges, undoable: bool) -> None:
        """One line in the status bar after each change: what was written, and how to take it back."""
        window = self.parent_widget
        bar = window.statusBar() if window is not None and hasattr(window, "statusBar") else None
        if bar is None or not result.text:
            return
        text = result.text
        said = f"Đã ghi {text[4:]}" if text.startswith("Ghi ") else f"Đã ghi: {_lower_first(text)}"
        self.tell(said + ("; Ctrl+Z để hoàn tác." if undoable else "."))

    def tell(self, text: str) -> None:
        window = self.parent_widget
        bar = window.statusBar() if window is not None and hasattr(window, "statusBar") else None
        if bar is not None:
            bar.showMessage(text, 15000)

    def publish(self, result: OpChanges, initiator=None) -> None:
        """Tell every page what changed (the one application-wide signal)."""
        self.changes.publish(result, initiator)

    # ---- long work on the worker ----------------------------------------------------------

    progressed = Signal(int, int)  # of the work on the worker: done, total (0: not known)
    task_started = Signal(str)  # what the worker is doing, for the status bar

    def run_task(self, work: Callable, on_done: Callable | None = None, text: str = "",
                 progress: Callable[[int, int], None] | None = None) -> bool:
        """Run ``work(progress)`` on the one worker (it opens its own connection); its result
        goes to ``on_done`` (an ``OpChanges`` is published first), a failure to ``report``."""
        from gui.tasks import Task

        if self.task is not None and self._delivered:
            # the last task has handed over its result and is only ending (its queued ``finished``
            # not yet handled): a click right after a result appears is not "busy"
            self.task.wait(5000)
            self._task_finished()
        if self.task is not None:
            messages.info(self.parent_widget, "Đang có việc chạy, chờ xong rồi thử lại.")
            return False
        self.task = Task(work, self)
        self._delivered = False
        self.task.progressed.connect(self.progressed)
        if progress:
            self.task.progressed.connect(progress)
        self.task.succeeded.connect(lambda result: self._long_done(result, on_done))
        self.task.failed_with.connect(lambda exc: (self._delivered_now(), report(self.parent_widget, exc, self.store.path)))
        self.task.finished.connect(lambda task=self.task: self._task_finished(task))
        self.busy_changed.emit(True)
        self.task_started.emit(text)
        self.task.start()
        return True

    def run_long(self, work: Callable, on_done: Callable | None = None, text: str = "",
                 progress: Callable[[int, int], None] | None = None) -> bool:
        """Run ``work(store, progress)`` on the worker with its own Store on the same file,
        signed in as the same user."""
        path, actor = self.store.path, self.store.actor

        def run(report_progress):
            from db.store import Store

            store = Store.open(path)
            store.sign_in_as(actor)
            try:
                return work(store, report_progress)
            finally:
                store.close()

        return self.run_task(run, on_done, text, progress)

    def _long_done(self, result, on_done) -> None:
        self._delivered_now()
        if isinstance(result, OpChanges):
            self.publish(result)
        if on_done:
            on_done(result)

    def _delivered_now(self, *_) -> None:
        self._delivered = True

    def _task_finished(self, task=None) -> None:
        if task is not None and task is not self.task:
            return  # an earlier task's late ``finished``: the one running now is not cleared
        self.task = None
        self._delivered = False
        self.busy_changed.emit(False)


def runner_for(store, changes, parent=None) -> OpRunner:
    """The window's runner, or one of its own for a page shown alone (no undo stack)."""
    if getattr(changes, "runner", None) is None:
        OpRunner(store, changes, None, parent)
    return changes.runner
