"""The backprop inspector, driven through the window: pick a point by clicking it, step the forward and
backward pass, check against the engine and finite differences, apply the update (pytest-qt, offscreen)."""

import numpy as np
import pytest
from gui_helpers import train_to
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QInputDialog

from playground.engine.graph_parts import LEAF_KINDS
from playground.notation import fmt, signed, sub
from playground.ui.graph_view import MAX_DRAWN_UNITS, too_large_to_draw


def _open(qtbot, window, preset="xnor", steps=0):
    s = window.session
    s.load_preset(preset)
    train_to(qtbot, s, steps)
    window.insight.open_inspector()
    inspector = window.insight.inspector
    qtbot.waitUntil(inspector.isVisible)
    return inspector


def _click_point(qtbot, window, inspector, index):
    plot = window.class_plot if window.session.mode == "classification" else window.fit_view.plot
    xy = inspector.picker.coordinates()[index]
    with qtbot.waitSignal(inspector.point_picked) as blocker:
        qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(*xy))
    return blocker.args[0]


def test_a_click_in_pick_mode_picks_that_point_and_adds_none(qtbot, window):
    inspector = _open(qtbot, window)
    before = len(window.session.points)
    assert _click_point(qtbot, window, inspector, 2) == 2
    assert len(window.session.points) == before and inspector.index == 2
    assert inspector.graph is not None and "Point 3" in inspector.point_label.text()
    marker = inspector.picker.markers[1].getData()
    assert (marker[0][0], marker[1][0]) == tuple(window.session.points.X[2])
    # with pick mode off, the same click draws a point again
    inspector.pick_button.setChecked(False)
    plot = window.class_plot
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.5, 0.5))
    assert len(window.session.points) == before + 1


def test_a_point_on_the_regression_plot_is_picked_too(qtbot, window):
    inspector = _open(qtbot, window, "bishop-sin")
    assert _click_point(qtbot, window, inspector, 20) == 20
    g = inspector.graph
    assert [inspector.text.label(k) for k in g.forward_order][-3:] == ["ŷ", "r", "ℓ"]
    assert g.values["x0"] == window.session.points.X[20, 0] and g.values["y0"] == window.session.points.y[20, 0]


def test_forward_values_equal_the_engines_for_the_chosen_point(qtbot, window):
    inspector = _open(qtbot, window, steps=50)
    _click_point(qtbot, window, inspector, 1)
    inspector.forward_button.click()
    net = window.session.network_from_snapshot()
    x = window.session.points.X[1]
    fwd = net.forward(x[None, :])
    g = inspector.graph
    for i in range(2):
        assert g.values[f"z0_{i}"] == pytest.approx(fwd.pre_activations[0][0, i], abs=1e-14)
        assert g.values[f"h0_{i}"] == pytest.approx(fwd.activations[0][0, i], abs=1e-14)
        assert g.values[f"s{i}"] == pytest.approx(fwd.scores[0, i], abs=1e-14)
    for key, box in inspector.scene.boxes.items():  # every node shows its value, rounded
        assert f"{inspector.text.label(key)} = {fmt(g.values[key])}" in box.text()
        assert "∂J/∂" not in box.text()  # no gradients before the backward pass


def test_backward_values_equal_loss_and_gradients_on_that_point_with_l2(qtbot, window, fresh):
    inspector = _open(qtbot, window, steps=20)
    session = window.session
    session.update_settings(l2=0.01)
    fresh(session)
    _click_point(qtbot, window, inspector, 3)
    inspector.backward_button.click()
    g = inspector.graph
    assert g.l2 == 0.01 and "J" in g.node and "R" in g.node
    net = session.network_from_snapshot()
    pts = session.points
    J, grads = net.loss_and_gradients(pts.X[3:4], pts.y[3:4], "cross_entropy", 0.01)
    assert g.objective == pytest.approx(J, rel=1e-12)
    np.testing.assert_allclose(g.param_grads, grads.flat, rtol=1e-10, atol=1e-14)
    for key, box in inspector.scene.boxes.items():
        if g.node[key].kind not in LEAF_KINDS:
            assert f"∂J/∂{inspector.text.label(key)} = {fmt(g.grads[key])}" in box.text()
    # the check table: every gradient against its finite difference
    table = inspector.check_panel.table
    assert table.rowCount() == len(g.parameters) == grads.flat.size
    for row, p in enumerate(g.parameters):
        assert table.item(row, 2).text() == fmt(g.param_grads[p.index], 4)
        assert float(table.item(row, 4).text()) < 1e-6
        assert 90 <= table.item(row, 4).background().color().hue() <= 160  # marked green: it agrees
    np.testing.assert_allclose(inspector.check_panel.fd, grads.flat, rtol=1e-5, atol=1e-9)
    assert "agrees" in inspector.check_panel.caption.text()


