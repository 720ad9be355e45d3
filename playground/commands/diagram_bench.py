"""``python -m playground.commands.diagram_bench``: the network diagram's cost per update, offscreen, at 1280×720.

For each network, the CPU time (``time.process_time``: this process only, so other programs on a busy
machine do not count) of one update from the newest snapshot (pictures, links, bias bars) and of one
paint of the diagram. The worker runs in its own process and is paused while measuring.
"""

from __future__ import annotations

import os
import statistics
import time

from .pump import wait_until

NETWORKS = [("bishop-x2", (3,)), ("spiral", (16, 16)), ("spiral", (64,) * 6), ("bishop-x2", (64,) * 6)]


def main(repeats: int = 30) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..ui.application import create_app, quiet_offscreen_warnings
    from ..ui.main_window import MainWindow

    app = create_app()
    quiet_offscreen_warnings(app)
    window = MainWindow()
    window.setGeometry(0, 0, 1280, 720)
    window.show()
    if not window.diagram_dock.isVisible():  # not open at start: View ▸ Network diagram (Ctrl+D) opens it
        window.diagram_dock.toggleViewAction().trigger()
    session, diagram = window.session, window.diagram_dock.widget()
    for preset, hidden in NETWORKS:
        session.load_preset(preset)
        session.set_architecture(hidden, session.activation)
        session.step(5)
        wait_until(app, lambda: session.up_to_date, 30.0, "the training process")
        wait_until(app, lambda: diagram.drawn_serial == session.snapshot.serial, 30.0, "the diagram to draw")
        update, paint = [], []
        for _ in range(repeats):
            start = time.process_time()
            diagram.redraw()
            drawn = time.process_time()
            diagram.canvas.viewport().repaint()
            update.append(drawn - start)
            paint.append(time.process_time() - drawn)
        sizes = list(session.layer_sizes)
        print(f"{sizes}: update {1e3 * statistics.mean(update):.1f} ms + paint {1e3 * statistics.mean(paint):.1f} ms "
              f"CPU (tiles {diagram.canvas.columns[1].tile:.0f} px high, diagram "
              f"{diagram.canvas.width()}×{diagram.canvas.height()})")
    window.close()


if __name__ == "__main__":
    main()
