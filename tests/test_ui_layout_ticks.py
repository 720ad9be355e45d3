"""Tick labels drawn whole and clear of the axis titles (issue 9, round 3).

Seen before: the top tick label of several plots was cut at the widget's edge (the 2-D plot's "1.5" in
presentation mode, the loss plot's top decade), the η title touched its tick labels, and the learning-rate
plot's x labels crowded when it was small.
"""

import pytest
from PySide6.QtWidgets import QApplication
from test_ui_layout import assert_no_overlap, load, present, settle, tick_label_rects


def shown_rect(plot):
    return plot.mapToScene(plot.viewport().rect()).boundingRect()


def plots(window):
    return {"2-D": window.class_plot, "loss": window.loss_plot.loss, "η": window.loss_plot.lr}


@pytest.mark.parametrize("presenting, size", [(True, (1280, 720)), (True, (1920, 1080)), (False, (1280, 720))])
def test_every_tick_label_is_drawn_whole_inside_its_plot(window, qtbot, presenting, size):
    load(qtbot, window, "xnor", 300)
    (present if presenting else settle)(qtbot, window, size)
    qtbot.waitUntil(lambda: window.loss_plot.step_line.value() == 300, timeout=5_000)
    QApplication.processEvents()
    for name, plot in plots(window).items():
        shown = shown_rect(plot)
        for side in ("left", "bottom"):
            rects = tick_label_rects(plot.plotItem.getAxis(side))
            assert len(rects) >= 2, f"{name} {side}: {len(rects)} tick labels"
            cut = [r for r in rects if not shown.contains(r)]
            assert not cut, f"{name} {side}: tick labels cut at the plot's edge: {cut} outside {shown}"
            assert_no_overlap(rects, f"{name} {side}")
    texts = [t for _r, _f, t in window.class_plot.plotItem.getAxis("left").generateDrawSpecs(_painter())[2]]
    assert "1.5" in texts and "-1.5" in texts, texts  # the drawing range's ends are labelled


def _painter():
    from PySide6.QtGui import QImage, QPainter
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    _painter.keep = (image, painter)  # alive while the specs are generated
    return painter


def tick_text_left(axis) -> float:
    """The left edge of the leftmost tick label's text (its rectangle is as wide as the widest label)."""
    from PySide6.QtGui import QFontMetricsF
    metrics = QFontMetricsF(axis.style["tickFont"])
    specs = axis.generateDrawSpecs(_painter())[2]
    return min(axis.mapRectToScene(rect).right() - metrics.horizontalAdvance(text) for rect, _f, text in specs if text)


@pytest.mark.parametrize("presenting", [False, True])
def test_the_axis_titles_keep_clear_of_their_tick_labels(window, qtbot, presenting):
    load(qtbot, window, "xnor", 300)
    (present if presenting else settle)(qtbot, window, (1280, 720))
    QApplication.processEvents()
    for name, plot in plots(window).items():
        axis = plot.plotItem.getAxis("left")
        title = axis.label.mapRectToScene(axis.label.boundingRect())  # (rotated: its width is the text's height)
        title_right = title.right() - axis.label.document().documentMargin()  # the text, less the item's margin
        gap = tick_text_left(axis) - title_right
        assert gap >= 6, f"{name}: the title touches its tick labels ({gap:.1f} px between them)"


def test_the_drawing_box_is_explained_when_the_view_is_wider(window, qtbot):
    """The ±1.5 box showed as two bare black lines when the locked aspect enlarged the view: now the view beyond it
    is shaded lighter and the legend names the dashed box."""
    load(qtbot, window, "circles", 20)
    settle(qtbot, window, (800, 600))  # a narrow, tall 2-D plot: the locked aspect shows more than the box in y
    plot = window.class_plot
    _, (y0, y1) = plot.viewRange()
    assert y0 < -1.6 and y1 > 1.6, (y0, y1)
    names = [label.text for _sample, label in plot.legend.items]
    assert "drawing area" in names, names
    from PySide6.QtCore import QPointF
    assert plot.outside.isVisible()
    assert plot.outside.path().contains(QPointF(0.0, -1.55)) and plot.outside.path().contains(QPointF(1.0, 1.55))
    assert not plot.outside.path().contains(QPointF(1.0, 1.45)), "the drawing area itself is shaded"
    assert plot.outside.brush().color().alpha() < 160  # a light veil: the regions still show through
    assert "drawing area" in plot.toolTip()


@pytest.mark.parametrize("size", [(800, 600), (1024, 640)])
def test_a_narrow_loss_plot_labels_fewer_steps_instead_of_crowding_them(window, qtbot, size):
    """pyqtgraph picks about log(length) ticks whatever their labels' width: at ~90 px the loss plot's x axis read
    "05001000 1500". Now the labels keep about a digit's width between them."""
    load(qtbot, window, "bishop-sin", 1500)
    settle(qtbot, window, size)
    qtbot.waitUntil(lambda: window.loss_plot.step_line.value() == 1500, timeout=5_000)
    QApplication.processEvents()
    for name, plot in (("loss", window.loss_plot.loss), ("η", window.loss_plot.lr)):
        axis = plot.plotItem.getAxis("bottom")
        rects = tick_label_rects(axis)
        assert len(rects) >= 2, f"{name}: {len(rects)} step labels"
        gap = axis.style["tickFont"].pointSizeF() / 2  # about a character's half width, in px at 96 dpi
        widened = [r.adjusted(-gap, 0, gap, 0) for r in rects]
        assert_no_overlap(widened, f"{name} steps")