def test_several_children_show_their_sum(qtbot, window):
    inspector = _open(qtbot, window, steps=20)
    _click_point(qtbot, window, inspector, 0)
    inspector.backward_button.click()
    g, tags = inspector.graph, inspector.scene.sum_labels
    assert set(tags) == {"h0_0", "h0_1"}  # each hidden unit feeds both scores
    for key, tag in tags.items():
        a, b = (t.value for t in g.terms[key])
        assert tag.isVisible() and tag.label == f"= {fmt(a) if a >= 0 else f'({fmt(a)})'} + " \
                                               f"{fmt(b) if b >= 0 else f'({fmt(b)})'}"
        assert g.grads[key] == pytest.approx(a + b)


def test_stepping_visits_nodes_in_topological_then_reverse_topological_order(qtbot, window):
    inspector = _open(qtbot, window, "bishop-x2")
    _click_point(qtbot, window, inspector, 7)
    visited = []
    inspector.stepper.stepped.connect(lambda phase, key: visited.append((phase, key)))
    while inspector.next_button.isEnabled():
        qtbot.mouseClick(inspector.next_button, Qt.LeftButton)
    g = inspector.graph
    assert visited == [("forward", k) for k in g.forward_order] + [("backward", k) for k in g.backward_order]
    seen = set()
    for _, key in visited[:len(g.forward_order)]:
        assert set(g.node[key].parents) <= seen
        seen.add(key)
    done = set()
    for _, key in visited[len(g.forward_order):]:
        assert set(g.children[key]) <= done | {k for k in g.node if g.node[k].kind in LEAF_KINDS}
        done.add(key)
    assert inspector.apply_button.isEnabled()


def test_play_steps_to_the_end_on_a_timer(qtbot, window):
    inspector = _open(qtbot, window)
    _click_point(qtbot, window, inspector, 0)
    inspector.stepper.play_timer.setInterval(5)
    inspector.play_button.click()
    qtbot.waitUntil(lambda: not inspector.play_button.isChecked(), timeout=5000)
    assert inspector.stepper.done == inspector.stepper.total_steps


def test_apply_update_moves_the_weights_by_exactly_minus_eta_gradient(qtbot, window, fresh):
    inspector = _open(qtbot, window, steps=10)
    session = window.session
    _click_point(qtbot, window, inspector, 1)
    inspector.backward_button.click()
    g = inspector.graph
    before, gradient, regions = g.flat.copy(), g.param_grads.copy(), session.snapshot.regions.regions
    eta = session.snapshot.learning_rate
    assert eta == 0.1 and "η = 0.1" in inspector.apply_button.text()
    with qtbot.waitSignal(inspector.update_applied):
        inspector.apply_button.click()
    fresh(session)
    np.testing.assert_array_equal(session.snapshot.parameters, before - eta * gradient)
    assert not np.array_equal(session.snapshot.regions.regions, regions)  # the fit moved
    assert inspector.graph.objective < g.objective and "→" in inspector.detail.text()
    np.testing.assert_array_equal(inspector.graph.flat, session.snapshot.parameters)


