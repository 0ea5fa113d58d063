"""The chairman's dashboard: where the commune stands against its targets, and who holds it back."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFrame, QGridLayout, QHBoxLayout,
                               QLabel, QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSplitter, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from core.queries import dashboard
from core.domain import vnformat
from core.domain.indicators import BY_KEY, E_CERTIFIED, MONTHLY_RATE_KEYS, ON_TIME_766
from gui import messages
from gui.messages import VIETNAMESE
from gui.period_picker import PeriodPicker


def charts_module():
    from core.documents import charts

    return charts


CHART_TABS = ("Theo tháng", "Theo cán bộ", "Theo lĩnh vực", "Tiếp nhận – giải quyết")


class TileWidget(QFrame):
    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"tile_{key}")
        self.name = QLabel(BY_KEY[key].short)
        self.name.setStyleSheet("font-weight: bold")
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 20px; font-weight: bold")
        self.detail = QLabel()
        self.detail.setWordWrap(True)  # eight tiles share a 1366-pixel row
        self.name.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 10000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.change = QLabel()
        self.gap = QLabel()
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #b00020")
        for w in (self.name, self.detail, self.change, self.gap, self.warning):
            w.setWordWrap(True)  # a narrow screen wraps the words instead of widening the window
            w.setMinimumWidth(112)  # wraps instead of widening the window; eight tiles share a row
        self.value.setToolTip(BY_KEY[key].short)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        for w in (self.name, self.value, self.detail, self.bar, self.change, self.gap, self.warning):
            layout.addWidget(w)
        layout.addStretch()
        if not BY_KEY[key].is_rate:
            self.bar.hide()

    def show_tile(self, t: dashboard.Tile, previous_label: str) -> None:
        is_rate = BY_KEY[t.key].is_rate
        target = f" — chỉ tiêu {vnformat.cell_percent(t.target)}" if is_rate else ""
        if t.unknown and (t.rate is None if is_rate else not t.count):
            # nothing known: no rate, and no count of "0", from nothing (interfaces.md §3)
            self.value.setText("Chưa có số liệu")
            self.detail.setText(vnformat.sentence(t.unknown_text) + target)
        else:
            unknown = f"; {t.unknown_text}" if t.unknown else ""
            if is_rate:
                self.value.setText(vnformat.cell_percent(t.rate))
                self.detail.setText(f"{vnformat.fraction(t.numerator, t.denominator)} hồ sơ{unknown}{target}")
            else:
                self.value.setText(vnformat.number(t.count or 0))
                self.detail.setText(f"bản sao chứng thực điện tử{unknown}")
        if is_rate:
            progress = 0 if t.rate is None or not t.target else min(1.0, t.rate / t.target)
            self.bar.setValue(int(progress * 10000))
            ok = t.rate is not None and t.rate >= t.target
            if ok != getattr(self, "_ok", None):  # restyling is costly: only when it changes
                self._ok = ok
                self.bar.setStyleSheet("QProgressBar::chunk { background: %s; }" % ("#2ca02c" if ok else "#e67e22"))
        self.change.setText(f"{t.change_text} so với {previous_label}" if t.change_text else "")
        self.gap.setText(t.gap_text)
        self.gap.setVisible(bool(t.gap_text))
        self.warning.setText(t.warning)
        # below target: the rate in red and the reason in its tooltip, one line less on a low screen
        below = bool(t.warning) and is_rate
        self.warning.setVisible(bool(t.warning) and not below)
        self.value.setStyleSheet("font-size: 20px; font-weight: bold" + ("; color: #b00020" if below else ""))
        self.value.setToolTip(t.warning or BY_KEY[t.key].short)


class _Fitted(QWidget):
    """The page's content in its scroll area: as tall as the window allows, never taller than needed.

    (Its word-wrapped tile labels would otherwise ask the scroll area for their preferred height.)
    """

    def heightForWidth(self, width: int) -> int:
        return self.minimumSizeHint().height()


_canvas_class = None


def fitted_canvas(figure):
    """A canvas that re-places the monthly panels for its size: titles and legend never overlap.

    matplotlib and its Qt backend (0,5–0,7 s) are imported here, when the first chart is drawn
    (after the window's first paint), not when the window is built."""
    global _canvas_class
    if _canvas_class is None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        class FittedCanvas(FigureCanvasQTAgg):
            def resizeEvent(self, event) -> None:
                super().resizeEvent(event)
                charts_module().fit(self.figure)

        _canvas_class = FittedCanvas
    return _canvas_class(figure)


class ChartTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.canvas = None  # a FigureCanvasQTAgg, made with the first chart
        self.figure = None
        self.shown = None  # what the monthly chart shows: its months, series, targets, counts and title
        self.save = QPushButton("Lưu biểu đồ PNG…")
        self.layout_ = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.save)
        self.layout_.addLayout(row)

    def show_figure(self, figure) -> None:
        """Show a figure in the tab's one canvas (a new canvas widget each time would cost a redraw)."""
        self.figure = figure
        if self.canvas is None:
            self.canvas = fitted_canvas(figure)
            self.canvas.setMinimumSize(200, 250)  # readable panels; a shorter screen scrolls the page
            self.layout_.insertWidget(0, self.canvas, 1)
        else:
            self.canvas.figure = figure
            figure.set_canvas(self.canvas)
            ratio = self.canvas.device_pixel_ratio or 1
            figure.set_size_inches(self.canvas.width() * ratio / figure.dpi,
                                   self.canvas.height() * ratio / figure.dpi)
        charts_module().fit(figure)
        self.canvas.draw_idle()


