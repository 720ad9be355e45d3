"""The network diagram read by a newcomer at 1280×720: each input tile says which feature it is, no input's links
run under another input tile, a hovered link keeps its tooltip when Qt asks for one (on a real X server a pause
of the mouse sends a ToolTip event, which hid it), and the field for typing a weight says which weight it is."""

import numpy as np
import pytest
from gui_helpers import hover, wait_fresh
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.exceptions import TimeoutError as WaitTimeout
from test_ui_network_diagram import _link_middle, _open, _view_point

from playground.ui.network_diagram import MIN_CANVAS_HEIGHT


def _circles_on_squares(qtbot, window):
    """Two circles, no hidden layer, φ(x) = (x₁², x₂²): the lecture's linear model on a feature map."""
    diagram = _open(qtbot, window, "circles")
    s = window.session
    assert s.set_architecture((), s.activation) and s.set_features(("x1^2", "x2^2"))
    wait_fresh(qtbot, s)
    qtbot.waitUntil(lambda: diagram.drawn_serial == s.snapshot.serial and diagram.canvas.layer_sizes == (2, 2))
    return diagram


def test_each_input_tile_carries_its_feature_name_on_it(qtbot, make_window):
    window = make_window(size=(1280, 720))
    diagram = _circles_on_squares(qtbot, window)
    column = diagram.canvas.columns[0]
    names = [text.text() for _, text in column.name_tags]
    assert names == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin(πx₁)", "sin(πx₂)"]
    assert column.across == 1
    view = diagram.canvas.mapToScene(diagram.canvas.viewport().rect()).boundingRect()
    for tile, (box, text) in enumerate(column.name_tags):
        assert box.sceneBoundingRect().contains(text.sceneBoundingRect().center())   # on its pale box
        where, rect = text.sceneBoundingRect(), column.tile_rect(tile)
        assert text.isVisible() and view.contains(where)            # whole, inside the view
        assert where.right() <= rect.left() and rect.top() <= where.center().y() <= rect.bottom()  # left of its tile
        assert not any(where.intersects(column.tile_rect(k)) for k in range(column.size))


@pytest.mark.parametrize("short", [False, True])
def test_no_input_link_runs_under_another_input_tile(qtbot, make_window, short):
    window = make_window(size=(1280, 720))
    diagram = _circles_on_squares(qtbot, window)
    canvas, column = diagram.canvas, diagram.canvas.columns[0]
    if short:  # a dock as short as the canvas gets (below the plots, or with other docks): 7 tiles in 200 px
        canvas.setFixedHeight(MIN_CANVAS_HEIGHT)
        qtbot.waitUntil(lambda: canvas.height() == MIN_CANVAS_HEIGHT)
        canvas.arrange()
        diagram.redraw()
    slots = canvas.input_slots
    for o in range(2):
        for i in range(2):
            a, b = canvas.link_segment(0, o, i)
            for t in np.linspace(0.0, 1.0, 200):
                p = a * (1 - t) + b * t
                under = [k for k in range(column.size)
                         if k != slots[i] and column.tile_rect(k).adjusted(1, 1, -1, -1).contains(p)]
                assert not under, f"link x{i} → s{o} passes under input tile {under} at {p}"
    # and the four links can each be pointed at apart (raises if one cannot be told from the others)
    for o in range(2):
        for i in range(2):
            _link_middle(diagram, 0, o, i)


def test_a_hovered_link_keeps_its_tooltip_when_qt_asks_for_one(qtbot, window):
    diagram = _open(qtbot, window, "xor", steps=10)
    viewport = diagram.canvas.viewport()
    point = _link_middle(diagram, 1, 1, 2)
    hover(viewport, point)
    # the mouse rests: Qt sends the view a ToolTip event (what a real X server does after ~700 ms)
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.ToolTip, point, viewport.mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text().startswith("w = ") and "h₃ of layer 1 → score s₂" in QToolTip.text()
    with pytest.raises(WaitTimeout):  # it stays (Qt's own answer to the event hid it 300 ms later)
        qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=1000)
    # on a unit: its bias
    centre = _view_point(diagram, diagram.canvas.columns[1].tile_rect(0).center())
    hover(viewport, centre)
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.ToolTip, centre, viewport.mapToGlobal(centre)))
    qtbot.waitUntil(lambda: QToolTip.isVisible() and "bias b =" in QToolTip.text())
    QToolTip.hideText()


def test_the_field_for_a_weight_says_which_weight_it_is(qtbot, window):
    diagram = _open(qtbot, window, "xor", steps=10)
    viewport = diagram.canvas.viewport()
    qtbot.mouseClick(viewport, Qt.LeftButton, pos=_link_middle(diagram, 1, 1, 2))
    editor, caption = diagram.editor, diagram.editor.caption
    assert editor.isVisible() and caption.isVisible()
    assert caption.text() == "w (h₃ of layer 1 → score s₂) ="
    assert not caption.geometry().intersects(editor.geometry())
    assert viewport.rect().contains(caption.geometry())
    qtbot.keyClick(editor, Qt.Key_Escape)
    assert not caption.isVisible()
    # a tile: its bias
    qtbot.mouseClick(viewport, Qt.LeftButton, pos=_view_point(diagram, diagram.canvas.columns[1].tile_rect(0).center()))
    assert caption.isVisible() and caption.text() == "b of h₁ of layer 1 ="


def test_a_first_layer_link_on_chosen_features_names_the_feature_it_reads(qtbot, make_window):
    window = make_window(size=(1280, 720))
    diagram = _circles_on_squares(qtbot, window)
    qtbot.mouseClick(diagram.canvas.viewport(), Qt.LeftButton, pos=_link_middle(diagram, 0, 1, 0))
    assert diagram.editor.caption.text() == "w (φ₁ = x₁² → score s₂) ="


def test_in_presentation_mode_the_column_headers_do_not_run_together(qtbot, make_window):
    window = make_window(size=(1280, 720))
    window.presentation.set_enabled(True, full_screen=False)
    window.resize(1280, 720)
    diagram = _open(qtbot, window, "spiral", steps=10)   # [2, 16, 16, 2]: two hidden layers with − and +
    canvas = diagram.canvas
    qtbot.waitUntil(lambda: canvas.columns and canvas.columns[1].scale > 1)
    canvas.arrange()
    spans = [(min([c.title.sceneBoundingRect().left(), *(box.sceneBoundingRect().left() for box, _, _ in c.buttons)]),
              max([c.title.sceneBoundingRect().right(), *(box.sceneBoundingRect().right() for box, _, _ in c.buttons)]))
             for c in canvas.columns]
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), spans
    view = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert view.left() <= spans[0][0] and spans[-1][1] <= view.right()
    # every header still says how many units its layer has
    assert [c.title.text() for c in canvas.columns][1:3] in (["layer 1: 16", "layer 2: 16"], ["16", "16"])
    window.presentation.set_enabled(False)