def test_double_clicking_a_weight_sets_it_by_hand(qtbot, window, monkeypatch, fresh):
    inspector = _open(qtbot, window, "xnor-perceptron")
    _click_point(qtbot, window, inspector, 3)
    inspector.forward_button.click()
    edge, item, w_tag, _ = next(e for e in inspector.scene.edges if e[0].parameter is not None)
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *a, **k: (1.5, True)))
    view = inspector.view
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(w_tag.scenePos()))
    session = window.session
    fresh(session)
    assert session.snapshot.parameters[edge.parameter] == 1.5
    assert inspector.graph.flat[edge.parameter] == 1.5 and w_tag.label == "1.5"


def test_networks_beyond_forty_units_are_refused_with_a_reason(qtbot, window, fresh):
    inspector = _open(qtbot, window)
    session = window.session
    session.set_architecture((32, 16), "tanh")
    fresh(session)
    with qtbot.waitSignal(inspector.refused) as blocker:
        _click_point(qtbot, window, inspector, 0)
    assert str(MAX_DRAWN_UNITS) in blocker.args[0]
    assert inspector.stack.currentWidget() is inspector.message
    assert "Not drawn" in inspector.message.text() and "50" in inspector.message.text()
    assert not inspector.next_button.isEnabled()


def test_the_graph_saves_as_an_image(qtbot, window, tmp_path):
    inspector = _open(qtbot, window, steps=10)
    _click_point(qtbot, window, inspector, 0)
    inspector.backward_button.click()
    path = tmp_path / "graph.png"
    assert inspector.save_image(str(path))
    image = QImage(str(path))
    rect = inspector.scene.sceneRect()
    assert image.width() == int(rect.width() * 2) and image.height() == int(rect.height() * 2)
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert "#ffffff" in colours and len(colours) > 20  # drawn, not blank


def test_a_step_scene_says_plainly_that_it_cannot_train(qtbot, window, fresh):
    session, banner = window.session, window.insight.banner
    session.load_preset("xnor-perceptron")
    fresh(session)
    assert banner.isVisible() and "cannot train" in banner.text()
    np.testing.assert_array_equal(session.snapshot.parameters[:4], [1, 1, -1, -1])  # the hand-set weights arrived
    session.play()
    qtbot.waitUntil(lambda: session.up_to_date and not session.playing, timeout=10_000)
    assert "step activation" in window.statusBar().currentMessage()
    assert session.snapshot.step == 0
    session.set_architecture((2,), "tanh")
    assert not banner.isVisible()


def test_picking_stops_while_the_inspector_is_behind_the_hidden_space_tab(qtbot, window):
    inspector = _open(qtbot, window)
    _click_point(qtbot, window, inspector, 0)
    window.insight.open_hidden_space()
    qtbot.waitUntil(lambda: not inspector.picker.active, timeout=3000)
    assert inspector.picker.markers[1].getData()[0] is None or not len(inspector.picker.markers[1].getData()[0])
    plot, before = window.class_plot, len(window.session.points)
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.5, 0.5))
    assert len(window.session.points) == before + 1  # a click draws again
    window.insight.open_inspector()
    qtbot.waitUntil(lambda: inspector.picker.active, timeout=3000)
    assert _click_point(qtbot, window, inspector, 1) == 1 and len(window.session.points) == before + 1


def test_the_drawing_limit_counts_hidden_and_output_units():
    assert too_large_to_draw((2, 8, 8, 2)) is None
    assert too_large_to_draw((2, MAX_DRAWN_UNITS - 2, 2)) is None
    reason = too_large_to_draw((2, 32, 16, 2))
    assert reason and "50" in reason and str(MAX_DRAWN_UNITS) in reason


