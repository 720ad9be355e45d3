"""``playground export --preset <compare scene> --out FILE.gif``: every run trains and every panel animates.

Before: refused ("an animation shows one run"), though issue 14 asks that a compare scene animate all its panels.
"""

import numpy as np
from test_export_animation import gif_frames, run_cli


def test_a_compare_scene_animates_every_panel(tmp_path):
    out = tmp_path / "xnor.gif"
    result = run_cli("export", "--preset", "compare-xnor", "--steps", "400", "--frames", "4", "--view", "plots",
                     "--size", "960x540", "--out", str(out))
    assert result.returncode == 0, result.stderr
    frames = [rgb for rgb, _ in gif_frames(out)]
    assert len(frames) == 4 and all(rgb.shape == (540, 960, 3) for rgb in frames)
    first, last = frames[0].astype(int), frames[-1].astype(int)
    # the two panels side by side at the left of the plots (x 0-225 and 230-455), below the caption and headers
    # (the perceptron's region fades to white as its weights shrink; the 2-unit net's grows its band)
    for left, right in ((10, 215), (240, 445)):
        changed = np.abs(first[140:480, left:right] - last[140:480, left:right]).sum(axis=2) > 30
        assert changed.mean() > 0.2, f"the panel at x {left}-{right} hardly changed: {changed.mean():.1%}"


def test_a_compare_scene_still_refuses_a_seed_in_its_own_words(tmp_path):
    result = run_cli("export", "--preset", "compare-xnor", "--steps", "10", "--seed", "3",
                     "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["playground: error: --seed: compare-xnor is a compare scene, "
                                                  "and its runs have their own seeds"]
