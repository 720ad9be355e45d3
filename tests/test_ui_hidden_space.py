"""The hidden-space view and its table, driven through the window (pytest-qt, offscreen)."""

import numpy as np
from gui_helpers import train_to

from playground.engine import Network
from playground.engine.hidden_space import grid_lines, map_lines, nice_extent
from playground.ui.bent_grid_plot import N_LINES, SAMPLES
from playground.ui.weights_editor import WeightsEditor

LECTURE_XNOR = [  # i₁ i₂ | hidden layer input h₁ h₂ | hidden layer output h₁ h₂ | o   (x₁, o₁, o₂, x₂)
    ("0", "0", "0", "0", "0", "1", "1"),
    ("0", "1", "1", "−1", "0", "0", "0"),
    ("1", "0", "1", "−1", "0", "0", "0"),
    ("1", "1", "2", "−2", "1", "0", "1"),
]


def _open(qtbot, window, preset, steps=0):
    s = window.session
    s.load_preset(preset)
    train_to(qtbot, s, steps)
    view = window.insight.hidden_space
    with qtbot.waitSignal(view.updated, timeout=5000):
        window.insight.open_hidden_space()
    return view


def _count(item) -> int:
    x = item.getData()[0]
    return 0 if x is None else len(x)


def _column(table, header: str) -> list[str]:
    c = next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text().split("\n")[0] == header)
    return [table.item(r, c).text() for r in range(table.rowCount())]


def test_the_coordinates_are_the_engines_hidden_outputs(qtbot, window):
    view = _open(qtbot, window, "xnor", steps=150)
    net = window.session.network_from_snapshot()
    X = window.session.points.X
    np.testing.assert_array_equal(view.space.coordinates, net.hidden_outputs(X)[0])
    view.choose(1, (1, 0))
    np.testing.assert_array_equal(view.space.coordinates, net.hidden_outputs(X)[0][:, [1, 0]])
    view.choose(0)
    np.testing.assert_array_equal(view.space.coordinates, X)
    # the input plane is not the last hidden layer's space: the boundary is drawn as dots, and said
    assert view.layer == 0 and view.space.line is None and "last hidden layer" in view.space.note.text()
    assert _count(view.space.boundary) > 0 and _count(view.space.decision) == 0


def test_the_grid_is_the_input_grid_mapped_through_the_layer(qtbot, window):
    view = _open(qtbot, window, "circles", steps=100)
    net = window.session.network_from_snapshot()
    view.choose(1, (2, 3))
    expected = map_lines(net, grid_lines(nice_extent(window.session.points.X), N_LINES, SAMPLES), 1, (2, 3))
    assert len(view.space.mapped_lines) == 2 * N_LINES
    for item, line, want in zip(view.space.line_items, view.space.mapped_lines, expected):
        np.testing.assert_allclose(line, want)
        x, y = item.getData()
        np.testing.assert_allclose(np.column_stack([x, y]), want)
    # four units: the output depends on the two off-axis ones too, so no straight line — and the view says so
    assert view.space.line is None and "4 units" in view.space.note.text()
    assert _count(view.space.boundary) > 0


def test_on_the_hand_set_xnor_network_the_table_is_the_lectures(qtbot, window):
    view = _open(qtbot, window, "xnor-perceptron")
    table = view.table
    assert table.rowCount() == 4
    rows = list(zip(_column(table, "i₁"), _column(table, "i₂"), _column(table, "input h₁"),
                    _column(table, "input h₂"), _column(table, "output h₁"), _column(table, "output h₂"),
                    _column(table, "o")))
    assert sorted(rows) == sorted(LECTURE_XNOR)
    assert "θ = 2" in table.horizontalHeaderItem(3).text() and "θ = 0" in table.horizontalHeaderItem(4).text()
    assert _column(table, "o") == _column(table, "target")
    # in (h₁, h₂) the output's line separates the recoded corners
    line = view.space.line
    side = view.space.coordinates @ np.array(line.a) + line.c > 0
    assert np.array_equal(side, window.session.points.y == 1)


def test_the_trained_tanh_network_makes_xnor_linearly_separable_in_its_hidden_space(qtbot, window):
    view = _open(qtbot, window, "xnor", steps=400)
    assert window.session.snapshot.metrics.train_accuracy == 1.0
    side = view.space.coordinates @ np.array(view.space.line.a) + view.space.line.c > 0
    assert np.array_equal(side, window.session.points.y == 1)
    assert _count(view.space.decision) == 2  # the line is drawn


def test_it_updates_live_during_training(qtbot, window, fresh):
    view = _open(qtbot, window, "xnor")
    session = window.session
    start = view.space.coordinates.copy()
    session.play()
    qtbot.waitUntil(lambda: not np.allclose(view.space.coordinates, start), timeout=10_000)  # moved while playing
    assert session.playing
    session.pause()
    fresh(session)
    step = session.snapshot.step
    session.step(1)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == step + 1, timeout=5000)
    net = session.network_from_snapshot()
    qtbot.waitUntil(lambda: np.array_equal(view.space.coordinates, net.hidden_outputs(session.points.X)[0]),
                    timeout=5000)


