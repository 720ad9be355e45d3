import os

import pytest

from playground.blas import SINGLE_THREADED

# Qt must pick its platform before it is first imported: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# One BLAS thread, as the app has (its command line and its training process set this before numpy loads): the
# tests train in a thread of this process, and a second BLAS thread spinning idle beside them cost a fifth of the
# GUI tests' CPU time (and the other pytest-xdist worker its core).
for _variable, _value in SINGLE_THREADED.items():
    os.environ.setdefault(_variable, _value)

# Tests never read or write the user's real settings or data (recent files, window layout, the last
# session): point Qt's config and data folders at a temporary folder before Qt is first imported. Each
# process running tests (each pytest-xdist worker too) has its own, so parallel workers share no files.
import shutil  # noqa: E402
import tempfile  # noqa: E402

_HOME = tempfile.mkdtemp(prefix="playground-tests-")
for _variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_variable] = os.path.join(_HOME, _variable.lower())


def pytest_configure(config):
    from PySide6.QtCore import QSettings
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, os.path.join(_HOME, "settings"))
    config.addinivalue_line("markers", "process: runs the training service in a real child process "
                                       "(end-to-end; still run by default, select with -m process)")
    config.addinivalue_line("markers", "window: builds Qt widgets (the qtbot or qapp fixture, so every window test) "
                                       "or runs the real app's processes; set by pytest_collection_modifyitems, never "
                                       "by hand. The quick tier is -m 'not window'")


# Fixtures of tests that build Qt widgets: pytest-qt's qtbot (make_window and window go through it) and qapp (the
# headless exports run in this process build the real window too, and ask for Qt's application by it).
_WIDGET_FIXTURES = {"qtbot", "qapp"}


def pytest_collection_modifyitems(config, items):
    """Mark the tests of the slow tier from what they use, so the quick tier needs no hand-kept list."""
    for item in items:
        if _WIDGET_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("process"):
            item.add_marker(pytest.mark.window)


def pytest_unconfigure(config):
    shutil.rmtree(_HOME, ignore_errors=True)


# -- the real window, shared by the GUI tests ----------------------------------------------------
from gui_helpers import wait_fresh  # noqa: E402


@pytest.fixture(autouse=True)
def _worker_in_process(request, monkeypatch):
    """Windows train in a thread of the test process (no process to spawn), unless the test is about the
    process itself (``@pytest.mark.process``)."""
    if request.node.get_closest_marker("process") is None:
        from playground.ui.session import Session
        from playground.worker.process import WorkerThread
        monkeypatch.setattr(Session, "default_worker_factory", WorkerThread)


@pytest.fixture
def fresh(qtbot):
    """``fresh(session)`` waits until the newest snapshot reflects every command sent."""
    return lambda session: wait_fresh(qtbot, session)


@pytest.fixture
def make_window(qtbot):
    """``make_window(size=(1500, 950), files=None, dialogs=None, show=True)``: a main window on its default
    scene with its first snapshot, shown offscreen (``show=False``: never drawn, for tests of its files and
    worker alone), closed (worker stopped) after the test. ``size`` None keeps the window's own first size;
    ``files`` is a folder for its settings and data folder (the last session), so the window may own the
    autosave without touching another test's files; ``dialogs`` answers its file dialogs.
    The one way the tests build a window."""
    from PySide6.QtCore import QSettings

    from playground.ui.application import create_app
    from playground.ui.main_window import MainWindow

    made = []

    def make(size=(1500, 950), files=None, dialogs=None, show=True):
        create_app()
        w = MainWindow()
        qtbot.addWidget(w)
        made.append(w)
        if files is not None:
            w.files.settings = QSettings(str(files / "settings.ini"), QSettings.IniFormat)
            w.files.data_dir = files / "data"
        if dialogs is not None:
            w.files.dialogs = dialogs
        if size is not None:
            w.resize(*size)
        if show:
            w.show()
        wait_fresh(qtbot, w.session)
        return w

    yield make
    for w in reversed(made):
        w.close()


@pytest.fixture
def window(make_window):
    """The main window, shown offscreen at 1500x950 on its default scene; closed (worker stopped) afterwards."""
    return make_window()
