"""``playground export --preset <compare scene> --out FILE.gif``: every run trains and every panel animates.

Before: refused ("an animation shows one run"), though issue 14 asks that a compare scene animate all its panels.
Run as the command runs, in its own interpreter with a training process per run: in the test process the runs'
in-process worker threads and the export's waits for their panels starve each other of the one GIL.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import run_in_process
from test_export_animation import gif_frames

REPO = Path(__file__).resolve().parents[1]


def _run_command(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=180)


@pytest.mark.process
def test_a_compare_scene_animates_every_panel(tmp_path):
    out = tmp_path / "xnor.gif"
    result = _run_command("export", "--preset", "compare-xnor", "--steps", "400", "--frames", "4", "--view", "plots",
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


def test_a_compare_scene_still_refuses_a_seed_in_its_own_words(tmp_path, capfd):
    code, _, stderr = run_in_process(capfd, "export", "--preset", "compare-xnor", "--steps", "10", "--seed", "3",
                                     "--out", str(tmp_path / "x.png"))
    assert code == 2
    assert stderr.strip().splitlines() == ["playground: error: --seed: compare-xnor is a compare scene, "
                                           "and its runs have their own seeds"]
