"""Reverse vs forward mode (View ▸ Reverse vs forward mode): the multiplications of the current network's gradient.

A small table (the forward pass both modes need, one backward pass, P tangent passes) and two bars, from
the network's layer sizes alone (engine/ad_count.py), with the slide's words. It follows the network:
adding a unit or a layer changes the numbers at once.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..engine.ad_count import GradientCost, gradient_cost, input_gradient_chain, optimal_chain_cost, product_cost
from .lecture_words import arrange_parts, scrolling
from .plot_style import style_axes
from .view_docks import LazyView, open_action

SLIDE = ("Reverse mode automatic differentiation (backprop) is faster since we have a scalar output and a vector "
         "input, and it works well on most neural networks. Forward mode automatic differentiation could be "
         "faster if we have a scalar input and a vector output (less memory).")  # the slide's words
CHAIN_SLIDE = "Optimal ordering = matrix chain ordering problem. Dynamic programming solution."  # the slide's words
REVERSE_COLOR, FORWARD_COLOR = (0, 114, 178), (213, 94, 0)
HEADERS = ("", "passes", "per point", "all points")  # multiplications


def _rows(cost: GradientCost) -> list[tuple[str, str, int]]:
    """(what, passes, multiplications per point) for the table."""
    return [("the values (both modes)", "1 forward", cost.forward_pass),
            ("reverse mode (backprop)", "+ 1 backward", cost.reverse),
            ("forward mode", f"+ P = {cost.parameters:,}", cost.forward)]


class AdModesView(QWidget):
    """The slide's words, the counts for the session's network and its points, and two bars."""

    def __init__(self, session, look, parent=None):
        super().__init__(parent)
        self.session, self.look = session, look
        self.slide = QLabel(SLIDE)
        self.slide.setWordWrap(True)
        self.network = QLabel()
        self.network.setWordWrap(True)
        table = self._build_table()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.chain = QLabel()  # the slide's chain of Jacobians for this network, in both orders and the best one
        self.chain.setWordWrap(True)
        self._build_bars()
        counts = QVBoxLayout()  # side by side, not stacked: a view dock is short and the bars need its height
        counts.addWidget(self.network)
        counts.addLayout(table)
        counts.addWidget(self.verdict)
        counts.addStretch(1)
        words = QVBoxLayout()
        words.addWidget(self.slide)
        words.addWidget(self.chain)
        words.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(scrolling(counts), 5)
        row.addWidget(self.bars, 2)
        row.addWidget(scrolling(words), 3)
        self.row = row
        for signal in (session.model_changed, session.points_changed):
            signal.connect(self._on_session_changed)
        look.changed.connect(self._apply_look)
        self._apply_look()
        self.show_counts()

    def _build_table(self) -> QGridLayout:
        """A header row and a row for the values, reverse mode and forward mode: passes and multiplications."""
        self.cells = [[QLabel() for _ in HEADERS] for _ in range(4)]  # a header row and three rows
        table = QGridLayout()
        for r, row in enumerate(self.cells):
            for c, cell in enumerate(row):
                table.addWidget(cell, r, c)
                cell.setWordWrap(c < 2)  # the words wrap in a narrow dock, the numbers stay whole
        for header, cell in zip(HEADERS, self.cells[0]):
            cell.setText(f"<b>{header}</b>")
        return table

    def _build_bars(self) -> None:
        """The two modes' multiplications as horizontal bars, each with its number beside it."""
        self.bars = pg.PlotWidget(background="w")
        self.bars.setMenuEnabled(False)
        self.bars.plotItem.hideButtons()
        self.bars.plotItem.vb.setMouseEnabled(False, False)
        self.bars.setMinimumWidth(200)
        style_axes(self.bars.plotItem)
        self.bars.getAxis("left").setTicks([[(1, "reverse"), (0, "forward")]])
        self.bar_items = pg.BarGraphItem(x0=[0, 0], y=[1, 0], height=0.6, width=[0, 0],
                                         brushes=[pg.mkBrush(*REVERSE_COLOR), pg.mkBrush(*FORWARD_COLOR)])
        self.bars.addItem(self.bar_items)
        self.bar_labels = [pg.TextItem(color=color, anchor=(0, 0.5)) for color in (REVERSE_COLOR, FORWARD_COLOR)]
        for label in self.bar_labels:
            self.bars.addItem(label)

    def show_counts(self) -> None:
        """The counts for the session's network now, per point and for all its points."""
        sizes = tuple(self.session.layer_sizes)
        cost = gradient_cost(sizes)
        n = len(self.session.points)
        self.cost = cost
        self.network.setText(f"Multiplications for the gradient of the loss of {' → '.join(map(str, sizes))} "
                             f"(P = {cost.parameters:,} parameters), for one point and for all {n:,}:")
        for cells, (what, passes, per_point) in zip(self.cells[1:], _rows(cost)):
            for cell, value in zip(cells, (what, passes, f"{per_point:,}", f"{n * per_point:,}")):
                cell.setText(value)
        self.verdict.setText(f"Forward mode: {cost.forward / cost.reverse:.1f}× as many. One tangent pass costs what "
                             f"the backward pass costs ({cost.per_pass:,}); a scalar loss needs P of them.")
        shapes = input_gradient_chain(sizes)
        best, order = optimal_chain_cost(shapes)
        self.chain.setText(f"The chain ∂ℓ/∂x = {' '.join(f'({a}×{b})' for a, b in shapes)}: multiplied from the left "
                           f"(reverse) {product_cost(shapes, 'reverse'):,}, from the right (forward) "
                           f"{product_cost(shapes, 'forward'):,}, best {best:,} {order}. "
                           f"<i>{CHAIN_SLIDE}</i>")
        self.bar_items.setOpts(width=[cost.reverse, cost.forward])
        for label, value, y in zip(self.bar_labels, (cost.reverse, cost.forward), (1, 0)):
            label.setText(f"{value:,}")
            label.setPos(value, y)
        self.bars.setXRange(0, cost.forward * 1.3, padding=0)  # room for the numbers at the bars' ends
        self.bars.setYRange(-0.6, 1.6, padding=0)

    @Slot()
    def _on_session_changed(self) -> None:
        self.show_counts()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        arrange_parts(self.row, self.width())

    def _apply_look(self) -> None:
        look = self.look
        self.slide.setStyleSheet(f"{look.css('header')} font-style: italic; color: #123a66;")
        line = QFontMetrics(look.font("legend")).height() + 4
        for label in (self.network, self.verdict, self.chain, *[cell for row in self.cells for cell in row]):
            label.setStyleSheet(look.css("legend"))
        for cell in [cell for row in self.cells for cell in row]:
            cell.setMinimumHeight(line)  # a short dock scrolls the column; its rows never overlap
        look.style_axes(self.bars.plotItem)
        look.set_axis_label(self.bars.plotItem, "bottom", "multiplications")
        for label in self.bar_labels:
            label.setFont(look.font("legend"))


def install(window) -> LazyView:
    """View ▸ Reverse vs forward mode: the view in a view dock (tabbed with the others), hidden until chosen, built
    when first shown."""
    def build() -> AdModesView:
        view = AdModesView(window.session, window.look)
        view.dock, view.action = dock, action
        return view
    lazy = LazyView(build)
    dock = window.add_dock("Reverse vs forward mode", "ad_modes", lazy, scrolls=False)  # its words wrap
    action = open_action(dock, "Reverse vs &forward mode", tip="The multiplications of this network's gradient: one "
                         "backward pass vs one pass per parameter")
    window.menu("view").addAction(action)
    return lazy
