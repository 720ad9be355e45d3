"""The network diagram in presentation mode and in pictures: its text, links and tiles grow with the window's look,
the window's exported image shows it, and ``playground export --view network`` draws it alone."""

import numpy as np
from cli_helpers import run_in_process
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from test_ui_layout import load, present, settle

from playground.ui.diagram_canvas import LINK_WIDTHS
from playground.ui.graph_view import NEGATIVE, POSITIVE
from playground.ui.plot_style import FONT_TOKENS


def _open_diagram(qtbot, window):
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)  # View ▸ Network diagram
    diagram = window.diagram_dock.widget()
    qtbot.waitUntil(lambda: window.diagram_dock.isVisible() and diagram.drawn_serial == window.session.snapshot.serial,
                    timeout=5_000)
    return diagram


def _drawn(qtbot, window, diagram):
    qtbot.waitUntil(lambda: diagram.drawn_serial == window.session.snapshot.serial and diagram._key is not None,
                    timeout=5_000)


def _near(rgb: np.ndarray, colour, tolerance=30) -> np.ndarray:
    if isinstance(colour, QColor):
        colour = (colour.red(), colour.green(), colour.blue())
    return np.abs(rgb - np.array(colour)).max(axis=2) <= tolerance


def _link_colours(diagram):
    """The RGB of layer 0's strongest positive and negative links as drawn (pens are blended toward white)."""
    pens = [diagram.canvas.links[0][sign][-1].pen().color() for sign in (0, 1)]
    return [(c.red(), c.green(), c.blue()) for c in pens]


def test_presentation_mode_tucks_the_diagram_away_and_ctrl_d_opens_it_enlarged(window, qtbot):
    load(qtbot, window, "bishop-sin", 100)
    settle(qtbot, window, (1280, 720))
    diagram = _open_diagram(qtbot, window)
    canvas = diagram.canvas
    title_pt = canvas.columns[1].title.font().pointSizeF()
    link_width = canvas.links[0][0][0].pen().widthF()
    button = canvas.columns[1].buttons[0][0].rect().width()
    assert title_pt == FONT_TOKENS["tile_title"] and link_width == LINK_WIDTHS[0]

    present(qtbot, window, (1280, 720))
    scale = window.look.scale
    assert scale > 1
    # beside the plots it left the data plot ~250 px wide at 1280x720: the mode shows the plots, the diagram on demand
    assert not window.diagram_dock.isVisible()
    diagram = _open_diagram(qtbot, window)
    _drawn(qtbot, window, diagram)
    canvas = diagram.canvas
    assert canvas.columns[1].title.font().pointSizeF() == round(FONT_TOKENS["tile_title"] * scale, 1)
    assert canvas.links[0][0][0].pen().widthF() == LINK_WIDTHS[0] * scale
    assert canvas.columns[1].buttons[0][0].rect().width() == button * scale
    assert diagram.legend.font().pointSizeF() == round(FONT_TOKENS["note"] * scale, 1)
    assert canvas.columns[1].frames.pen().widthF() == scale  # the tiles' frames

    window.presentation.set_enabled(False)
    settle(qtbot, window, (1280, 720))
    qtbot.waitUntil(window.diagram_dock.isVisible, timeout=2_000)  # open before the mode: open after it
    _drawn(qtbot, window, diagram)
    assert diagram.canvas.columns[1].title.font().pointSizeF() == title_pt   # back to the normal size
    assert diagram.canvas.links[0][0][0].pen().widthF() == link_width


def test_presentation_mode_leaves_a_closed_diagram_closed(window, qtbot):
    load(qtbot, window, "bishop-sin", 10)
    present(qtbot, window, (1280, 720))
    assert not window.diagram_dock.isVisible()


def test_the_exported_window_image_shows_the_diagrams_links_and_tiles(window, qtbot, tmp_path):
    load(qtbot, window, "spiral", 300)
    settle(qtbot, window, (1280, 720))
    diagram = _open_diagram(qtbot, window)
    path = tmp_path / "window.png"
    assert window.files.export_image(path, "window", 2)  # File ▸ Export image, region "window", at 2×
    rgb = np.asarray(Image.open(path).convert("RGB")).astype(int)
    assert rgb.shape == (2 * window.height(), 2 * window.width(), 3)
    top_left = diagram.canvas.mapTo(window, diagram.canvas.rect().topLeft())
    x0, y0 = 2 * top_left.x(), 2 * top_left.y()
    inside = rgb[y0:y0 + 2 * diagram.canvas.height(), x0:x0 + 2 * diagram.canvas.width()]
    outside = rgb[:y0]                              # the plots above the dock
    positive, negative = _link_colours(diagram)
    for colour in (positive, negative):
        assert _near(inside, colour, 12).sum() > 500, colour  # the links are in the picture, where the diagram is
    # a 2-D tile: the centre of the first hidden unit's tile in the picture has one of its map's colours
    centre = diagram.canvas.mapFromScene(diagram.canvas.columns[1].tile_rect(0).center())
    pixel = inside[2 * centre.y(), 2 * centre.x()]
    colours = diagram.canvas.columns[1].image.image[..., :3].reshape(-1, 3).astype(int)  # the column's image
    assert np.abs(colours - pixel).max(axis=1).min() <= 12, pixel
    assert _near(outside, positive, 12).sum() < _near(inside, positive, 12).sum()


def test_headless_export_view_network_draws_the_diagram_alone_at_the_asked_size(tmp_path, capfd, qapp):
    # (qapp: this export builds the real window, so tests/conftest.py puts it in the slow tier)
    out = tmp_path / "net.png"
    code, _, stderr = run_in_process(capfd, "export", "--preset", "xor", "--steps", "200", "--view", "network",
                                     "--size", "700x360", "--scale", "2", "--out", str(out))
    assert code == 0, stderr
    rgb = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert rgb.shape == (720, 1400, 3)
    # links of both signs, thicker ones included (pens widen with the 2× scale); no axes or plots: mostly white
    links = _near(rgb, POSITIVE, 60) | _near(rgb, NEGATIVE, 60)
    assert links.sum() > 2000, links.sum()
    assert _near(rgb, POSITIVE, 60).sum() > 200 and _near(rgb, NEGATIVE, 60).sum() > 200
    assert _near(rgb, (255, 255, 255), 3).mean() > 0.5
    # the tiles' grey frames: rows where a frame's top edge runs over many pixels
    frame = _near(rgb, (150, 150, 150), 6)
    assert (frame.sum(axis=1) > 40).sum() >= 4, (frame.sum(axis=1) > 40).sum()


def test_headless_export_view_network_refuses_svg_by_name(tmp_path, capfd):
    code, _, stderr = run_in_process(capfd, "export", "--preset", "xor", "--view", "network", "--out",
                                     str(tmp_path / "net.svg"))
    assert code != 0 and "--view plots" in stderr and len(stderr.strip().splitlines()) == 1
