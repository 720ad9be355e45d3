"""View ▸ Discretize output and View ▸ Show test data (TensorFlow Playground's switches) on the 2-D regions,
checked on the plot's rendered pixels and against the network's argmax computed here in numpy."""

import numpy as np
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from test_ui_network_diagram import _forward

from playground.palette import CLASS_COLORS
from playground.ui.region_toggles import SURE


def _action(window, text):
    return next(a for a in window.menu("view").actions() if a.text().replace("&", "") == text)


def _pixels(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h).reshape(h, -1)
    return rows[:, :3 * w].reshape(h, w, 3).astype(int)


def _view_box_pixels(plot) -> np.ndarray:
    """The rendered pixels inside the plot's data area and its drawing area (no axes, no legend, not the lighter
    shade beyond the drawing area that a view taller or wider than it shows)."""
    rect = plot.mapFromScene(plot.plotItem.vb.sceneBoundingRect()).boundingRect().adjusted(3, 3, -3, -3)
    (x0, x1), (y0, y1) = plot.session.bounds
    corners = [plot.mapFromGlobal(plot.viewport().mapToGlobal(plot.data_to_widget(x, y))) for x, y in ((x0, y1), (x1, y0))]
    top, bottom = max(rect.top(), corners[0].y() + 3), min(rect.bottom(), corners[1].y() - 3)
    left, right = max(rect.left(), corners[0].x() + 3), min(rect.right(), corners[1].x() - 3)
    return _pixels(plot)[top:bottom, left:right]


def _solid(k) -> np.ndarray:
    return np.round(255.0 * (1 - SURE) + np.array(CLASS_COLORS[k], float) * SURE)


def _share_solid(rgb, classes=2) -> float:
    near = np.zeros(rgb.shape[:2], bool)
    for k in range(classes):
        near |= np.abs(rgb - _solid(k)).max(axis=2) <= 6
    return float(near.mean())


def _drawn(qtbot, window):
    s = window.session
    qtbot.waitUntil(lambda: s.snapshot is not None and s.snapshot.regions is not None, timeout=10_000)


def test_discretize_output_draws_hard_class_regions_from_the_argmax(window, qtbot):
    s, plot = window.session, window.class_plot
    s.load_preset("xor")
    train_to(qtbot, s, 150)
    _drawn(qtbot, window)
    blended = _share_solid(_view_box_pixels(plot))
    action = _action(window, "Discretize output")
    action.trigger()
    assert action.isChecked()
    hard = _view_box_pixels(plot)
    # blended: the class colours paled by doubt, many shades; discretized: two colours and the points on top
    assert blended < 0.4 and _share_solid(hard) > 0.7, (blended, _share_solid(hard))
    # the image is the argmax of the scores on the worker's grid, computed here from the snapshot's weights
    snap = s.snapshot
    image = plot.regions.image
    G = image.shape[0]
    x0, x1, y0, y1 = snap.regions.extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, G), np.linspace(y0, y1, G))
    sigma = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[snap.activation]
    _, scores = _forward(snap.layer_sizes, snap.parameters, np.column_stack([gx.ravel(), gy.ravel()]), sigma)
    expected = np.array([_solid(k) for k in range(2)])[scores.argmax(axis=1)].reshape(G, G, 3)
    assert np.abs(image.astype(int) - expected).max() <= 1
    # it follows training: a later snapshot is discretized too
    train_to(qtbot, s, 300)
    qtbot.waitUntil(lambda: plot.regions.image is not image, timeout=5_000)
    assert _share_solid(_view_box_pixels(plot)) > 0.7
    action.trigger()                                  # off: the worker's blended picture again
    assert np.array_equal(plot.regions.image, s.snapshot.regions.regions)


def test_show_test_data_hides_and_shows_the_held_out_points(window, qtbot):
    s, plot = window.session, window.class_plot
    s.load_preset("xor")
    wait_fresh(qtbot, s)
    s.update_settings(test_fraction=0.3)
    train_to(qtbot, s, 50)
    _drawn(qtbot, window)
    _action(window, "Discretize output").trigger()    # solid regions: a white pixel there is a test point's fill
    X, test = s.points.X, s.test_mask
    train_X = X[~test]
    # test points with no other point within 0.12 (about two point diameters here): their centre shows the square's
    # white fill or, hidden, the region under it
    vb = plot.plotItem.vb
    centres = []
    for x in X[test]:
        nearest_train = np.hypot(*(train_X - x).T).min()
        nearest_test = np.sort(np.hypot(*(X[test] - x).T))[1]  # [0] is the point itself
        if min(nearest_train, nearest_test) > 0.12:
            centres.append(plot.mapFromScene(vb.mapViewToScene(QPointF(*x))))
    assert len(centres) >= 3, len(centres)

    def white_centres():
        rgb = _pixels(plot)
        return sum(bool((rgb[p.y(), p.x()] >= 250).all()) for p in centres)

    assert white_centres() == len(centres)
    action = _action(window, "Show test data")
    assert action.isChecked()
    action.trigger()                                   # hide
    assert white_centres() == 0
    assert not any(label.text == "test points (hollow squares)" for _, label in plot.legend.items)
    assert s.test_mask.sum() == test.sum()             # still held out
    action.trigger()                                   # show again
    assert white_centres() == len(centres)
    assert any(label.text == "test points (hollow squares)" for _, label in plot.legend.items)


def test_discretize_output_reads_the_features_the_network_is_fed(window, qtbot):
    """Circles with φ(x) = (x₁², x₂²) and no hidden layer: the hard regions are the argmax of w·φ(x) + b."""
    s, plot = window.session, window.class_plot
    s.load_preset("circles")
    wait_fresh(qtbot, s)
    s.set_architecture((), s.activation)
    assert s.set_features(("x1^2", "x2^2"))
    train_to(qtbot, s, 300)
    _drawn(qtbot, window)
    _action(window, "Discretize output").trigger()
    snap = s.snapshot
    assert snap.layer_sizes == (2, 2)
    image = plot.regions.image
    G = image.shape[0]
    x0, x1, y0, y1 = snap.regions.extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, G), np.linspace(y0, y1, G))
    _, scores = _forward((2, 2), snap.parameters, np.column_stack([gx.ravel() ** 2, gy.ravel() ** 2]))
    winner = scores.argmax(axis=1)
    expected = np.array([_solid(k) for k in range(2)])[winner].reshape(G, G, 3)
    assert np.abs(image.astype(int) - expected).max() <= 1
    assert 0.05 < winner.mean() < 0.95  # both classes have a region: a ring, not a single colour