class DashboardPage(QWidget):
    open_case = Signal(int)
    chart_drawn = Signal(int)

    def __init__(self, store, calendar, changes, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store, self.calendar, self.changes = store, calendar, changes
        self._today = today
        self.data: dashboard.Dashboard | None = None
        self._dirty_charts: set[int] = set()
        self.last_refresh_ms = 0.0

        self.picker = PeriodPicker(self.today, self)
        self.kind, self.year, self.sub = self.picker.kind, self.picker.year, self.picker.sub
        self.export = QPushButton("Xuất số liệu XLSX…")
        self.export.clicked.connect(self.export_xlsx)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold")
        self.heading.setMinimumWidth(60)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.picker)
        top.addWidget(self.heading, 1)
        top.addWidget(self.export)

        self.tiles = {key: TileWidget(key) for key in (*MONTHLY_RATE_KEYS, ON_TIME_766.key, E_CERTIFIED.key)}
        from gui.index_dialog import IndexTile

        self.index_tile = IndexTile()
        self.index_tile.opened.connect(self.open_index)
        self.tile_grid = tiles = QGridLayout()
        self._tile_columns = 0
        self._place_tiles(4)  # narrow first: all in one row once the page is wide enough (resizeEvent)

        self.district_indicator = QComboBox()
        for key in MONTHLY_RATE_KEYS:
            self.district_indicator.addItem(BY_KEY[key].short, key)
        self.district_value = QDoubleSpinBox()
        self.district_value.setRange(0, 100)
        self.district_value.setDecimals(2)
        self.district_value.setSuffix(" %")
        self.district_value.setLocale(VIETNAMESE)
        self.district_save = QPushButton("Lưu mức bình quân chung")
        self.district_save.clicked.connect(self.save_district_average)
        self.district_row = QWidget()
        d = QHBoxLayout(self.district_row)
        d.setContentsMargins(0, 0, 0, 0)
        d.addWidget(QLabel("Bình quân chung của cấp trên (tháng):"))
        self.district_import = QPushButton("Nhập tệp bình quân chung…")
        self.district_import.clicked.connect(lambda: self.import_district_averages())
        for w in (self.district_indicator, self.district_value, self.district_save, self.district_import):
            d.addWidget(w)
        d.addStretch()

        self.charts = QTabWidget()
        self.chart_tabs = [ChartTab() for _ in CHART_TABS]
        for tab, title in zip(self.chart_tabs, CHART_TABS):
            self.charts.addTab(tab, title)
            tab.save.clicked.connect(lambda _=False, t=tab: self.save_png(t))
        self.charts.currentChanged.connect(self._draw_current)
        self._painted = False  # the charts wait for the page's first paint: the figures show first

        self.lists = QTabWidget()
        self.overdue_model = QStandardItemModel(self)
        self.soon_model = QStandardItemModel(self)
        self.overdue_view, self.soon_view = QTableView(), QTableView()
        for view, model, title in ((self.overdue_view, self.overdue_model, "Hồ sơ quá hạn"),
                                   (self.soon_view, self.soon_model, "Đến hạn trong 3 ngày làm việc")):
            view.setModel(model)
            view.verticalHeader().hide()
            view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
            view.doubleClicked.connect(lambda index, m=model: self.open_case.emit(
                m.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)))
            view.activated.connect(lambda index, m=model: self.open_case.emit(
                m.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)))
            self.lists.addTab(view, title)

        # the lists beside the charts, as tall as they are: at 1366×768 the overdue list shows its
        # rows (under the charts it had one and a half) and the charts keep their height
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.charts)
        splitter.addWidget(self.lists)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([730, 480])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.lists.setMinimumWidth(300)
        self._arrange_lists()
        for view in (self.overdue_view, self.soon_view):
            view.setMinimumHeight(40)
            view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long code keeps its distinguishing tail
            view.verticalHeader().setDefaultSectionSize(22)
        # on a short screen (768 px at 125 %: 614 px) the page scrolls inside the window instead of
        # growing it; at 1366×768 and 1280×720 everything fits and no scroll bar shows
        content = _Fitted()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addWidget(self.district_row)
        layout.addWidget(splitter, 1)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidget(content)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(9, 9, 9, 9)
        outer.addWidget(self.page_scroll)

        from gui.keys import forbid_buttons

        why = ("district", "Chỉ lãnh đạo được nhập mức bình quân chung.")
        forbid_buttons(self, store, {"Lưu mức bình quân chung": why, "Nhập tệp bình quân chung…": why})
        self.picker.changed.connect(self.refresh)
        changes.cases_changed.connect(self._cases_changed)
        self.changes = changes
        self.refresh()

    sheet_title = "Bảng điều hành"

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _place_tiles(self, columns: int) -> None:
        """The tiles in one row on a wide window, two rows on a narrow one."""
        if columns == self._tile_columns:
            return
        self._tile_columns = columns
        widgets = [*self.tiles.values(), self.index_tile]
        for i, w in enumerate(widgets):
            self.tile_grid.removeWidget(w)
            self.tile_grid.addWidget(w, i // columns, i % columns)
        for c in range(len(widgets)):
            self.tile_grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        count = len(self.tiles) + 1
        self._place_tiles(count if event.size().width() >= 136 * count else (count + 1) // 2)
        self._arrange_lists()

    # ---- the period ---------------------------------------------------------------------

    def set_period(self, kind: str, year: int, sub: int = 1) -> None:
        self.picker.set_period(kind, year, sub)

    def current_period(self):
        return self.picker.current()

    # ---- showing ------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """The page's first paint: the tiles and lists are on the screen, the chart is drawn next."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._draw_current)

    def _cases_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.data = None  # refreshed when shown again

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.data is None:
            self.refresh()

    def refresh(self) -> None:
        started = time.perf_counter()
        kind, period = self.current_period()
        self.data = d = dashboard.build(self.store, kind, period, self.calendar, today=self.today)
        self.heading.setText(f"Kết quả {d.title}")
        previous = dashboard.compared_with(kind, period, d.previous, self.today or dt.date.today())
        for t in d.tiles:
            self.tiles[t.key].show_tile(t, previous)
        if d.national is not None:
            self.tiles[ON_TIME_766.key].show_tile(d.national, previous)
            life = (d.index or {}).get("life") or {}
            n = vnformat.number
            self.tiles[ON_TIME_766.key].gap.setText(
                f"Từ chối {n(life.get('refused', 0))} · dừng {n(life.get('stopped', 0))} · "
                f"chờ bổ sung {n(life.get('supplement_pending', 0))}")
        self.index_tile.show_index(d.index)
        self.district_row.setVisible(kind == "month")
        self._fill_lists(d)
        self._dirty_charts = set(range(len(CHART_TABS)))
        self.last_refresh_ms = (time.perf_counter() - started) * 1000
        if self._painted:  # else at the first paint (paintEvent): the window shows before any chart
            # the chart in sight gets its new data now and is drawn once, when the events queued
            # by the new figures (layout, paint) are handled: a resize they cause joins that draw
            self._draw_current()

    def figure_for(self, index: int):
        from core.documents import charts

        d = self.data
        if index == 0:
            return charts.monthly_rates(d.months, d.monthly, d.monthly_targets, d.monthly_counts["e_certified"],
                                        self._monthly_title())
        if index == 1:
            return charts.rates_by_group(d.officers, d.by_officer, d.targets, f"Các tỷ lệ theo cán bộ, {d.title}")
        if index == 2:
            return charts.rates_by_group(d.fields, d.by_field, d.targets, f"Các tỷ lệ theo lĩnh vực, {d.title}")
        c = d.monthly_counts
        return charts.received_resolved(d.months, c["received"], c["resolved_early"], c["resolved_on_due"],
                                        c["resolved_late"])

    def _monthly_title(self) -> str:
        end = self.data.period.end
        return f"Các tỷ lệ 12 tháng đến hết tháng {end.month}/{end.year}"

    def _draw_current(self) -> None:
        """Only the chart in sight is drawn; the others when their tab is opened."""
        index = self.charts.currentIndex()
        if self.data is None or index not in self._dirty_charts:
            return
        tab = self.chart_tabs[index]
        d = self.data
        # the new figures may have changed the tiles' and lists' heights: let the layouts settle
        # first, so the canvas takes its new size now and the chart is drawn once, at that size
        # (else it was drawn at the old size, resized, and drawn again)
        for _ in range(2):  # a tile's wrapped text settles its height in a second pass
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        monthly = (d.months, d.monthly, d.monthly_targets, d.monthly_counts["e_certified"], self._monthly_title())
        if index == 0 and tab.figure is not None and tab.shown == monthly:
            pass  # the same twelve months, the same figures (a quarter after its last month): as drawn
        elif index == 0 and tab.figure is not None and charts_module().update_monthly_rates(tab.figure, *monthly):
            tab.canvas.draw_idle()
        else:
            tab.show_figure(self.figure_for(index))
        if index == 0:
            tab.shown = monthly
        self._dirty_charts.discard(index)
        self.chart_drawn.emit(index)

    SIDE_BY_SIDE = 1100  # the page's width from which the lists stand beside the charts

    def _arrange_lists(self) -> None:
        """Beside the charts on a wide page; under them, six rows tall, on a narrow one (Windows' 125 %
        on a 1366 px screen), where the page scrolls rather than squeeze the charts."""
        wide = self.width() >= self.SIDE_BY_SIDE
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() == orientation and getattr(self, "_arranged", False):
            return
        self._arranged = True
        self.splitter.setOrientation(orientation)
        rows = 6 * 22 + 60  # six rows, the header and the tab bar
        self.lists.setMinimumHeight(90 if wide else rows)
        self.lists.setMinimumWidth(300 if wide else 0)
        self.charts.setMinimumHeight(0 if wide else 340)  # under each other the page scrolls: both readable
        self.splitter.setSizes([730, 480] if wide else [400, rows])

    def _fill_lists(self, d: dashboard.Dashboard) -> None:
        # the lists are of today (overdue, due within 3 working days), not of the period: a period
        # switch finds them as they were and leaves the tables (and their scroll, their selection) alone
        shown = (d.overdue, d.due_soon)
        if shown == getattr(self, "_lists_shown", None):
            return
        self._lists_shown = shown
        headers = ["Mã hồ sơ", "Người nộp", "Hẹn trả", "Thủ tục", "Cán bộ", "Ngày nhận"]  # what he reads first
        for model, rows in ((self.overdue_model, d.overdue), (self.soon_model, d.due_soon)):
            model.clear()
            model.setHorizontalHeaderLabels(headers)
            for c in rows:
                items = [QStandardItem(c["code"]), QStandardItem(c["applicant"]),
                         QStandardItem(vnformat.date_short(dt.date.fromisoformat(c["due_date"]))),
                         QStandardItem(c["procedure"]), QStandardItem(c["officer"]),
                         QStandardItem(vnformat.date_short(dt.date.fromisoformat(c["received_date"])))]
                for item in items:
                    item.setToolTip(item.text())
                items[0].setData(c["id"], Qt.ItemDataRole.UserRole)
                model.appendRow(items)
        self.lists.setTabText(0, f"Hồ sơ quá hạn ({vnformat.number(len(d.overdue))})")
        self.lists.setTabText(1, f"Đến hạn trong 3 ngày làm việc ({vnformat.number(len(d.due_soon))})")
        for view in (self.overdue_view, self.soon_view):
            for col, width in enumerate((150, 150, 80, 300, 150, 80)):
                view.setColumnWidth(col, width)

    # ---- district average, exports ------------------------------------------------------

    def save_district_average(self) -> None:
        kind, period = self.current_period()
        if kind != "month":
            return
        if not self.store.can("district"):
            messages.error(self, "Chỉ lãnh đạo được nhập mức bình quân chung.")
            return
        from functools import partial

        from core import ops
        from gui.operations import runner_for

        runner_for(self.store, self.changes, self.window()).run(partial(
            ops.set_district_average, indicator=self.district_indicator.currentData(),
            month=period.end.strftime("%Y-%m"), value=self.district_value.value()))

    def import_district_averages(self, path: Path | None = None) -> None:
        """The pooled averages file of the roll-up office, into the district averages (no retyping)."""
        from core.queries import rollup

        if not self.store.can("district"):
            messages.error(self, "Chỉ lãnh đạo được nhập mức bình quân chung.")
            return
        path = path or messages.open_path(self, "Tệp mức bình quân chung", "", "Mức bình quân chung (*.json)")
        if path is None:
            return
        from functools import partial

        from core import ops

        try:
            data = Path(path).read_bytes()
            month, averages = rollup.read_averages(data)  # refused before any write
        except (OSError, rollup.RollupError) as exc:
            messages.error(self, f"Không nhập được {Path(path).name}: {exc}")
            return
        y, m = map(int, month.split("-"))
        op = partial(ops.import_averages, data=data)

        def done(_changes) -> None:
            messages.info(self, f"Đã nhập mức bình quân chung tháng {m}/{y} của "
                                f"{vnformat.padded(len(averages))} chỉ số.")
            self.picker.set_period("month", y, m)

        runner = self.changes.runner
        if runner is None:
            from gui.operations import OpRunner

            runner = OpRunner(self.store, self.changes, None, self.window())
        runner.run(op, undoable=False, on_done=done)

    def save_png(self, tab: ChartTab, path: Path | None = None) -> None:
        if tab.figure is None:
            return
        path = path or messages.save_path(self, "Lưu biểu đồ", "bieu-do.png", "PNG (*.png)")
        if path is None:
            return
        try:
            tab.figure.savefig(path, dpi=150)
        except OSError as exc:
            messages.error(self, f"Không lưu được {path}: {exc}")

    def export_xlsx(self, path: Path | None = None) -> None:
        if self.data is None:
            return
        path = path or messages.save_path(self, "Xuất số liệu", "so-lieu.xlsx", "Excel (*.xlsx)")
        if path is None:
            return
        try:
            dashboard.to_xlsx(self.data, path, self.store, self.today)
        except OSError as exc:
            messages.error(self, f"Không ghi được {path}: {exc}")
            return
        messages.info(self, f"Đã xuất số liệu {self.data.title} ra {path}.")

    def open_index(self) -> None:
        """The breakdown of the service-index estimate; typed-in points saved there refresh the tile."""
        from gui.index_dialog import IndexDialog

        _, period = self.current_period()
        runner = self.changes.runner
        self.index_dialog = IndexDialog(self.store, period, self.today, self,
                                        run=(lambda op: runner.run(op, undoable=False)) if runner else None)
        if runner is None:
            self.index_dialog.changed.connect(self.refresh)
        self.index_dialog.open()
