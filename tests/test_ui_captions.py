"""The caption says only what is true: what differs from the scene on screen, and the dashed lines' meaning."""

import colorsys

import numpy as np
from gui_helpers import wait_fresh
from PySide6.QtCore import Qt

from playground.data import get_preset
from playground.palette import CLASS_COLORS
from playground.ui.scene_caption import scene_words


def hue_and_saturation(rgb) -> tuple[float, float]:
    """The colour's hue in degrees and its saturation (0-1), by the HSV formula (colorsys)."""
    h, s, _ = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    return 360 * h, s


def test_hand_drawn_classes_over_a_scene_are_named_in_the_caption(window, qtbot):
    session = window.session
    session.load_preset("xor")
    wait_fresh(qtbot, session)
    words = window.caption.text()
    assert words.startswith("XOR of the signs — ") and "on screen" not in words
    qtbot.keyClick(window, Qt.Key_3)  # draw class 3
    plot = window.class_plot
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.2, 0.3))
    text = window.caption.text()
    assert text.startswith(words)
    n = len(session.points)
    assert text.endswith(f"[The scene's original setup; on screen: your points ({n} points, 3 classes); "
                         f"network 2 → 4 → 3 tanh]")
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert window.caption.text() == words  # back to the scene exactly


def test_a_changed_network_does_not_contradict_the_scene_caption(window, qtbot):
    session = window.session
    session.load_preset("bishop-sin")
    session.set_architecture((10,), "relu")
    text = window.caption.text()
    assert text.startswith("Approximation ability: f(x) = sin(πx) — 3 hidden units; logistic")
    assert text.endswith("[The scene's original setup; on screen: network 1 → 10 → 1 relu]")
    assert "your network" not in text


def test_the_contributions_view_changes_what_the_caption_says_the_dashed_lines_are(window, qtbot):
    assert "dashed lines are hidden unit outputs" in window.caption.text()
    window.fit_view.contributions.click()
    assert "dashed lines are hidden unit outputs" not in window.caption.text()
    assert "contributions wᵢ·hᵢ(x), dotted the output bias" in window.caption.text()
    window.fit_view.raw.click()
    assert "dashed lines are hidden unit outputs" in window.caption.text()


def test_an_old_session_files_network_note_is_not_kept_twice():
    old = "Two moons — Two interleaving half circles, 8 tanh hidden units. [your network: 2 → 3 → 2 tanh]"
    assert scene_words(old) == "Two moons — Two interleaving half circles, 8 tanh hidden units."


def test_the_xor_caption_numbers_and_colours_classes_as_the_data_and_the_buttons_do():
    """'Class 2 (orange) where x₁ and x₂ have the same sign': class k on screen is label k − 1."""
    preset = get_preset("xor")
    assert preset.caption.startswith("Class 2 (orange) where x₁ and x₂ have the same sign, class 1 (blue)")
    data = preset.make_dataset()
    same_sign = data.X[:, 0] * data.X[:, 1] > 0
    assert np.all(data.y[same_sign] == 2 - 1) and np.all(data.y[~same_sign] == 1 - 1)
    # …in the colours the caption names: class 2 is drawn orange and class 1 blue (by hue, strongly saturated)
    assert 15 <= hue_and_saturation(CLASS_COLORS[1])[0] <= 45 and 190 <= hue_and_saturation(CLASS_COLORS[0])[0] <= 250
    assert min(hue_and_saturation(CLASS_COLORS[1])[1], hue_and_saturation(CLASS_COLORS[0])[1]) > 0.6


def test_the_and_scene_caption_describes_its_model():
    gate = get_preset("and-gate")
    trainer, _ = gate.build()
    assert trainer.network.layer_sizes == (2, 2)  # no hidden layer, two linear class scores
    assert "one linear unit" not in gate.caption and "both class scores are linear" in gate.caption
    by_hand = get_preset("and-perceptron")
    assert by_hand.build()[0].network.layer_sizes == (2, 1, 2) and "softmax layer" in by_hand.caption
