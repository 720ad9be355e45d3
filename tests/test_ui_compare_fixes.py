"""Compare mode as a teacher met it: every run's test loss and accuracy in its colour, colours kept for a run's life,
runs paused at the scene's step budget, the presentation legend, the session kept over a restart, the menu glyph."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from test_ui_compare import _all_fresh, _n_points, _open, _step_all

from playground.data.compare_scenes import COMPARE_SCENES


def _rgb(curve):
    return curve.opts["pen"].color().getRgb()[:3]


def test_every_runs_test_loss_is_dashed_in_its_colour_and_the_header_names_the_runs(qtbot, window):
    compare = _open(qtbot, window, "compare-ridge")
    _step_all(qtbot, window, 40)
    colours = compare.runs.colours
    assert len(set(colours)) == 3
    qtbot.waitUntil(lambda: all(_n_points(c) > 1 for c in compare.loss_overlay.test_curves[:2]))
    run1_test = window.loss_plot.test_curve
    assert _n_points(run1_test) > 1
    assert _rgb(run1_test) == colours[0]  # not the plot's vermillion, which reads as run 2's orange
    assert [_rgb(c) for c in compare.loss_overlay.test_curves[:2]] == colours[1:]
    assert all(c.opts["pen"].style() == Qt.DashLine for c in [run1_test, *compare.loss_overlay.test_curves[:2]])
    header = window.loss_plot.loss_header.text()
    assert all(QColor(*rgb).name() in header for rgb in colours) and "test" in header


def test_every_runs_accuracy_is_drawn_in_its_colour_in_a_classification_scene(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    _step_all(qtbot, window, 30)
    qtbot.waitUntil(lambda: all(_n_points(c) > 1 for c in compare.loss_overlay.accuracy_curves[:2]))
    colours = compare.runs.colours
    assert _rgb(window.loss_plot.train_accuracy_curve) == colours[0]
    assert [_rgb(c) for c in compare.loss_overlay.accuracy_curves[:2]] == colours[1:]
    assert "accuracy" in window.loss_plot.loss_header.text()


def test_removing_a_run_keeps_the_others_colours(qtbot, window):
    compare = _open(qtbot, window, "compare-units")
    before = compare.runs.colours
    _step_all(qtbot, window, 20)
    compare.runs.remove(1)  # "3 units"
    assert compare.runs.colours == [before[0], before[2], before[3]]
    panel_colours = [p._color for p in compare.panels.panels]
    assert panel_colours == [QColor(*rgb).name() for rgb in compare.runs.colours]
    qtbot.waitUntil(lambda: all(_n_points(c) > 1 for c in compare.loss_overlay.loss_curves[:2]))
    assert [_rgb(c) for c in compare.loss_overlay.loss_curves[:2]] == [before[2], before[3]]
    compare.runs.duplicate(0)  # a new run takes the colour no run holds
    qtbot.waitUntil(lambda: len(compare.runs.runs) == 4)
    assert compare.runs.colours[-1] == before[1]


def _legends_shown(panel):
    from pyqtgraph import LegendItem
    return [item for item in panel.plot.scene().items() if isinstance(item, LegendItem) and item.isVisible()]


def test_no_class_legend_over_the_panels_after_presentation_mode(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    window.presentation.action.trigger()  # F11
    qtbot.waitUntil(lambda: window.presentation.action.isChecked())
    _step_all(qtbot, window, 10)  # the panels redraw (their classes' legend entries re-synced) at the new size
    assert not any(_legends_shown(p) for p in compare.panels.panels)
    window.presentation.action.trigger()  # Esc / F11 again
    window.reset_action.trigger()
    _all_fresh(qtbot, window)
    _step_all(qtbot, window, 10)
    assert not any(_legends_shown(p) for p in compare.panels.panels)


def test_the_scenes_menu_marks_compare_scenes_with_a_glyph_the_menu_font_has(window):
    from PySide6.QtGui import QFontMetrics
    menu = window.menu("scenes")
    metrics = QFontMetrics(menu.font())
    titles = {scene.title for scene in COMPARE_SCENES.values()}
    marked = [a.text() for a in menu.actions() if any(a.text().endswith(t) for t in titles)]
    assert len(marked) == len(titles)
    missing = {c for text in marked for c in text if not c.isspace() and not metrics.inFontUcs4(ord(c))}
    assert not missing, f"drawn as a missing-glyph box: {missing}"


def test_play_pauses_every_run_at_the_scenes_step_budget_and_play_goes_on(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    budget = COMPARE_SCENES["compare-xnor"].steps
    window.session.set_speed(None)  # full speed: the landing must hold however fast the runs go
    window.play_action.trigger()
    qtbot.waitUntil(lambda: all(r.snapshot.step >= budget and not r.playing and r.up_to_date
                                for r in compare.runs.runs), timeout=30_000)
    assert [r.snapshot.step for r in compare.runs.runs] == [budget] * 2
    qtbot.waitUntil(lambda: "Play goes on" in window.statusBar().currentMessage())
    assert f"{budget:,}" in window.statusBar().currentMessage()
    assert not window.session.playing
    window.play_action.trigger()  # on past the budget
    qtbot.waitUntil(lambda: all(r.snapshot.step > budget + 100 for r in compare.runs.runs), timeout=30_000)
    assert all(r.playing for r in compare.runs.runs)
    window.play_action.trigger()


def _panel_rects(compare):
    return [p.geometry() for p in compare.panels.panels]


@pytest.mark.parametrize("presentation", [False, True])
def test_fits_stand_in_a_row_of_three_or_two_by_two_at_1280x720(qtbot, make_window, presentation):
    """1-D fits take any width: three in a row, four 2 × 2 (2-D panels: test_ui_compare_layout.py)."""
    window = make_window(size=(1280, 720))
    if presentation:
        window.presentation.action.trigger()
    compare = _open(qtbot, window, "compare-ridge")
    views = window.views
    qtbot.waitUntil(lambda: len({r.top() for r in _panel_rects(compare)}) == 1)  # one row: no empty cell
    assert views.width() > 0
    compare.runs.duplicate(0)
    qtbot.waitUntil(lambda: len(compare.panels.panels) == 4)
    qtbot.waitUntil(lambda: len({r.top() for r in _panel_rects(compare)}) == 2  # 2 × 2
                    and len({r.left() for r in _panel_rects(compare)}) == 2)


def test_a_narrow_panel_keeps_its_numbers_and_ends_its_title_before_the_menu_button(qtbot, make_window):
    window = make_window(size=(1280, 720))
    compare = _open(qtbot, window, "compare-curvature")  # "SGD, clipped at 0.1" hid behind ⋮
    _step_all(qtbot, window, 30)
    panel = compare.panels.panels[1]
    panel.show_readout()
    m = panel.session.snapshot.metrics
    for width in (400, 230, 160):
        panel.setFixedWidth(width)
        qtbot.waitUntil(lambda width=width: panel.width() == width)
        readout = panel.readout.text()
        assert f"{m.train_loss:.3g}" in readout, (width, readout)
        assert panel.readout.fontMetrics().horizontalAdvance(readout) <= panel.readout.width()
        title = panel.label.text()
        assert panel.label.fontMetrics().horizontalAdvance(title) <= panel.label.contentsRect().width()
        assert panel.label.geometry().right() < panel.menu_button.geometry().left()
    assert panel.label.text().endswith("…") and panel.label.toolTip().splitlines()[0] == "SGD, clipped at 0.1"


def test_a_narrow_classification_panel_keeps_its_accuracy(qtbot, make_window):
    window = make_window(size=(1280, 720))
    window.presentation.action.trigger()
    compare = _open(qtbot, window, "compare-flat")
    _step_all(qtbot, window, 30)
    panel = compare.panels.panels[0]
    panel.setFixedWidth(170)
    qtbot.waitUntil(lambda: panel.width() == 170)
    panel.show_readout()
    accuracy = f"{100 * panel.session.snapshot.metrics.train_accuracy:.0f}%"
    assert accuracy in panel.readout.text()
    assert panel.readout.fontMetrics().horizontalAdvance(panel.readout.text()) <= panel.readout.width()


def test_the_last_session_brings_compare_mode_back_after_a_restart(make_window, qtbot, tmp_path):
    from test_ui_session_files import FakeDialogs
    first = make_window(size=(1300, 800), files=tmp_path, dialogs=FakeDialogs())
    first.files.last_session.start()
    compare = _open(qtbot, first, "compare-xnor")
    _step_all(qtbot, first, 40)
    path = first.files.last_session.path
    first.files.last_session._on_autosave_timer_timeout()  # the 30 s autosave, now
    qtbot.waitUntil(lambda: path.is_file() and '"compare"' in path.read_text(), timeout=10_000)
    labels = [p.label.full_text() for p in compare.panels.panels]
    first.close()

    second = make_window(size=(1300, 800), files=tmp_path, dialogs=FakeDialogs())
    second.files.last_session.start()
    runs = second.compare.runs
    qtbot.waitUntil(lambda: runs.active and all(r.up_to_date for r in runs.runs), timeout=15_000)
    assert [r.snapshot.step for r in runs.runs] == [40, 40]
    assert [p.label.full_text() for p in second.compare.panels.panels] == labels
    second.close()


def test_curvature_sgd_diverges_at_the_headless_step_and_again_as_many_steps_after_a_second_play(qtbot, window):
    """The README's step 186 is the window's too; a later "372" is a second Play: it goes on from the best weights
    (step 0's) with the step count going on, and diverges the same 186 steps later."""
    compare = _open(qtbot, window, "compare-curvature")
    headless = COMPARE_SCENES["compare-curvature"].train(1000)[0]
    assert headless.stopped and headless.steps == 186
    seen = []
    compare.runs.main.snapshot_changed.connect(lambda s: seen.append((s.step, s.blocked_reason)))
    window.play_action.trigger()
    qtbot.waitUntil(lambda: any(reason for _, reason in seen), timeout=20_000)
    assert seen[-1][0] == headless.steps
    seen.clear()
    qtbot.waitUntil(lambda: not window.session.playing, timeout=5_000)
    window.play_action.trigger()
    qtbot.waitUntil(lambda: any(reason for _, reason in seen), timeout=20_000)
    assert seen[-1][0] == 2 * headless.steps
    window.play_action.trigger()
