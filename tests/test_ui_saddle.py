"""View ▸ Saddle point through the real window: the paths and their step counts against the closed form."""

import math

import numpy as np
from PySide6.QtCore import Qt
from test_ui_recorder import click_menu_item


def near_saddle_closed_form(start, rate, radius=0.2, box=1.5, steps=150):
    """Steps of gradient descent on θ₁² − θ₂² within ``radius`` of 0: θₖ = ((1−2η)^k θ₁, (1+2η)^k θ₂)."""
    count = 0
    for k in range(steps + 1):
        theta = np.array([(1 - 2 * rate) ** k * start[0], (1 + 2 * rate) ** k * start[1]])
        count += np.linalg.norm(theta) < radius
        if np.abs(theta).max() > box:
            break
    return count


def test_the_saddle_view_opens_from_the_menu_and_counts_the_slow_passage(window, qtbot):
    view = window.saddle
    assert not view.dock.isVisible()
    click_menu_item(qtbot, window.view_menu, view.action)  # View ▸ Saddle point
    qtbot.waitUntil(view.dock.isVisible)
    text = view.words.text()
    assert "det H = -4 &lt; 0: a saddle point" in text
    assert "Hit a saddle point — Doesn't often happen with SGD — Second partial derivative test" in view.slide.text()
    for rate in (0.05, 0.1):
        expected = near_saddle_closed_form((1.4, 0.001), rate)
        assert f"GD (1.4, 0.001): {expected}<" in view.words.text()
        assert f"GD (1.4, 0.3): {near_saddle_closed_form((1.4, 0.3), rate)}<" in view.words.text()
        xs, ys = view.paths[1].getData()   # the drawn path is the closed form's, step by step
        k = np.arange(len(xs))
        np.testing.assert_allclose(xs, 1.4 * (1 - 2 * rate) ** k, rtol=1e-12)
        np.testing.assert_allclose(ys, 0.001 * (1 + 2 * rate) ** k, rtol=1e-12)
        assert len(xs) == math.ceil(math.log(1.5 / 0.001) / math.log(1 + 2 * rate)) + 1
        view.rate.setFocus()
        for _ in range(5):  # η 0.05 → 0.10 with the keyboard, one 0.01 step per key
            qtbot.keyClick(view.rate, Qt.Key_Up)
    assert expected < near_saddle_closed_form((1.4, 0.001), 0.05)  # a larger η passes faster
