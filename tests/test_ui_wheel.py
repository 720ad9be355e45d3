"""The mouse wheel over the controls panel scrolls it; it changes a combo box or the LR slider only once focused."""

from operator import attrgetter

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def wheel(widget, notches=-1):
    """A real wheel notch over the middle of ``widget`` (negative: scroll down), through the window system as a
    mouse would send it (a spontaneous QWheelEvent: only those travel on to the parent when ignored)."""
    top = widget.window()
    centre = widget.mapTo(top, QPoint(widget.width() // 2, widget.height() // 2))
    QTest.wheelEvent(top.windowHandle(), QPointF(centre), QPoint(0, 120 * notches))
    QApplication.processEvents()


@pytest.fixture
def panel(window, qtbot):
    window.resize(1280, 560)  # a short window: the controls panel has to scroll
    controls = window.controls
    qtbot.waitUntil(lambda: controls.verticalScrollBar().maximum() > 0, timeout=5_000)
    return controls


@pytest.mark.parametrize("name", ["activation", "optimizer", "schedule_box.schedule", "lr_slider", "mode"])
def test_the_wheel_over_an_unfocused_control_scrolls_the_panel_and_changes_nothing(window, panel, qtbot, name):
    control = attrgetter(name)(panel)
    panel.ensureWidgetVisible(control)
    bar = panel.verticalScrollBar()
    bar.setValue(0 if bar.value() == bar.maximum() else bar.value())
    before_value, before_settings = bar.value(), (window.session.settings, window.session.hidden,
                                                   window.session.activation, window.session.mode)
    before_control = control.value() if name == "lr_slider" else control.currentIndex()
    wheel(control, -1)
    assert (control.value() if name == "lr_slider" else control.currentIndex()) == before_control
    assert (window.session.settings, window.session.hidden, window.session.activation,
            window.session.mode) == before_settings
    assert bar.value() > before_value  # the panel scrolled instead
    assert not control.hasFocus()


def test_a_focused_combo_box_takes_the_wheel(window, panel, qtbot):
    combo = panel.optimizer
    panel.ensureWidgetVisible(combo)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    before = combo.currentIndex()
    wheel(combo, -1)
    assert combo.currentIndex() == before + 1
    assert window.session.settings.optimizer == combo.currentData()


def test_the_toolbar_combos_ignore_the_wheel_unless_focused(window, qtbot):
    speed, scene = window.speed.currentIndex(), window.presets.currentIndex()
    wheel(window.speed, -1)
    wheel(window.presets, -1)
    assert (window.speed.currentIndex(), window.presets.currentIndex()) == (speed, scene)
