"""Pages follow what changed: refreshed now when visible, else when next shown."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class Follower(QObject):
    """Refreshes ``page`` when an operation touches one of ``kinds`` (``core.ops``)."""

    def __init__(self, page: QWidget, changes, kinds: tuple[str, ...], refresh: Callable[[], None]):
        super().__init__(page)
        self.page, self.kinds, self.refresh = page, kinds, refresh
        self.stale = False
        changes.operation_did_execute.connect(self._changed)
        page.installEventFilter(self)

    def _changed(self, done, initiator=None) -> None:
        if not done.touches(*self.kinds):
            return
        if self.page.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True  # shown again later: refreshed then

    def eventFilter(self, watched, event) -> bool:
        if watched is self.page and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refresh()
        return False


def follow(page: QWidget, changes, kinds: tuple[str, ...], refresh: Callable[[], None]) -> Follower:
    return Follower(page, changes, kinds, refresh)
