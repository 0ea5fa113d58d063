"""Changes to cases as undoable commands on one QUndoStack."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand


class Changes(QObject):
    """One application-wide signal: pages refresh what they show when something changes.

    ``operation_did_execute(changes, initiator)`` carries a ``core.operations.OpChanges``;
    ``cases_changed`` and ``catalogues_changed`` follow from it for the pages that only
    need to know that much.
    """
    operation_did_execute = Signal(object, object)
    cases_changed = Signal()
    catalogues_changed = Signal()
    runner = None  # the window's gui.operations.OpRunner, once there is one

    def publish(self, changes, initiator=None) -> None:
        if not changes.kinds:
            return
        self.operation_did_execute.emit(changes, initiator)
        if changes.touches("catalogues"):
            self.catalogues_changed.emit()
        if changes.touches("cases", "targets"):
            self.cases_changed.emit()


class UpdateCase(QUndoCommand):
    def __init__(self, store, changes: Changes, case_id: int, after: dict, text: str):
        super().__init__(text)
        self._store, self._changes, self._id = store, changes, case_id
        current = store.case_values(case_id)
        self._before = {k: current[k] for k in after}
        self._after = dict(after)

    def redo(self) -> None:
        self._store.update_case(self._id, self._after)
        self._changes.cases_changed.emit()

    def undo(self) -> None:
        self._store.update_case(self._id, self._before)
        self._changes.cases_changed.emit()


class AddCase(QUndoCommand):
    def __init__(self, store, changes: Changes, values: dict, text: str):
        super().__init__(text)
        self._store, self._changes, self._values = store, changes, dict(values)
        self.case_id: int | None = None

    def redo(self) -> None:
        if self.case_id is None:
            self.case_id = self._store.add_case(self._values)
        else:
            self._store.restore_deleted_case(self.case_id)
        self._changes.cases_changed.emit()

    def undo(self) -> None:
        self._store.soft_delete_case(self.case_id, "Hoàn tác tiếp nhận")
        self._changes.cases_changed.emit()


class DeleteCase(QUndoCommand):
    """A soft delete with its reason; undo brings the case back."""

    def __init__(self, store, changes: Changes, case_id: int, reason: str, text: str):
        super().__init__(text)
        self._store, self._changes, self._id, self._reason = store, changes, case_id, reason

    def redo(self) -> None:
        self._store.soft_delete_case(self._id, self._reason)
        self._changes.cases_changed.emit()

    def undo(self) -> None:
        self._store.restore_deleted_case(self._id)
        self._changes.cases_changed.emit()
