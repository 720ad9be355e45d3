"""Presentation mode (View → Presentation mode, F11): legible from the back of a lecture hall.

Full screen. The application font (menus, toolbar, status bar) and axis titles ×1.5; axis ticks
and legends ×1.8; the caption ×1.8; heatmap titles ×1.25 (their rows have fixed heights). Curves
twice as thick (still without antialiasing, so they stay cheap) and points larger. The docks
(controls, inspector) are tucked away; F11 or Esc leaves, restoring the exact previous layout:
window geometry and state (geometry / saveState), fonts, pens.

Views rebuild some items when the scene changes (legend entries, heatmap tiles, axis labels);
while the mode is on, those are restyled after the next snapshot. Every object's normal look
is recorded the first time it is restyled, so leaving the mode puts back exactly what was there.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QPen, QShortcut
from PySide6.QtWidgets import QApplication, QDockWidget, QGraphicsSimpleTextItem, QWidget

FONT_SCALE = 1.5        # the application font: menus, toolbar, status bar, panels
PLOT_FONT_SCALE = 1.8   # axis ticks and labels, legends, heatmap titles: the text a class must read
CAPTION_SCALE = 1.8
TILE_FONT_SCALE = 1.25  # heatmap tile titles sit in rows of fixed height
PEN_SCALE = 2.0
MAX_PEN = 9.0
POINT_SCALE = 1.4

_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)\s*pt")


def _scaled_css(css: str, factor: float) -> str:
    return _FONT_SIZE.sub(lambda m: f"font-size: {float(m.group(1)) * factor:.1f}pt", css)


def _scaled_font(font: QFont, factor: float) -> QFont:
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    return font


def _scaled_pen(pen: QPen) -> QPen:
    pen = QPen(pen)
    pen.setWidthF(min(max(pen.widthF(), 1.0) * PEN_SCALE, MAX_PEN))
    return pen


class PresentationMode(QObject):
    toggled = Signal(bool)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.enabled = False
        self._saved = None           # the window's layout before the mode: geometry, state, flags, app font
        self._base: dict = {}        # id(object) -> (object, how to restore it)
        self._stale = False
        self.action = QAction("&Presentation mode", window, checkable=True, shortcut=QKeySequence("F11"))
        self.action.setToolTip("Full screen, large fonts and thick lines, controls tucked away (F11; Esc leaves)")
        self.action.toggled.connect(self._on_action_toggled)
        window.view_menu.addAction(self.action)
        window.addAction(self.action)  # the shortcut works while the menu bar is hidden too
        self._escape = QShortcut(QKeySequence(Qt.Key_Escape), window)
        self._escape.setEnabled(False)
        self._escape.setWhatsThis("leave presentation mode")  # Help ▸ Keyboard shortcuts lists it
        self._escape.activated.connect(lambda: self.set_enabled(False))
        session = window.session
        session.model_changed.connect(self._on_session_model_changed)
        session.snapshot_changed.connect(self._on_session_snapshot_changed)

    # -- switching ----------------------------------------------------------------------------
    @Slot(bool)
    def _on_action_toggled(self, on: bool) -> None:
        self.set_enabled(on)

    def toggle(self) -> None:
        self.set_enabled(not self.enabled)

    def set_enabled(self, on: bool, full_screen: bool = True) -> None:
        """Enter or leave presentation mode; ``full_screen=False`` keeps the window's size (headless export)."""
        if on == self.enabled:
            return
        w = self.window
        if on:
            app = QApplication.instance()
            self._saved = {"geometry": w.geometry(), "normal": w.normalGeometry(), "state": w.saveState(),
                           "flags": w.windowState(), "app_font": QFont(app.font())}
            self.enabled = True
            app.setFont(_scaled_font(self._saved["app_font"], FONT_SCALE))
            for dock in w.findChildren(QDockWidget):
                dock.hide()
            self._apply()
            if full_screen:
                w.showFullScreen()
        else:
            self.enabled = False
            self._restore_looks()
            QApplication.instance().setFont(self._saved["app_font"])
            saved, self._saved = self._saved, None
            flags = saved["flags"]
            w.showNormal()
            # setGeometry, not restoreGeometry: the latter fits the window to the screen, and the point is to
            # put back exactly what was there
            w.setGeometry(saved["normal"] if flags & (Qt.WindowFullScreen | Qt.WindowMaximized) else saved["geometry"])
            if flags & Qt.WindowFullScreen:
                w.showFullScreen()
            elif flags & Qt.WindowMaximized:
                w.showMaximized()
            w.restoreState(saved["state"])
        self._escape.setEnabled(on)
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        self.toggled.emit(on)

    # -- restyling ----------------------------------------------------------------------------
    @Slot()
    def _on_session_model_changed(self) -> None:
        self._stale = self.enabled

    @Slot(object)
    def _on_session_snapshot_changed(self, _snapshot) -> None:
        if self._stale:  # views rebuilt some items for the new scene: give them the large look too
            self._stale = False
            self._apply()

    def _style(self, obj, get, put, scale, size=lambda look: look, part: str = "") -> None:
        """Show ``scale(normal look)`` on ``obj``.

        The normal look is what ``get()`` returns the first time, or later if the view has put a look
        of its own in place since (a rebuilt label, a reset axis): ``size(look)`` tells the two apart,
        since other parts of a look (an axis label's colour) may change under us without a reset.
        """
        key = (id(obj), part)
        current = get()
        record = self._base.get(key)
        if record is not None and record[0] is obj and size(current) == size(record[2]):
            self._base[key] = (*record[:2], current, *record[3:])  # still ours, maybe recoloured
            return
        put(scale(current))
        self._base[key] = (obj, current, get(), put, get, size)

    def _apply(self) -> None:
        w = self.window
        for widget in [w, *w.findChildren(QWidget)]:
            css = widget.styleSheet()
            if "font-size" in css:
                factor = CAPTION_SCALE if widget is getattr(w, "caption", None) else FONT_SCALE
                self._style(widget, widget.styleSheet, widget.setStyleSheet, lambda c, f=factor: _scaled_css(c, f),
                            lambda c: _FONT_SIZE.findall(c))
            elif widget is not w and widget.testAttribute(Qt.WA_SetFont) and not css:
                self._style(widget, lambda o=widget: QFont(o.font()), widget.setFont,
                            lambda f: _scaled_font(f, FONT_SCALE), QFont.pointSizeF)
        for view in w.findChildren(pg.GraphicsView):
            for item in view.scene().items():
                self._apply_item(item)

    def _apply_item(self, item) -> None:
        if isinstance(item, pg.AxisItem):
            if ("space", id(item)) not in self._base:  # the tick-text room it had: axes only ever grow by themselves
                space = (item.textWidth, item.textHeight)
                self._base[("space", id(item))] = (item, space, None, lambda s, o=item: self._set_space(o, s))
            # ticks and title separately: a view may reset one (setLabel on a new scene) and not the other
            self._style(item, lambda o=item: o.style.get("tickFont"), item.setTickFont,
                        lambda f: _scaled_font(f if f is not None else QApplication.font(), PLOT_FONT_SCALE),
                        lambda f: None if f is None else f.pointSizeF(), part="ticks")
            self._style(item, lambda o=item: dict(o.labelStyle), lambda style, o=item: self._set_axis_title(o, style),
                        self._scaled_title, lambda style: style.get("font-size"), part="title")
        elif isinstance(item, pg.PlotDataItem):
            pen = item.opts.get("pen")
            if isinstance(pen, QPen) and pen.style() != Qt.NoPen:
                self._style(item, lambda o=item: QPen(o.opts.get("pen")), item.setPen, _scaled_pen, QPen.widthF)
        elif isinstance(item, pg.ScatterPlotItem) and not isinstance(item.parentItem(), pg.PlotDataItem):
            if isinstance(item.opts.get("size"), (int, float)):
                self._style(item, lambda o=item: o.opts.get("size"), item.setSize, lambda s: s * POINT_SCALE)
        elif isinstance(item, pg.InfiniteLine):
            self._style(item, lambda o=item: QPen(o.pen), item.setPen, _scaled_pen, QPen.widthF)
        elif isinstance(item, pg.LegendItem):
            if isinstance(item.opts.get("labelTextSize"), str):
                self._style(item, lambda o=item: o.opts["labelTextSize"], lambda size, o=item: self._set_legend(o, size),
                            lambda size: _scaled_css(f"font-size: {size}", PLOT_FONT_SCALE)[len("font-size: "):])
        elif isinstance(item, QGraphicsSimpleTextItem):  # heatmap titles and layer headings: the grid's rows
            self._style(item, lambda o=item: QFont(o.font()), item.setFont,  # have fixed heights, so a little only
                        lambda f: _scaled_font(f, TILE_FONT_SCALE), QFont.pointSizeF)

    @staticmethod
    def _scaled_title(style: dict) -> dict:
        # axis titles a little less than the ticks: a long one ("loss (log scale)") must still fit its plot
        return {k: (_scaled_css(f"font-size: {v}", FONT_SCALE)[len("font-size: "):] if k == "font-size" else v)
                for k, v in style.items()}

    @staticmethod
    def _set_axis_title(axis, style: dict) -> None:
        axis.labelStyle = dict(style)
        axis._updateLabel()  # pyqtgraph re-renders the label HTML from labelStyle

    @staticmethod
    def _set_space(axis, space) -> None:
        axis.textWidth, axis.textHeight = space
        axis._adjustSize()

    @staticmethod
    def _set_legend(legend, size: str) -> None:
        legend.setLabelTextSize(size)
        for _sample, label in legend.items:  # setLabelTextSize only records the size: re-render the text
            label.setText(label.text)
        legend.updateSize()

    def _restore_looks(self) -> None:
        records, self._base = self._base, {}
        for key, (obj, normal, applied, put, get, size) in ((k, r) for k, r in records.items() if k[0] != "space"):
            try:
                if size(get()) == size(applied):  # else the view has restyled it: its normal look now
                    put(normal)
            except RuntimeError:  # the item was deleted meanwhile (a rebuilt legend entry)
                pass
        for key, (obj, space, _, put) in ((k, r) for k, r in records.items() if k[0] == "space"):
            try:  # the axes' tick-text room, after the fonts
                put(space)
            except RuntimeError:
                pass
        self._stale = False
