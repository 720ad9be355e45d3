"""Compare mode with the mouse: each panel's ⋮ menu (change one setting of that run, duplicate, remove, make
main) and the window's Compare menu (the same actions by run, and leaving compare mode).

A setting changed here goes to that run's own session, as the controls do for the main run: a new network
(activation, hidden units, seed) is re-initialized from its seed; a training setting applies live to its weights.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QWidget

from ..data.compare import MAX_RUNS
from ..engine.activations import ACTIVATIONS
from ..engine.optimizers import OPTIMIZERS
from .compare_runs import CompareRuns

HIDDEN_CHOICES = ((), (1,), (2,), (3,), (8,), (50,), (8, 8))
RATE_CHOICES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
L2_CHOICES = (0.0, 1e-4, 1e-3, 1e-2, 0.1)
SEED_CHOICES = tuple(range(10))


def _hidden_text(hidden: tuple[int, ...]) -> str:
    return "no hidden layer" if not hidden else " × ".join(map(str, hidden)) + " units"


def run_menu(runs: CompareRuns, index: int, parent: QWidget, panels=None) -> QMenu:
    """The ⋮ menu of panel ``index``: its checked items show the run's current choices when it opens; with
    ``panels`` (the ``ComparePanels``) it begins with Enlarge, checked while the run is shown alone."""
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)  # a greyed item says why on hover (Qt's menus hide item tooltips by default)
    menu.aboutToShow.connect(lambda: _fill_run_menu(menu, runs, index, panels))
    return menu


def _fill_run_menu(menu: QMenu, runs: CompareRuns, index: int, panels) -> None:
    menu.clear()
    if index >= len(runs.runs):
        return
    session = runs.runs[index]
    if panels is not None:
        enlarge = menu.addAction("Enlarge (this run alone)", lambda: panels.toggle_enlarged(session))
        enlarge.setCheckable(True)
        enlarge.setChecked(panels.enlarged is session)
        enlarge.setToolTip("Esc or a double-click on the header shows every run again")
        menu.addSeparator()

    def changed(apply):
        def act():
            runs.history.record_change(index)  # Ctrl+Z takes the change back (the main run: its own undo)
            if apply() is not False:
                runs.changed_by_hand(index)
        return act

    def choices(title, options, current, text, apply):
        sub = menu.addMenu(title)
        for option in options:
            action = sub.addAction(text(option), changed(lambda option=option: apply(option)))
            action.setCheckable(True)
            action.setChecked(option == current)

    choices("Activation", [k for k, a in ACTIVATIONS.items() if a.differentiable], session.activation,
            lambda k: ACTIVATIONS[k].label, lambda k: session.set_architecture(session.hidden, k))
    choices("Hidden units", HIDDEN_CHOICES, tuple(session.hidden), _hidden_text,
            lambda h: session.set_architecture(h, session.activation))
    choices("Seed", SEED_CHOICES, session.seed, lambda s: f"seed {s}", lambda s: session.reset(s))
    choices("Optimizer", list(OPTIMIZERS), session.settings.optimizer, lambda k: OPTIMIZERS[k],
            lambda k: session.update_settings(optimizer=k))
    choices("Learning rate", RATE_CHOICES, session.settings.learning_rate, lambda r: f"η = {r:g}",
            lambda r: session.update_settings(learning_rate=r))
    choices("Ridge λ", L2_CHOICES, session.settings.l2, lambda v: f"λ = {v:g}",
            lambda v: session.update_settings(l2=v))
    menu.addSeparator()
    duplicate = menu.addAction("Duplicate run", lambda: runs.duplicate(index))
    duplicate.setEnabled(len(runs.runs) < MAX_RUNS)
    remove = menu.addAction("Remove run", lambda: runs.remove(index))
    remove.setEnabled(index > 0)
    if index == 0:
        remove.setToolTip("Run 1 is the main run, the one the controls change: it stays while compare mode is on")
    menu.addAction("Make main run (leave compare mode)", lambda: runs.make_main(index))


def build_compare_menu(runs: CompareRuns, menu: QMenu) -> None:
    """The window's Compare menu: duplicate, remove or make main a run by its label, or leave compare mode."""
    def fill():
        menu.clear()
        labels = runs.labels if runs.active else ["the current run"]
        duplicate = menu.addMenu("&Duplicate run")
        for i, label in enumerate(labels):
            duplicate.addAction(f"{i + 1}. {label}", lambda i=i: runs.duplicate(i))
        duplicate.setEnabled(len(runs.runs) < MAX_RUNS)
        remove = menu.addMenu("&Remove run")
        for i, label in enumerate(labels[1:], start=1):
            remove.addAction(f"{i + 1}. {label}", lambda i=i: runs.remove(i))
        remove.setEnabled(runs.active)
        main = menu.addMenu("&Make main run")
        for i, label in enumerate(labels):
            main.addAction(f"{i + 1}. {label}", lambda i=i: runs.make_main(i))
        main.setEnabled(runs.active)
        menu.addSeparator()
        leave = menu.addAction("&Leave compare mode (keep run 1)", runs.leave)
        leave.setEnabled(runs.active)
    menu.aboutToShow.connect(fill)
    fill()
