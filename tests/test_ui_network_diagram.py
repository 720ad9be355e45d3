"""The network diagram, driven through the real window (pytest-qt, offscreen): its columns and tiles, the
tiles' pictures against numpy on the snapshot's weights, the links' colours and widths, dragging and
typing weights, and +/− for units and layers keeping the trained weights."""

import numpy as np
import pytest
from gui_helpers import hover, train_to, wait_fresh
from PySide6.QtCore import QPoint, QPointF, Qt

from playground.engine import Network
from playground.palette import CLASS_COLORS, unit_color
from playground.ui.diagram_canvas import Hit
from playground.ui.graph_view import NEGATIVE, POSITIVE
from playground.ui.unit_colors import colorize


def _open(qtbot, window, preset, steps=0):
    s = window.session
    s.load_preset(preset)
    train_to(qtbot, s, steps)
    if not window.diagram_dock.isVisible():
        qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)  # View ▸ Network diagram
        wait_fresh(qtbot, s)
    diagram = window.diagram_dock.widget()
    qtbot.waitUntil(lambda: diagram.drawn_serial == s.snapshot.serial)
    return diagram


def _unpack(sizes, flat):
    """Weights (fan_out, fan_in) and biases per layer from the flat vector: all weights first, then biases."""
    weights, biases, at = [], [], 0
    for a, b in zip(sizes[:-1], sizes[1:]):
        weights.append(flat[at:at + a * b].reshape(b, a))
        at += a * b
    for b in sizes[1:]:
        biases.append(flat[at:at + b])
        at += b
    assert at == len(flat)
    return weights, biases


def _forward(sizes, flat, X, sigma=np.tanh):
    """Every hidden layer's outputs (n, m) and the scores (n, k), in plain numpy."""
    weights, biases = _unpack(sizes, flat)
    hs, o = [], X
    for W, b in zip(weights[:-1], biases[:-1]):
        o = sigma(o @ W.T + b)
        hs.append(o)
    return hs, o @ weights[-1].T + biases[-1]


def _points(path):
    return np.array([(path.elementAt(k).x, path.elementAt(k).y) for k in range(path.elementCount())])


def _view_point(diagram, scene_point: QPointF) -> QPoint:
    return diagram.canvas.mapFromScene(scene_point)


def _link_middle(diagram, j, o, i) -> QPoint:
    """A point of the view on link W[j][o, i], away from the other links that cross it."""
    a, b = diagram.canvas.link_segment(j, o, i)
    for t in (0.5, 0.35, 0.65, 0.25, 0.75):
        point = _view_point(diagram, a * (1 - t) + b * t)
        if diagram.canvas.hit(diagram.canvas.mapToScene(point)) == Hit("link", j, o, i):
            return point
    raise AssertionError(f"link {j, o, i} cannot be told from the links that cross it")


@pytest.mark.parametrize("preset", ["bishop-x2", "spiral", "and-gate"])  # [1, 3, 1], [2, 16, 16, 2], [2, 2]
def test_one_column_per_layer_and_one_tile_per_unit(qtbot, window, preset):
    diagram = _open(qtbot, window, preset)
    sizes = window.session.layer_sizes
    columns = diagram.canvas.columns
    # the input column has a tile for every feature of the mode (TensorFlow Playground's), the raw x fed
    features = {1: 6, 2: 7}[sizes[0]]
    assert [c.size for c in columns] == [features, *sizes[1:]]
    for column, m in zip(columns, [features, *sizes[1:]]):
        assert column.frames.path().elementCount() == 5 * m  # each tile's frame is a closed rectangle
        rects = [column.tile_rect(i) for i in range(m)]
        assert all(not a.intersects(b) for k, a in enumerate(rects) for b in rects[k + 1:])
    assert [c.title.text() for c in columns] == ["input", *(f"layer {j + 1}: {m}" for j, m in
                                                             enumerate(sizes[1:-1])), "output"]


