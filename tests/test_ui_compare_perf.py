"""Compare mode's cost per frame: the panels blit their points from a cache (drawn exactly as the scatter items draw
them), and the runs' snapshots carry only what the panels show (no unit maps), until compare mode ends."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem
from test_ui_compare import _all_fresh, _open, _step_all

from playground.commands.bench import CONFIGS
from playground.data import make_dataset
from playground.engine import TrainingSettings
from playground.worker.protocol import Build, View, ViewSpec
from playground.worker.service import TrainingService

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def _pixels(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return rows[:, :image.width(), :3].astype(int)


def _painted_by_scatter_items(qtbot, panel) -> np.ndarray:
    """The panel's plot as pyqtgraph draws it without the cache: each scatter item paints itself."""
    cache = panel.point_cache
    cache.setVisible(False)
    for item in cache.sources:
        item.setFlag(NO_CONTENTS, False)
    try:
        return _pixels(panel.plot)
    finally:
        cache.setVisible(True)
        for item in cache.sources:
            item.setFlag(NO_CONTENTS, True)


@pytest.mark.parametrize("key", ["compare-flat", "compare-ridge"])  # 2-D classes with test points; 1-D regression
def test_panel_points_come_from_a_cache_that_looks_like_the_scatter_items(qtbot, window, key):
    compare = _open(qtbot, window, key)
    _step_all(qtbot, window, 5)
    panel = compare.panels.panels[1]
    cached = _pixels(panel.plot)
    plain = _painted_by_scatter_items(qtbot, panel)
    assert cached.shape == plain.shape
    assert np.abs(cached - plain).max() <= 8  # the same pixels (a rounding of the blit at most)
    background = np.abs(plain - plain[plain.shape[0] // 2, 2]).sum()
    assert background > 0  # the plot drew something, so equal pixels mean something


def test_the_cache_renders_only_when_the_points_or_the_view_change(qtbot, window):
    compare = _open(qtbot, window, "compare-xnor")
    panel = compare.panels.panels[1]
    cache = panel.point_cache
    panel.plot.viewport().repaint()
    renders = cache.renders
    for step in range(1, 6):
        window.step_action.trigger()  # new regions each time: the view repaints
        qtbot.waitUntil(lambda step=step: all(r.up_to_date and r.snapshot.step == step for r in compare.runs.runs))
        panel.plot.viewport().repaint()
    assert cache.renders == renders  # training moved the regions, not the points
    before = len(window.session.points)
    qtbot.mouseClick(panel.plot.viewport(), Qt.LeftButton, pos=panel.plot.data_to_widget(0.5, 0.25))
    _all_fresh(qtbot, window)
    assert len(window.session.points) == before + 1
    panel.plot.viewport().repaint()
    assert cache.renders == renders + 1
    (x0, x1), _ = panel.plot.viewRange()
    panel.plot.setXRange(x0 - 0.5, x1 + 0.5, padding=0)  # a new view transform: drawn anew at the new scale
    panel.plot.viewport().repaint()
    assert cache.renders == renders + 2


def test_compare_runs_send_no_unit_maps_and_the_main_run_gets_them_back_after(qtbot, window):
    compare = _open(qtbot, window, "compare-flat")
    _step_all(qtbot, window, 3)
    for run in compare.runs.runs:
        assert run.snapshot.regions is not None and run.snapshot.regions.unit_maps == []
    compare.runs.leave()
    window.session.step(1)
    qtbot.waitUntil(lambda: window.session.up_to_date and window.session.snapshot.step == 4)
    maps = window.session.snapshot.regions.unit_maps
    assert [m.shape[0] for m in maps] == list(window.session.hidden)  # every hidden unit's map again
    assert window.heatmaps.isVisibleTo(window)


def test_a_view_that_says_nothing_of_unit_maps_keeps_what_the_last_view_said():
    config = CONFIGS[1]
    data = make_dataset(config.dataset, n=50, seed=0)
    service = TrainingService()
    service.handle(Build(config.layer_sizes, "tanh", 0, TrainingSettings(loss="cross_entropy"), data.X, data.y,
                         None))
    assert [m.shape[0] for m in service.snapshot().regions.unit_maps] == [8, 8]  # shown unless told otherwise
    service.handle(View(ViewSpec(unit_maps=False)))
    service.handle(View(ViewSpec(extent=(-2.0, 2.0, -1.0, 1.0))))  # e.g. the plot was resized
    snap = service.snapshot()
    assert snap.regions.unit_maps == [] and snap.regions.extent == (-2.0, 2.0, -1.0, 1.0)
    service.handle(View(ViewSpec(unit_maps=True)))
    assert len(service.snapshot().regions.unit_maps) == 2
