"""The one date field of the window: dates typed as people type them in Excel (issue 29).

``DateField`` is a line of text with the calls of ``QDateEdit`` the pages use (``date``,
``setDate``, ``dateChanged``), so it replaces it wherever a date is typed:

- the whole date is selected when the field gets the focus (Tab, Shift+Tab, a click): what is
  typed replaces it, never lands in one section ("25/12/2026" never becomes 05/12/2512);
- "5/12" (this year), "05/12/2026", "5-12-2026", "5.12.26", "0512", "051226", "05122026" are read
  as 5 December; the text is written back as 05/12/2026 when the field is left or Enter pressed;
- what cannot be read is kept as typed, framed in red, with the reason in its tooltip, and
  ``is_valid()`` is false (the dialogs refuse to save); ``date()`` stays the last date read;
- F4 or Alt+Down opens a month calendar with Sundays, Saturdays and public holidays in red
  (holiday names in tooltips); the arrows move in it without changing anything; Enter or a click
  takes the day, Esc closes it. The value changes only by what the user chooses.
"""
from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QFrame, QLineEdit, QVBoxLayout

FORMAT = "%d/%m/%Y"
PROBLEM = "Không đọc được ngày “{}”: gõ như 05/12/2026, 5/12, 5-12-26 hoặc 05122026."
SEPARATORS = re.compile(r"\s*[/\-.\s]\s*")


def read_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The day meant by ``text`` as a Vietnamese office types it (day first), or None."""
    today = today or dt.date.today()
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        n = len(text)
        if n == 4:
            parts = [text[:2], text[2:], str(today.year)]
        elif n == 6:
            parts = [text[:2], text[2:4], text[4:]]
        elif n == 8:
            parts = [text[:2], text[2:4], text[4:]]
        else:
            return None
    else:
        parts = SEPARATORS.split(text)
        if len(parts) == 2:
            parts.append(str(today.year))
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            return None
    day, month, year = parts
    if len(year) == 2:
        year = str(2000 + int(year))
    if len(year) != 4 or not (1900 <= int(year) <= 2100) or len(day) > 2 or len(month) > 2:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class CalendarPopup(QFrame):
    """The month calendar of a date field: a choice is taken only by Enter or a click."""

    chosen = Signal(QDate)

    def __init__(self, field: "DateField"):
        super().__init__(field, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setLocale(field.locale())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        self.calendar.activated.connect(self._take)  # Enter, or a double click
        self.calendar.clicked.connect(self._take)
        self.calendar.currentPageChanged.connect(lambda y, m: self.mark_holidays(field.work_calendar, y, m))

    def mark_holidays(self, work_calendar, year: int, month: int) -> None:
        """Public holidays (and the office's own days off) in red, their names in tooltips."""
        if work_calendar is None:
            return
        red = QTextCharFormat()
        red.setForeground(QColor("#b00020"))
        red.setFontWeight(700)
        first = dt.date(year, month, 1)
        for offset in range(-7, 45):  # the six weeks the page shows
            d = first + dt.timedelta(days=offset)
            name = work_calendar.holiday_name(d)
            if name or (d.weekday() < 5 and not work_calendar.is_working_day(d)):
                fmt = QTextCharFormat(red)
                fmt.setToolTip(name or "Ngày nghỉ của cơ quan")
                self.calendar.setDateTextFormat(_qdate(d), fmt)

    def _take(self, day: QDate) -> None:
        self.chosen.emit(day)
        self.close()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateField(QLineEdit):
    """A date typed as people type it; see the module's text."""

    dateChanged = Signal(QDate)

    def __init__(self, date: QDate | dt.date | None = None, parent=None, work_calendar=None,
                 today: dt.date | None = None):
        super().__init__(parent)
        if work_calendar is None:
            from core.domain.workdays import WorkCalendar

            work_calendar = WorkCalendar()
        self.work_calendar = work_calendar
        self._today = today
        self._date = _pydate(date) if isinstance(date, QDate) else (date or dt.date.today())
        self._valid = True
        self.popup: CalendarPopup | None = None
        self.setPlaceholderText("dd/mm/yyyy")
        self.setToolTip("Gõ ngày như 05/12/2026, 5/12, 5-12-26 hoặc 05122026; F4 hoặc Alt+↓ mở lịch")
        self._tip = self.toolTip()
        self.setText(self._date.strftime(FORMAT))
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._tidy)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 28)

    # ---- QDateEdit's calls ------------------------------------------------------------

    def date(self) -> QDate:
        return _qdate(self._date)

    def setDate(self, date: QDate | dt.date) -> None:
        day = _pydate(date) if isinstance(date, QDate) else date
        self._set_valid(True)
        self.setText(day.strftime(FORMAT))
        if day != self._date:
            self._date = day
            self.dateChanged.emit(self.date())

    def setCalendarPopup(self, _on: bool) -> None:  # always there (F4, Alt+Down)
        pass

    def setDisplayFormat(self, _format: str) -> None:  # always dd/mm/yyyy
        pass

    # ---- what is typed ----------------------------------------------------------------

    def is_valid(self) -> bool:
        return self._valid

    def problem(self) -> str:
        return "" if self._valid else PROBLEM.format(self.text().strip())

    def _typed(self, text: str) -> None:
        day = read_date(text, self._today)
        self._set_valid(day is not None)
        if day is not None and day != self._date:
            self._date = day
            self.dateChanged.emit(self.date())
        elif day is None:
            self.dateChanged.emit(self.date())  # the dialogs check again: an unreadable date refuses

    def _tidy(self) -> None:
        if self._valid:
            self.setText(self._date.strftime(FORMAT))

    def _set_valid(self, valid: bool) -> None:
        if valid == self._valid:
            return
        self._valid = valid
        self.setStyleSheet("" if valid else "QLineEdit { border: 2px solid #b00020; }")
        self.setToolTip(self._tip if valid else self.problem())

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        # the whole date, whatever brought the focus (a click puts the cursor after this event)
        QTimer.singleShot(0, self.selectAll)

    def keyPressEvent(self, event) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        if event.key() == Qt.Key.Key_F4 or alt_down:
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        # F4 is nobody's shortcut here: the field takes it before the window's actions
        if event.type() == QEvent.Type.ShortcutOverride and (
                event.key() == Qt.Key.Key_F4 or (event.key() == Qt.Key.Key_Down
                                                 and event.modifiers() & Qt.KeyboardModifier.AltModifier)):
            event.accept()
            return True
        return super().event(event)

    # ---- the calendar -----------------------------------------------------------------

    def open_calendar(self) -> CalendarPopup:
        self.popup = CalendarPopup(self)
        self.popup.calendar.setSelectedDate(self.date())
        self.popup.mark_holidays(self.work_calendar, self._date.year, self._date.month)
        self.popup.chosen.connect(self._chosen)
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        self.popup.calendar.setFocus()
        return self.popup

    def _chosen(self, day: QDate) -> None:
        self.setDate(day)
        self.setFocus()
        self.selectAll()