def test_switching_to_2d_redraws_the_columns_for_the_new_network(qtbot, window):
    diagram = _open(qtbot, window, "bishop-x2")
    assert diagram.canvas.one_d and [c.size for c in diagram.canvas.columns] == [6, 3, 1]
    window.session.set_mode("classification")
    wait_fresh(qtbot, window.session)
    qtbot.waitUntil(lambda: diagram.drawn_serial == window.session.snapshot.serial)
    assert not diagram.canvas.one_d
    assert [c.size for c in diagram.canvas.columns] == [7, *window.session.layer_sizes[1:]]
    assert all(c.image.image is not None for c in diagram.canvas.columns)


def test_a_1d_tile_draws_its_units_curve_and_the_output_tile_the_fit(qtbot, window):
    diagram = _open(qtbot, window, "bishop-x2", steps=40)  # [1, 3, 1] tanh
    s = window.session
    snap = s.snapshot
    (x0, x1), (y0, y1) = s.bounds
    hidden, output = diagram.canvas.columns[1], diagram.canvas.columns[2]
    for i in range(3):
        drawn = hidden.curve_points(i)
        r = hidden.tile_rect(i)
        xs = x0 + (drawn[:, 0] - r.left()) / r.width() * (x1 - x0)
        (h,), _ = _forward(snap.layer_sizes, snap.parameters, xs[:, None])
        expected = r.top() + (1 - (h[:, i] + 1) / 2) * r.height()  # tanh's fixed scale −1 … +1
        assert np.allclose(drawn[:, 1], expected, atol=1e-6)
        assert xs[0] == pytest.approx(x0) and xs[-1] == pytest.approx(x1)
        assert hidden.curves[i].pen().color().getRgb()[:3] == unit_color(i)  # as the fit plot's hᵢ(x)
    fit = output.curve_points(0)
    r = output.tile_rect(0)
    xs = x0 + (fit[:, 0] - r.left()) / r.width() * (x1 - x0)
    _, f = _forward(snap.layer_sizes, snap.parameters, xs[:, None])
    expected = r.top() + (1 - (np.clip(f[:, 0], y0, y1) - y0) / (y1 - y0)) * r.height()
    assert np.allclose(fit[:, 1], expected, atol=1e-6)


def test_a_2d_tile_is_its_units_map_and_an_output_tile_its_class_probability(qtbot, window):
    diagram = _open(qtbot, window, "xor", steps=30)  # [2, 4, 2] tanh
    s = window.session
    snap = s.snapshot
    (x0, x1), (y0, y1) = s.bounds
    hidden, output = diagram.canvas.columns[1], diagram.canvas.columns[2]
    width = hidden.image.image.shape[1]  # across tiles of side H with gaps of H/4 between them
    side = round(width / (1.25 * hidden.across - 0.25))
    gx, gy = np.meshgrid(np.linspace(x0, x1, side), np.linspace(y1, y0, side))  # top row: the highest x₂
    (h,), scores = _forward(snap.layer_sizes, snap.parameters, np.column_stack([gx.ravel(), gy.ravel()]))
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)

    def tile(column, i):
        gap = side // 4
        r, q = divmod(i, column.across)
        return column.image.image[r * (side + gap):r * (side + gap) + side, q * (side + gap):q * (side + gap) + side]

    for i in range(4):
        expected = colorize(h[:, i].reshape(side, side), "tanh")  # the unit views' colours
        assert np.abs(tile(hidden, i).astype(int) - expected).max() <= 1
    for k in range(2):
        pk = p[:, k].reshape(side, side, 1)
        expected = 255 * (1 - pk) + np.array(CLASS_COLORS[k]) * pk
        assert np.abs(tile(output, k)[..., :3].astype(float) - expected).max() <= 1.0


