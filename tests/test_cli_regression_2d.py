"""2-D regression from the command line: listed presets, `train --json` with a loss far below the labels'
variance, and a headless export that draws the surface."""

import json

import numpy as np
from PySide6.QtGui import QImage

from playground.commands.cli import main
from playground.data import get_preset
from playground.engine.settings import holdout_mask


def test_presets_lists_plane_and_gaussian(capsys):
    assert main(["presets"]) == 0
    keys = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert "plane" in keys and "gaussian" in keys


def test_train_plane_json_reports_a_loss_far_below_the_label_variance(capsys):
    assert main(["train", "--preset", "plane", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    data = get_preset("plane").make_dataset()
    train = ~holdout_mask(len(data.y), get_preset("plane").settings.test_fraction)
    variance = float(np.var(data.y[train]))  # the mean squared error of the best constant
    assert result["layer_sizes"] == [2, 1] and result["train_accuracy"] is None
    assert result["train_loss"] < variance / 50 and result["test_loss"] < variance / 50, (result, variance)


def test_export_gaussian_draws_the_surface(tmp_path, qapp):
    out = tmp_path / "g.png"
    assert main(["export", "--preset", "gaussian", "--steps", "300", "--out", str(out)]) == 0
    image = QImage(str(out)).convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    rgb = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h).reshape(h, -1)[:, :3 * w]
    rgb = rgb.reshape(h, w, 3).astype(int)
    assert (w, h) == (1600, 900)
    # a smoke test of the picture (the GUI tests check the surface pixel by pixel): the surface's paler blue and
    # orange where the bumps are (60% of the colour), and the points' and colour bar's full colours
    for colour, at_least in (([102, 160, 210], 2000), ([240, 174, 102], 1000), ([0, 100, 180], 300),
                             ([230, 120, 0], 300)):
        near = int((np.abs(rgb - colour).max(axis=2) < 25).sum())
        assert near > at_least, (colour, near)
