"""Changes to cases as undoable commands on one QUndoStack."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from core import ops


class Changes(QObject):
    """One application-wide signal: pages refresh what they show when something changes.

    ``operation_did_execute(changes, initiator)`` carries a ``core.ops.OpChanges``;
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


class _Legacy(QUndoCommand):
    """The old push-to-run commands, kept for code that still pushes them: each step is a
    ``core.ops`` function (the one rule set) and publishes what changed. New code runs
    operations through ``gui.operations.OpRunner``, which records the entry only after success."""

    def __init__(self, store, changes: Changes, text: str):
        super().__init__(text)
        self._store, self._changes = store, changes

    def _do(self, op, *args, **kwargs):
        done = op(self._store, *args, **kwargs)
        self._changes.publish(done if done.kinds else ops.changed(ops.CASES))
        return done


class UpdateCase(_Legacy):
    def __init__(self, store, changes: Changes, case_id: int, after: dict, text: str):
        super().__init__(store, changes, text)
        self._id = case_id
        current = store.cases.values(case_id)
        self._before = {k: current[k] for k in after}
        self._after = dict(after)

    def redo(self) -> None:
        self._do(ops.update_case, self._id, self._after)

    def undo(self) -> None:
        self._do(ops.update_case, self._id, self._before)


class AddCase(_Legacy):
    def __init__(self, store, changes: Changes, values: dict, text: str):
        super().__init__(store, changes, text)
        self._values = dict(values)
        self.case_id: int | None = None

    def redo(self) -> None:
        if self.case_id is None:
            self.case_id = self._do(ops.add_case, self._values).id
        else:
            self._do(ops.restore_case, self.case_id)

    def undo(self) -> None:
        self._do(ops.delete_case, self.case_id, "Hoàn tác tiếp nhận")


class DeleteCase(_Legacy):
    """A soft delete with its reason; undo brings the case back."""

    def __init__(self, store, changes: Changes, case_id: int, reason: str, text: str):
        super().__init__(store, changes, text)
        self._id, self._reason = case_id, reason

    def redo(self) -> None:
        self._do(ops.delete_case, self._id, self._reason)

    def undo(self) -> None:
        self._do(ops.restore_case, self._id)