def test_links_are_coloured_by_sign_and_thicker_for_larger_weights(qtbot, window):
    diagram = _open(qtbot, window, "spiral", steps=20)  # [2, 16, 16, 2]: many links, every width in use
    snap = window.session.snapshot
    weights, _ = _unpack(snap.layer_sizes, snap.parameters)
    for j, W in enumerate(weights):
        drawn_by = {}  # each drawn segment -> the pen that draws it
        for items in diagram.canvas.links[j]:
            for item in items:
                ends = _points(item.path()).reshape(-1, 4)
                for seg in np.round(ends, 3):
                    drawn_by[tuple(seg)] = item.pen()
        seen, left_out = {1: [], -1: []}, []
        for (o, i), w in np.ndenumerate(W):
            a, b = diagram.canvas.link_segment(j, o, i)
            pen = drawn_by.get(tuple(np.round([a.x(), a.y(), b.x(), b.y()], 3)))
            if pen is None:  # a dense layer leaves its weakest links out
                left_out.append(abs(w))
                continue
            assert abs(pen.color().hue() - (POSITIVE if w > 0 else NEGATIVE).hue()) <= 3  # faded, same hue
            seen[1 if w > 0 else -1].append((abs(w), pen.widthF()))
        drawn = [m for pairs in seen.values() for m, _ in pairs]
        assert len(drawn) + len(left_out) == W.size and len(drawn) >= min(W.size, 100)
        assert max(left_out, default=0) <= min(drawn)
        for pairs in seen.values():
            pairs.sort()
            widths = [width for _, width in pairs]
            assert widths == sorted(widths)  # never thinner for a larger |w|
        assert len({width for pairs in seen.values() for _, width in pairs}) >= 3


def test_each_units_bias_is_a_bar_under_its_tile_right_for_positive_left_for_negative(qtbot, window):
    diagram = _open(qtbot, window, "blobs", steps=30)  # [2, 4, 3]
    snap = window.session.snapshot
    _, biases = _unpack(snap.layer_sizes, snap.parameters)
    for column, b in zip(diagram.canvas.columns[1:], biases):
        positive, negative = (_points(bar.path()).reshape(-1, 4) for bar in column.bias_bars)
        assert abs(column.bias_bars[0].pen().color().hue() - POSITIVE.hue()) <= 3
        assert abs(column.bias_bars[1].pen().color().hue() - NEGATIVE.hue()) <= 3
        lengths = []
        for i, bias in enumerate(b):
            r = column.tile_rect(i)
            bars = positive if bias > 0 else negative
            under = bars[(np.abs(bars[:, 0] - r.center().x()) < 1e-6) & (bars[:, 1] > r.bottom())
                         & (bars[:, 1] < r.bottom() + r.height() / 2)]
            assert len(under) == 1
            length = under[0, 2] - under[0, 0]
            assert np.sign(length) == np.sign(bias)
            lengths.append((abs(bias), abs(length)))
        lengths.sort()
        assert [length for _, length in lengths] == sorted(length for _, length in lengths)


def test_dragging_a_link_up_raises_that_weight_and_no_other(qtbot, window):
    diagram = _open(qtbot, window, "bishop-x2", steps=20)
    s = window.session
    before = s.snapshot.parameters.copy()
    fit_before = diagram.canvas.columns[2].curve_points(0)
    index = diagram.parameter_index(Hit("link", 0, 1, 0))  # x -> h₂
    start = _link_middle(diagram, 0, 1, 0)
    viewport = diagram.canvas.viewport()
    qtbot.mousePress(viewport, Qt.LeftButton, pos=start)
    for dy in (-10, -25, -40):
        qtbot.mouseMove(viewport, start + QPoint(0, dy))
    qtbot.mouseRelease(viewport, Qt.LeftButton, pos=start + QPoint(0, -40))
    wait_fresh(qtbot, s)
    after = s.snapshot.parameters
    changed = np.flatnonzero(after != before)
    assert list(changed) == [index]
    assert after[index] == pytest.approx(before[index] + 0.4)  # 40 px up, 0.01 per px
    assert not diagram.editor.isVisible()  # a drag is not a click
    qtbot.waitUntil(lambda: diagram.drawn_serial == s.snapshot.serial)
    assert not np.allclose(diagram.canvas.columns[2].curve_points(0), fit_before)  # the fit moved


