"""The views with features on, through the real window: the inspector's φ nodes, the hidden space in φ space, the
network diagram's φ column and its pictures through φ."""

import numpy as np
import pytest
from gui_helpers import train_to, wait_fresh
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from playground.notation import fmt


def test_the_inspector_shows_each_feature_node_with_its_formula_and_value(qtbot, window):
    session = window.session
    session.load_preset("circles")
    session.set_architecture((2,), "tanh")
    for key in ("x1^2", "x2^2"):
        with qtbot.waitSignal(session.model_changed):
            qtbot.mouseClick(window.controls.features.buttons[key], Qt.LeftButton)
    wait_fresh(qtbot, session)
    train_to(qtbot, session, 30)
    window.insight.open_inspector()
    inspector = window.insight.inspector
    qtbot.waitUntil(inspector.isVisible)
    plot = window.class_plot
    xy = inspector.picker.coordinates()[5]
    with qtbot.waitSignal(inspector.point_picked):
        qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(*xy))
    inspector.backward_button.click()  # every step: values and gradients

    g = inspector.graph
    x1, x2 = session.points.X[5]
    expected = {"φ₁ = x₁": x1, "φ₂ = x₂": x2, "φ₃ = x₁²": x1 ** 2, "φ₄ = x₂²": x2 ** 2}
    boxes = [inspector.scene.boxes[f"f{j}"].text() for j in range(4)]
    for text, (formula, value) in zip(boxes, expected.items()):
        assert text.splitlines() == [formula, f"= {fmt(value)}"]
    assert [g.values[f"f{j}"] for j in range(4)] == pytest.approx(list(expected.values()), abs=1e-15)
    assert inspector.scene.boxes["x0"].text().startswith(f"x₁ = {fmt(x1)}")
    headers = {item.text() for item in inspector.scene.items() if isinstance(item, QGraphicsSimpleTextItem)}
    assert "features φ(x)" in headers
    assert any("φ" in h and "=" in h for h in headers - {"features φ(x)"})  # the first layer reads φ
    # the first layer's gradients are the engine's on φ(x) of the point
    net = session.network_from_snapshot()
    phi = np.array([[x1, x2, x1 ** 2, x2 ** 2]])
    _, grads = net.loss_and_gradients(phi, session.points.y[5:6], "cross_entropy", session.settings.l2)
    np.testing.assert_allclose(g.param_grads, grads.flat, rtol=1e-10, atol=1e-14)


def test_the_hidden_space_view_works_in_feature_space_and_says_so(qtbot, window):
    session = window.session
    session.load_preset("circles")
    session.set_architecture((2,), "tanh")
    for key in ("x1^2", "x2^2", "x1", "x2"):
        with qtbot.waitSignal(session.model_changed):
            qtbot.mouseClick(window.controls.features.buttons[key], Qt.LeftButton)
    train_to(qtbot, session, 100)
    view = window.insight.hidden_space
    with qtbot.waitSignal(view.updated, timeout=5000):
        window.insight.open_hidden_space()
    assert view.space_note.isVisible() and "φ(x) = (x₁², x₂²)" in view.space_note.text()
    assert view.layer_box.itemText(0) == "feature plane (φ₁, φ₂)"
    X = session.points.X
    phi = np.column_stack([X[:, 0] ** 2, X[:, 1] ** 2])  # closed form
    p = session.snapshot.parameters
    W1, b1 = p[:4].reshape(2, 2), p[8:10]  # weights (2×2, then 2×2), then the biases
    np.testing.assert_allclose(view.space.coordinates, np.tanh(phi @ W1.T + b1), rtol=1e-12, atol=1e-15)
    view.choose(0)
    np.testing.assert_allclose(view.space.coordinates, phi, rtol=1e-15)
    assert "feature plane" in view.space.note.text()
    table = view.table
    assert table.horizontalHeaderItem(1).text() == "φ₁\n= x₁²"
    assert table.item(0, 1).text() == fmt(phi[0, 0]) and table.item(0, 2).text() == fmt(phi[0, 1])


def test_the_diagram_draws_the_features_and_each_unit_through_phi(qtbot, window):
    session = window.session  # 1-D, one hidden layer of 3 tanh units
    with qtbot.waitSignal(session.model_changed):
        qtbot.mouseClick(window.controls.features.buttons["x^2"], Qt.LeftButton)
    train_to(qtbot, session, 60)
    if not window.diagram_dock.isVisible():
        qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)  # View ▸ Network diagram
        wait_fresh(qtbot, session)
    diagram = window.diagram_dock.widget()
    qtbot.waitUntil(lambda: diagram.drawn_serial == session.snapshot.serial)
    snap = session.snapshot
    inputs, hidden = diagram.canvas.columns[0], diagram.canvas.columns[1]
    assert len(inputs.curves) >= 1 and diagram._name(0, 1) == "φ₂ = x²"
    (x0, x1), _ = session.bounds
    p = snap.parameters
    W1, b1 = p[:6].reshape(3, 2), p[9:12]  # weights 3×2 and 1×3, then the biases 3 and 1
    for i in range(3):
        drawn = hidden.curve_points(i)
        r = hidden.tile_rect(i)
        xs = x0 + (drawn[:, 0] - r.left()) / r.width() * (x1 - x0)
        h = np.tanh(np.column_stack([xs, xs ** 2]) @ W1.T + b1)
        assert np.allclose(drawn[:, 1], r.top() + (1 - (h[:, i] + 1) / 2) * r.height(), atol=1e-6)
    square = inputs.curve_points(1)  # the x² tile: lowest on screen (largest pixel y) at x = 0
    r = inputs.tile_rect(1)
    xs = x0 + (square[:, 0] - r.left()) / r.width() * (x1 - x0)
    assert abs(xs[np.argmax(square[:, 1])]) < 0.05 and square[0, 1] == pytest.approx(square[-1, 1], abs=1e-6)


def test_the_2d_diagram_has_a_tile_per_feature(qtbot, window):
    session = window.session
    session.load_preset("circles")
    with qtbot.waitSignal(session.model_changed):
        qtbot.mouseClick(window.controls.features.buttons["x1x2"], Qt.LeftButton)
    train_to(qtbot, session, 20)
    if not window.diagram_dock.isVisible():
        qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)
        wait_fresh(qtbot, session)
    diagram = window.diagram_dock.widget()
    qtbot.waitUntil(lambda: diagram.drawn_serial == session.snapshot.serial)
    assert diagram.canvas.layer_sizes[0] == 3 and not diagram.canvas.one_d
    # the input column has a tile per 2-D feature (x₁, x₂, x₁², x₂², x₁x₂, …): the three fed are named φⱼ
    assert [diagram._name(0, j) for j in (0, 1, 4)] == ["φ₁ = x₁", "φ₂ = x₂", "φ₃ = x₁x₂"]