def test_a_weight_edited_in_the_table_goes_to_the_worker(qtbot, window, fresh):
    view = _open(qtbot, window, "xnor-perceptron")
    session = window.session
    weights = view.weights
    view.tabs.setCurrentWidget(weights)  # as a user would: the Weights tab
    assert weights.item(0, 0).text() == "h₁" and weights.item(0, 1).text() == "1"
    theta = next(c for c in range(weights.columnCount()) if weights.horizontalHeaderItem(c).text().startswith("θ"))
    weights.item(0, theta).setText("1")  # h₁ now fires at i₁ + i₂ ≥ 1: OR instead of AND
    fresh(session)
    assert session.snapshot.parameters[8] == -1.0  # b⁽¹⁾₁
    view.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: _column(view.table, "output h₁") and
                    sorted(_column(view.table, "output h₁")) == ["0", "1", "1", "1"], timeout=5000)
    assert "θ = 1" in view.table.horizontalHeaderItem(3).text()


def test_the_view_saves_as_an_image(qtbot, window, tmp_path):
    view = _open(qtbot, window, "xnor-perceptron")
    path = tmp_path / "hidden.png"
    assert view.save_image(str(path)) and path.stat().st_size > 1000


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def test_one_hidden_layer_tables_read_as_the_slides_f(qtbot, window, fresh):
    """Rows hᵢ with vᵢ, bᵢ, θᵢ, wᵢ and a last row w₀: f(x) = Σᵢ wᵢ σ(vᵢx + bᵢ) + w₀ computed from the cells alone
    is the network's output; an edit in a cell changes exactly that parameter."""
    view = _open(qtbot, window, "bishop-x2", steps=30)
    session = window.session
    net = session.network_from_snapshot()
    assert net.layer_sizes == (1, 3, 1) and net.activation == "tanh"
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    assert "input h₁\nz₁ = v₁x + b₁" in headers and "ŷ\nΣᵢ wᵢhᵢ + w₀" in headers
    weights = view.weights
    with qtbot.waitSignal(view.updated):
        view.tabs.setCurrentWidget(weights)
    assert [weights.horizontalHeaderItem(c).text() for c in range(weights.columnCount())] == \
        ["unit", "vᵢ", "bᵢ", "θᵢ = −bᵢ", "wᵢ"]
    assert [weights.item(r, 0).text() for r in range(weights.rowCount())] == ["h₁", "h₂", "h₃", "w₀  (bias)"]
    v, b, theta, w = ([_number(weights.item(r, c).text()) for r in range(3)] for c in (1, 2, 3, 4))
    w0 = _number(weights.item(3, 4).text())
    assert theta == [-value for value in b]
    x = session.points.X[:, 0]
    from_cells = sum(w[i] * np.tanh(v[i] * x + b[i]) for i in range(3)) + w0
    np.testing.assert_allclose(from_cells, net.predict(session.points.X)[:, 0], atol=2e-3)
    # set w₂ and θ₁ by hand: exactly those parameters change
    weights.item(1, 4).setText("0.5")
    fresh(session)
    weights.item(0, 3).setText("0.25")
    fresh(session)
    after = session.network_from_snapshot()
    assert after.weights[1][0, 1] == 0.5 and after.biases[0][0] == -0.25
    changed = np.flatnonzero(after.parameters != net.parameters)
    assert len(changed) == 2 and after.parameters[changed].tolist() in ([-0.25, 0.5], [0.5, -0.25])


def test_a_deeper_networks_weights_table_edits_exactly_the_parameter_in_the_cell(qtbot):
    """Layered rows (w⁽ʲ⁾ from each input, b, θ = −b): an edit names that parameter's flat index, found by its cell."""
    net = Network((2, 3, 2, 2), "tanh")
    net.parameters[...] = np.arange(net.parameters.size) / 10 + 0.05   # every value tells where it sits
    editor = WeightsEditor()
    qtbot.addWidget(editor)
    editor.fill(net, classification=True)
    assert [editor.horizontalHeaderItem(c).text() for c in range(editor.columnCount())] == \
        ["unit", "w from 1", "w from 2", "w from 3", "b", "θ = −b"]
    assert [editor.item(r, 0).text() for r in range(editor.rowCount())] == \
        ["h⁽¹⁾₁", "h⁽¹⁾₂", "h⁽¹⁾₃", "h⁽²⁾₁", "h⁽²⁾₂", "s₁ (class 1)", "s₂ (class 2)"]
    assert editor.item(3, 3).text() == f"{net.weights[1][0, 2]:.4g}" and editor.item(0, 3).text() == ""
    with qtbot.waitSignal(editor.edited) as blocker:
        editor.item(3, 3).setText("2.5")                                # w⁽²⁾₁₃: h⁽¹⁾₃ → h⁽²⁾₁
    index, value, _ = blocker.args
    assert value == 2.5 and net.parameters[index] == net.weights[1][0, 2]
    with qtbot.waitSignal(editor.edited) as blocker:
        editor.item(5, 5).setText("0.7")                                # θ of s₁ = −b⁽³⁾₁
    index, value, _ = blocker.args
    assert value == -0.7 and net.parameters[index] == net.biases[2][0]