def test_a_one_hidden_layer_scene_speaks_the_slides_notation(qtbot, window, fresh):
    """hᵢ(x) = σ(vᵢx + bᵢ), f(x) = Σᵢ wᵢhᵢ(x) + w₀: the names sit on the values the network uses in those roles."""
    inspector = _open(qtbot, window, "bishop-x2")
    session = window.session
    session.update_settings(l2=0.01)
    fresh(session)
    _click_point(qtbot, window, inspector, 4)
    assert "f(x) = Σᵢ wᵢhᵢ(x) + w₀" in inspector.detail.text()
    inspector.backward_button.click()
    net = session.network_from_snapshot()
    assert net.n_hidden_layers == 1 and net.layer_sizes[0] == 1
    expected = {"w₀": net.biases[1][0]}
    for i in range(net.layer_sizes[1]):
        expected |= {f"v{sub(i + 1)}": net.weights[0][i, 0], f"b{sub(i + 1)}": net.biases[0][i],
                     f"w{sub(i + 1)}": net.weights[1][0, i]}
    table = inspector.check_panel.table
    shown = {table.item(r, 0).text().split(":")[0]: table.item(r, 1).text() for r in range(table.rowCount())}
    assert shown == {name: fmt(value) for name, value in expected.items()}
    assert f"b₁ = {fmt(net.biases[0][0])}" in inspector.scene.boxes["z0_0"].text()
    # the ridge term is in the rule as well as in the numbers of ∂J/∂w₁'s tooltip
    w1 = next(p.index for p in inspector.graph.parameters if p.kind == "weight" and p.layer == 1 and p.col == 0)
    grad_tag = next(tag for edge, _, _, tag in inspector.scene.edges if edge.parameter == w1)
    assert grad_tag.toolTip().startswith("∂J/∂w₁ = ∂J/∂ŷ·h₁ + 2λw₁ = ")
    assert f" + 2·0.01·{signed(net.weights[1][0, 0])} = " in grad_tag.toolTip()


def test_a_new_activation_on_the_same_layers_redraws_the_column_headers(qtbot, window, fresh):
    inspector = _open(qtbot, window)
    _click_point(qtbot, window, inspector, 0)
    headers = lambda: {item.text() for item in inspector.scene.items() if isinstance(item, QGraphicsSimpleTextItem)}
    assert "hᵢ = tanh(zᵢ)" in headers()
    session = window.session
    session.set_architecture(session.hidden, "relu")
    fresh(session)
    _click_point(qtbot, window, inspector, 0)
    assert "hᵢ = relu(zᵢ)" in headers() and "hᵢ = tanh(zᵢ)" not in headers()


def _amber_pixels(button):
    rgb = button.grab().toImage().convertToFormat(QImage.Format_RGB888)
    width, height = rgb.width(), rgb.height()
    rows = np.frombuffer(rgb.constBits(), np.uint8, rgb.bytesPerLine() * height).reshape(height, -1)
    pixels = rows[:, :3 * width].reshape(height, width, 3).astype(int)
    return int((np.abs(pixels - QColor("#ffb000").getRgb()[:3]).max(axis=2) <= 20).sum())


def test_pick_a_point_shows_plainly_whether_it_is_on_and_the_instructions_follow_it(qtbot, window):
    inspector = _open(qtbot, window)
    button, session = inspector.pick_button, window.session
    status = window.statusBar()
    # on (as it opens): the button is filled amber and says it is picking; the texts say "click a point"
    assert button.isChecked() and button.text() == "Picking… click a point"
    assert _amber_pixels(button) > button.width() * button.height() // 2
    assert inspector.point_label.text() == "Click a training point in the data plot"
    assert inspector.message.text().startswith("Click a training point")
    assert status.currentMessage().startswith("Backprop inspector: Click a training point")

    qtbot.mouseClick(button, Qt.LeftButton)                             # off: nothing says "click a point" alone
    assert not button.isChecked() and button.text() == "Pick a point" and _amber_pixels(button) == 0
    for text in (inspector.point_label.text(), inspector.message.text(), status.currentMessage()):
        assert "Press Pick a point, then click a training point" in text
    before = len(session.points)
    plot = window.class_plot
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.data_to_widget(0.5, 0.5))
    assert len(session.points) == before + 1                            # (as the texts said: a click adds)

    qtbot.mouseClick(button, Qt.LeftButton)                             # on again: a click picks
    assert button.text() == "Picking… click a point" and "Press" not in inspector.message.text()
    assert status.currentMessage().startswith("Picking: Click a training point")
    assert _click_point(qtbot, window, inspector, 2) == 2 and len(session.points) == before + 1
