"""Long work off the GUI thread: a function runs on a worker thread, its result comes back as a signal.

The work function gets a ``progress(done, total)`` callback and must open
its own database connection: a sqlite3 connection belongs to its thread.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal


class Task(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    failed_with = Signal(object)  # the exception itself, for gui.operations.report to name its cause

    def __init__(self, work: Callable, parent=None):
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(lambda done, total=0: self.progressed.emit(int(done), int(total)))
        except Exception as exc:  # reported to the user, never lost
            from db.errors import StoreError

            if not isinstance(exc, (StoreError, ValueError)):
                traceback.print_exc()
            self.failed_with.emit(exc)
            self.failed.emit(str(exc) or exc.__class__.__name__)
        else:
            self.succeeded.emit(result)
