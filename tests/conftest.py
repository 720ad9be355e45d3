import os

# Qt must pick its platform before it is first imported: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Tests never read or write the user's real settings or data (recent files, window layout, the last
# session): point Qt's config and data folders at a temporary folder before Qt is first imported.
import tempfile  # noqa: E402

_HOME = tempfile.mkdtemp(prefix="playground-tests-")
for _variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_variable] = os.path.join(_HOME, _variable.lower())


def pytest_configure(config):
    from PySide6.QtCore import QSettings
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, os.path.join(_HOME, "settings"))
