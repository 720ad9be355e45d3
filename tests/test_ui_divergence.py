"""After a divergence the teacher lowers the rate and presses Play: training goes on, and the window says how."""

import numpy as np
from gui_helpers import train_to
from PySide6.QtCore import Qt


def type_into(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def diverge(window, qtbot):
    """Train the scene for a while, then set a rate far too high and press Play (a teacher's demonstration)."""
    session = window.session
    train_to(qtbot, session, 1500)
    session.update_settings(optimizer="sgd", learning_rate=10.0)
    session.set_speed(None)
    qtbot.keyClick(window, Qt.Key_Space)
    qtbot.waitUntil(lambda: window.stopped_banner.isVisible() and session.up_to_date, timeout=15_000)
    assert "diverged at step" in window.stopped_banner.text()
    return session.snapshot.step


def test_lowering_the_rate_and_pressing_play_goes_on_from_the_best_weights(window, qtbot):
    session = window.session
    stopped_at = diverge(window, qtbot)
    plot = window.fit_view.plot
    assert plot.off_plot_hint.isVisible() and "the fit leaves the plot" in plot.off_plot_hint.toPlainText()

    type_into(qtbot, window.controls.lr, "0.01")
    assert session.settings.learning_rate == 0.01
    qtbot.keyClick(window, Qt.Key_Space)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step > stopped_at + 200, timeout=15_000)
    qtbot.keyClick(window, Qt.Key_Space)
    qtbot.waitUntil(lambda: session.up_to_date and not session.playing, timeout=10_000)
    snap = session.snapshot
    assert snap.blocked_reason is None and np.isfinite(snap.metrics.train_loss)
    assert snap.metrics.train_loss < 1e-2  # back at the fit it had before the divergence (the x² variance is 0.09)
    banner = window.stopped_banner
    assert banner.isVisible() and banner.text().startswith("After the divergence: continued from the weights of step")
    assert "learning rate 0.01" in banner.text()
    assert "diverged" not in window.statusBar().currentMessage()  # no stale status
    assert not plot.off_plot_hint.isVisible()


def test_the_notice_goes_with_the_next_reset(window, qtbot):
    session = window.session
    diverge(window, qtbot)
    type_into(qtbot, window.controls.lr, "0.01")
    session.step(5)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.notice is not None, timeout=10_000)
    qtbot.keyClick(window, Qt.Key_R)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 0, timeout=10_000)
    assert not window.stopped_banner.isVisible()


def test_reset_after_a_divergence_leaves_no_stale_status(window, qtbot):
    session = window.session
    diverge(window, qtbot)
    assert window.statusBar().currentMessage().startswith("diverged")
    qtbot.keyClick(window, Qt.Key_R)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == 0, timeout=10_000)
    assert "diverged" not in window.statusBar().currentMessage()
