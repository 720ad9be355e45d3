"""The 1-D view's unit display: the slide's notation, and no choice where there is nothing to choose (issue 9)."""

from PySide6.QtCore import Qt
from test_ui_layout import load, settle


def legend_names(window):
    return [label.text for _sample, label in window.fit_view.plot.legend.items]


def test_the_contributions_legend_names_the_output_bias_w0_as_the_slides_do(window, qtbot):
    # the lecture: f(x) = w₀ + w₁h₁(x) + w₂h₂(x) + w₃h₃(x) (/work/shared/lecture, the approximation slides)
    load(qtbot, window, "bishop-sin", 20)
    settle(qtbot, window, (1280, 720))
    qtbot.mouseClick(window.fit_view.contributions, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(n.startswith("output bias") for n in legend_names(window)), timeout=3_000)
    assert "output bias w₀" in legend_names(window), legend_names(window)
    assert {"w₁·h₁(x)", "w₂·h₂(x)", "w₃·h₃(x)"} <= set(legend_names(window))


def test_the_least_squares_scene_offers_no_unit_display(window, qtbot):
    load(qtbot, window, "least-squares-ridge", 10)
    settle(qtbot, window, (1280, 720))
    assert window.session.hidden == () or len(window.session.hidden) == 0
    assert not window.fit_view.raw.isVisible() and not window.fit_view.contributions.isVisible()
    load(qtbot, window, "bishop-sin", 10)  # a network with hidden units offers it again
    assert window.fit_view.raw.isVisible() and window.fit_view.contributions.isVisible()