def test_clicking_a_link_or_a_tile_types_an_exact_value(qtbot, window):
    diagram = _open(qtbot, window, "xor", steps=10)
    s = window.session
    viewport = diagram.canvas.viewport()
    qtbot.mouseClick(viewport, Qt.LeftButton, pos=_link_middle(diagram, 1, 1, 2))
    assert diagram.editor.isVisible()
    diagram.editor.selectAll()
    qtbot.keyClicks(diagram.editor, "0.125")
    qtbot.keyClick(diagram.editor, Qt.Key_Return)
    wait_fresh(qtbot, s)
    weights, biases = _unpack(s.snapshot.layer_sizes, s.snapshot.parameters)
    assert weights[1][1, 2] == 0.125 and not diagram.editor.isVisible()

    unit = _view_point(diagram, diagram.canvas.columns[1].tile_rect(3).center())
    qtbot.mouseClick(viewport, Qt.LeftButton, pos=unit)
    diagram.editor.selectAll()
    qtbot.keyClicks(diagram.editor, "-0.75")
    qtbot.keyClick(diagram.editor, Qt.Key_Return)
    wait_fresh(qtbot, s)
    _, biases = _unpack(s.snapshot.layer_sizes, s.snapshot.parameters)
    assert biases[0][3] == -0.75

    qtbot.mouseClick(viewport, Qt.LeftButton, pos=unit)
    qtbot.keyClick(diagram.editor, Qt.Key_Escape)
    assert not diagram.editor.isVisible()

    before = s.snapshot.parameters.copy()
    qtbot.mouseClick(viewport, Qt.LeftButton, pos=unit)
    diagram.editor.selectAll()
    qtbot.keyClicks(diagram.editor, "abc")
    with qtbot.waitSignal(s.message) as message:
        qtbot.keyClick(diagram.editor, Qt.Key_Return)
    assert "'abc' is not a finite number" in message.args[0]
    assert diagram.editor.isVisible()  # the typed text stays to be corrected
    wait_fresh(qtbot, s)
    assert np.array_equal(s.snapshot.parameters, before)


def test_hovering_a_unit_emits_it_and_a_link_tells_its_weight_and_gradient(qtbot, window):
    diagram = _open(qtbot, window, "bishop-x2", steps=30)
    s = window.session
    viewport = diagram.canvas.viewport()
    with qtbot.waitSignal(diagram.unit_hovered) as hovered:
        hover(viewport, _view_point(diagram, diagram.canvas.columns[1].tile_rect(2).center()))
    assert hovered.args == [1, 2] and diagram.canvas.highlight.isVisible()
    halo = _points(diagram.canvas.highlight_link.path()).reshape(-1, 4)  # its links: from x, to f(x)
    ends = [diagram.canvas.link_segment(0, 2, 0), diagram.canvas.link_segment(1, 0, 2)]
    assert np.allclose(halo, [[a.x(), a.y(), b.x(), b.y()] for a, b in ends])
    with qtbot.waitSignal(diagram.unit_hovered) as left:
        hover(viewport, _link_middle(diagram, 1, 0, 1))  # h₂ -> f(x)
    assert left.args == [-1, -1]
    assert diagram.canvas.highlight_link.isVisible() and not diagram.canvas.highlight.isVisible()
    text = diagram.describe(Hit("link", 1, 0, 1))
    snap = s.snapshot
    index = diagram.parameter_index(Hit("link", 1, 0, 1))
    assert f"w = {snap.parameters[index]:.4g}" in text
    # ∂J/∂w by a central difference of the mean squared error over all training points
    X, y = s.points.X[~snap.test_mask], s.points.y[~snap.test_mask]
    eps = 1e-6
    J = []
    for delta in (eps, -eps):
        flat = snap.parameters.copy()
        flat[index] += delta
        _, f = _forward(snap.layer_sizes, flat, X)
        J.append(np.mean((f - y) ** 2))
    slope = (J[0] - J[1]) / (2 * eps)
    assert f"∂J/∂w = {slope:.4g}" in text


