"""The layout screenshots: the real window at both projector sizes, presentation mode off and on, 1-D and
2-D, and with the backprop inspector or the hidden-space dock open (run by docs/make_screenshots.sh).

Each picture is the whole window, built offscreen at the given size, trained through the training
process, and written by the app's own PNG export; presentation mode is the one F11 turns on, at the
window's size instead of full screen (offscreen there is no projector to fill).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHOTS = [  # (file name, size, preset, steps, presentation, dock)
    ("layout-1280x720-1d.png", (1280, 720), "bishop-sin", 2000, False, None),
    ("layout-1280x720-2d.png", (1280, 720), "spiral", 3000, False, None),
    ("layout-1280x720-1d-presentation.png", (1280, 720), "bishop-sin", 2000, True, None),
    ("layout-1280x720-2d-presentation.png", (1280, 720), "spiral", 3000, True, None),
    ("layout-1280x720-2d-inspector.png", (1280, 720), "xor", 1500, False, "inspector"),
    ("layout-1280x720-2d-hidden-space.png", (1280, 720), "xnor", 1500, False, "hidden_space"),
    ("layout-1920x1080-1d.png", (1920, 1080), "bishop-sin", 2000, False, None),
    ("layout-1920x1080-2d.png", (1920, 1080), "spiral", 3000, False, None),
    ("layout-1920x1080-1d-presentation.png", (1920, 1080), "bishop-sin", 2000, True, None),
    ("layout-1920x1080-2d-presentation.png", (1920, 1080), "spiral", 3000, True, None),
    ("layout-1920x1080-1d-inspector.png", (1920, 1080), "bishop-sin", 2000, False, "inspector"),
    ("layout-1920x1080-2d-hidden-space.png", (1920, 1080), "circles", 2000, False, "hidden_space"),
]


def shoot(app, out: Path, size, preset: str, steps: int, presenting: bool, dock: str | None) -> None:
    from playground.commands.export import train
    from playground.commands.pump import pump_events
    from playground.export.images import save_png
    from playground.ui.main_window import MainWindow

    window = MainWindow()
    try:
        window.resize(*size)
        window.show()
        if presenting:
            window.presentation.set_enabled(True, full_screen=False)
            window.resize(*size)
        window.session.load_preset(preset)
        train(app, window.session, steps)
        if dock == "inspector":
            window.insight.open_inspector()
            pump_events(app, 0.3)
            inspector = window.insight.inspector
            inspector.pick(0)  # one training point's graph, forward and backward filled in
            inspector.stepper.go_to(inspector.stepper.total_steps)
        elif dock == "hidden_space":
            window.insight.open_hidden_space()
        pump_events(app, 0.6)  # bounded-rate redraws (the loss plot: every 100 ms) and deferred layouts catch up
        if window.size().toTuple() != tuple(size):
            raise SystemExit(f"{out.name}: the window is {window.width()}x{window.height()}, not {size[0]}x{size[1]}")
        save_png(window, out)
        print(f"{out}  {size[0]}x{size[1]}")
    finally:
        window.presentation.set_enabled(False)  # it scales the application font, which the next window shares
        window.close()
        app.processEvents()


def main(folder: str) -> int:
    from playground.ui.application import create_app

    app = create_app()
    only = set(sys.argv[2:])
    for name, size, preset, steps, presenting, dock in SHOTS:
        if not only or name in only:
            shoot(app, Path(folder) / name, size, preset, steps, presenting, dock)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
