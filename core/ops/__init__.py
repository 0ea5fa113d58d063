"""Every change the window or the command line makes, as one Qt-free function.

An operation takes the ``Store`` and plain values, checks them against the
one rule set (``core.domain.cases``), makes its change in one write transaction
(``Store.db.atomic()`` takes the write lock at its start), and returns an
``OpChanges`` saying what changed. For a change that can be undone the value
also carries ``undo``: the operation that puts things back, itself returning
the operation that does them again. The window's runner (``gui.operations``)
records the undo entry only after an operation succeeded, and tells every
page what changed through one signal.

A refusal is an ``OpRefused`` (a ``ValueError``) whose text is the Vietnamese
message to show; database trouble arrives as the named errors of ``db.errors``.

One module per kind of thing (``core.ops.cases``, ``catalogues``, ``evaluations``,
``reports``, ``users``, ``daily``); each operation is also here by name, so
``ops.add_case(store, …)`` reads the same from the window and the command line.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

CASES, CATALOGUES, SETTINGS, TARGETS, EVALUATIONS, USERS = (
    "cases", "catalogues", "settings", "targets", "evaluations", "users")
KINDS = (CASES, CATALOGUES, SETTINGS, TARGETS, EVALUATIONS, USERS)


class OpRefused(ValueError):
    """The values break a rule: nothing was written; the text says what to fix."""


Operation = Callable[["object"], "OpChanges"]  # takes the Store


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed: kinds of thing (``CASES``…), the ids touched, and how to undo it."""
    kinds: frozenset = frozenset()
    ids: tuple = ()
    id: int | None = None  # the one record created or changed, when there is one
    undo: Operation | None = field(default=None, compare=False)
    text: str = ""  # what was done, for the undo menu and the status bar

    def touches(self, *kinds: str) -> bool:
        return bool(self.kinds & set(kinds))

    @property
    def cases(self) -> bool:
        return CASES in self.kinds

    @property
    def catalogues(self) -> bool:
        return CATALOGUES in self.kinds

    def __or__(self, other: "OpChanges") -> "OpChanges":
        return OpChanges(self.kinds | other.kinds, self.ids + other.ids, other.id or self.id)


def changed(*kinds: str, ids=(), id: int | None = None, undo: Operation | None = None,
            text: str = "") -> OpChanges:
    return OpChanges(frozenset(kinds), tuple(ids), id, undo, text)


NOTHING = OpChanges()
EVERYTHING = OpChanges(frozenset(KINDS))  # another process wrote: anything may have changed


def with_text(changes: OpChanges, text: str) -> OpChanges:
    return replace(changes, text=text)


# the operations by kind of thing, each also here by name (``ops.add_case``)
from core.ops.cases import (  # noqa: E402
    ImportConflict, add_case, add_demo_cases, cancel_event, conflict_text, delete_case, import_cases, import_file,
    record_event, resolve_case,
    restore_case, restore_cases, set_papers, set_withdrawn, toggle_flag, update_case)
from core.ops.catalogues import (  # noqa: E402
    add_officer, add_procedure, delete_target, import_averages, remember, save_office, set_district_average,
    set_settings, set_target, set_wording, update_officer, update_procedure)
from core.ops.evaluations import approve_quarter, save_evaluation, save_template, unapprove_quarter  # noqa: E402
from core.ops.reports import (  # noqa: E402
    issue_report, record_rollup, record_rollup_quietly, set_index_model, set_index_points, set_rollup_unit_names)
from core.ops.users import add_user, change_own_password, set_password, set_user_active, unlock_user  # noqa: E402

__all__ = ["OpChanges", "OpRefused", "ImportConflict", "Operation", "changed", "with_text", "NOTHING", "EVERYTHING",
    "KINDS", "CASES",
    "CATALOGUES", "SETTINGS", "TARGETS", "EVALUATIONS", "USERS", "add_case", "add_demo_cases", "cancel_event",
    "conflict_text", "delete_case", "import_cases", "import_file", "record_event", "resolve_case", "restore_case",
    "restore_cases", "set_papers", "set_withdrawn", "toggle_flag", "update_case", "add_officer", "add_procedure",
    "delete_target", "import_averages", "remember", "save_office", "set_district_average", "set_settings",
    "set_target", "set_wording", "update_officer", "update_procedure", "approve_quarter", "save_evaluation",
    "save_template", "unapprove_quarter", "issue_report", "record_rollup", "record_rollup_quietly",
    "set_index_model", "set_index_points", "set_rollup_unit_names",
    "add_user", "change_own_password", "set_password", "set_user_active",
    "unlock_user"]