def _click_button(qtbot, diagram, column, sign):
    box = next(box for box, _, s in diagram.canvas.columns[column].buttons if s == sign)
    qtbot.mouseClick(diagram.canvas.viewport(), Qt.LeftButton, pos=_view_point(diagram, box.rect().center()))


def test_adding_a_unit_keeps_every_weight_and_the_fit_and_removing_it_gives_them_back(qtbot, window):
    diagram = _open(qtbot, window, "bishop-x2", steps=60)
    s = window.session
    old_sizes, old = s.snapshot.layer_sizes, s.snapshot.parameters.copy()
    _click_button(qtbot, diagram, 1, +1)
    wait_fresh(qtbot, s)
    assert s.hidden == (4,) and s.snapshot.layer_sizes == (1, 4, 1)
    (W1, W2), (b1, b2) = _unpack((1, 4, 1), s.snapshot.parameters)
    (V1, V2), (c1, c2) = _unpack(old_sizes, old)
    assert np.array_equal(W1[:3], V1) and np.array_equal(b1[:3], c1)
    assert np.array_equal(W2[:, :3], V2) and np.array_equal(b2, c2) and W2[0, 3] == 0.0
    xs = np.linspace(-1, 1, 9)[:, None]
    assert np.allclose(_forward((1, 4, 1), s.snapshot.parameters, xs)[1], _forward(old_sizes, old, xs)[1])
    assert "unit 4 added to layer 1" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: diagram.drawn_serial == s.snapshot.serial)
    assert [c.size for c in diagram.canvas.columns] == [6, 4, 1]  # 6: a tile per 1-D feature
    _click_button(qtbot, diagram, 1, -1)
    wait_fresh(qtbot, s)
    assert s.hidden == (3,) and np.array_equal(s.snapshot.parameters, old)


def test_adding_and_removing_a_layer_keeps_the_layers_before_it(qtbot, window):
    diagram = _open(qtbot, window, "xor", steps=40)  # [2, 4, 2]
    s = window.session
    (V1, _), (c1, _) = _unpack((2, 4, 2), s.snapshot.parameters.copy())
    diagram.add_layer_button.click()
    wait_fresh(qtbot, s)
    assert s.hidden == (4, 4)
    (W1, W2, W3), (b1, _, _) = _unpack((2, 4, 4, 2), s.snapshot.parameters)
    assert np.array_equal(W1, V1) and np.array_equal(b1, c1)
    fresh = Network((2, 4, 4, 2), "tanh", seed=s.seed)
    assert np.array_equal(W2, fresh.weights[1]) and np.array_equal(W3, fresh.weights[2])
    assert "layer 2 added" in window.statusBar().currentMessage()
    diagram.remove_layer_button.click()
    wait_fresh(qtbot, s)
    assert s.hidden == (4,)
    (W1, W2), (b1, _) = _unpack((2, 4, 2), s.snapshot.parameters)
    assert np.array_equal(W1, V1) and np.array_equal(b1, c1)
    assert np.array_equal(W2, Network((2, 4, 2), "tanh", seed=s.seed).weights[1])


def test_the_view_menu_hides_and_shows_the_diagram(qtbot, window):
    dock = window.diagram_dock
    action = next(a for a in window.view_menu.actions() if a.text() == "&Network diagram")
    assert not dock.isVisible() and not action.isChecked()  # opened on demand: the data plot keeps the room
    action.trigger()
    assert dock.isVisible() and dock.widget().shown
    action.trigger()
    assert not dock.isVisible() and not dock.widget().shown
