"""The File menu: session files, recent files, points as CSV, image export, and what the app remembers.

- Open / Save / Save As (Ctrl+O, Ctrl+S, Ctrl+Shift+S) of session files (``data.session_file``);
  a file that cannot be opened says why and leaves the session as it was.
- Open Recent (QSettings); window geometry and layout, folders and export choices are remembered.
- The last session (restored at start, autosaved, remembered at quit): ``last_session.LastSession``.
- Import / export points as CSV (``data.points_csv``).
- Export image (Ctrl+E): the whole window or the plots, PNG at 1×/2×/3× or SVG; Copy image (Ctrl+Shift+C).

Nothing here blocks a test: every question goes through ``Dialogs``, which tests replace, and the
settings and data folder can be injected (``tests/conftest.py`` points both at a temporary folder).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QSettings, QStandardPaths, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QVBoxLayout,
)

from ..data import session_file
from ..data.bounded_read import one_line
from ..data.points_csv import load_csv, save_csv
from ..data.scene import mode_for
from ..export import images, svg
from .background_read import ReadCancelled, read_in_background
from .dialog_parts import REGIONS, ok_cancel, region_buttons
from .last_session import LastSession

ORGANIZATION = APPLICATION = "Neural Playground"
MAX_RECENT = 8
SESSION_FILTER = "Neural Playground session (*.json);;All files (*)"
CSV_FILTER = "CSV points (*.csv);;All files (*)"
IMAGE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"


def app_settings() -> QSettings:
    """The app's settings, as an INI file in the user's config folder (tests redirect it: QSettings.setPath)."""
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)


def app_data_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    return Path(location or Path.home() / ".neural-playground")


class ExportDialog(QDialog):
    """What to export and at which resolution; the file name (and so PNG or SVG) is asked next."""

    def __init__(self, parent, region: str, scale: int):
        super().__init__(parent)
        self.setWindowTitle("Export image")
        self.regions, column = region_buttons(self, region)
        form = QFormLayout()
        form.addRow("Picture", column)
        self.scale = QComboBox()
        for k in images.SCALES:
            self.scale.addItem(f"{k}× ({'screen' if k == 1 else 'sharp on slides and projectors'})", k)
        self.scale.setCurrentIndex(max(self.scale.findData(scale), 0))
        form.addRow("PNG resolution", self.scale)
        note = QLabel("SVG (vector) holds the plots and caption; choose it by the file name ending in .svg.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(ok_cancel(self))

    def choice(self) -> tuple[str, int]:
        return self.regions.checkedButton().property("region"), self.scale.currentData()


class Dialogs:
    """Every question the File menu asks. Tests substitute an object with the same methods."""

    def __init__(self, parent):
        self.parent = parent

    def open_path(self, title: str, directory: str, filter: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, directory, filter)
        return path or None

    def save_path(self, title: str, directory: str, filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, directory, filter)
        return path or None

    def export_options(self, region: str, scale: int) -> tuple[str, int] | None:
        dialog = ExportDialog(self.parent, region, scale)
        return dialog.choice() if dialog.exec() == QDialog.Accepted else None

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def ask(self, title: str, text: str) -> bool:
        return QMessageBox.question(self.parent, title, text) == QMessageBox.Yes


class FileActions(QObject):
    def __init__(self, window, settings: QSettings | None = None, data_dir: Path | None = None, dialogs=None):
        super().__init__(window)
        self.window = window
        self.session = window.session
        # the last session (restored at start, autosaved, the window's layout remembered at quit) holds the
        # settings, the data folder and the dialogs; the properties below read and replace them there
        self.last_session = LastSession(window, settings if settings is not None else app_settings(),
                                        Path(data_dir) if data_dir is not None else app_data_dir(),
                                        dialogs or Dialogs(window))
        self.path: Path | None = None       # the session file being edited
        self._title = window.windowTitle()
        self._build_menu()
        self.session.scene_replaced.connect(self._on_session_scene_replaced)

    @property
    def settings(self) -> QSettings:
        return self.last_session.settings

    @settings.setter
    def settings(self, settings: QSettings) -> None:
        self.last_session.settings = settings

    @property
    def data_dir(self) -> Path:
        return self.last_session.data_dir

    @data_dir.setter
    def data_dir(self, data_dir: Path) -> None:
        self.last_session.data_dir = Path(data_dir)

    @property
    def dialogs(self):
        return self.last_session.dialogs

    @dialogs.setter
    def dialogs(self, dialogs) -> None:
        self.last_session.dialogs = dialogs

    # -- the menu -------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        w, menu = self.window, self.window.menu("file")
        first = menu.actions()[0] if menu.actions() else None  # Quit stays last

        def action(text, slot, shortcut=None, tip=""):
            a = QAction(text, w)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setToolTip(tip)
            a.triggered.connect(slot)
            menu.insertAction(first, a)
            w.addAction(a)  # shortcuts work in presentation mode too
            return a

        self.open_action = action("&Open session…", self.open_dialog, QKeySequence.Open,
                                  "Open a saved session (.json)")
        self.recent_menu = QMenu("Open &Recent", w)
        menu.insertMenu(first, self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.save_action = action("&Save session", self.save, QKeySequence.Save,
                                  "Save points, network, settings and training state")
        self.save_as_action = action("Save session &As…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        menu.insertSeparator(first)
        self.import_points_action = action("&Import points from CSV…", self.import_points_dialog,
                                           tip="x,y (1-D) or x1,x2,label (2-D)")
        self.export_points_action = action("E&xport points to CSV…", self.export_points_dialog)
        menu.insertSeparator(first)
        self.export_image_action = action("&Export image…", self.export_image_dialog, QKeySequence("Ctrl+E"),
                                          "PNG at 1×, 2× or 3×, or SVG, of the window or the plots")
        self.copy_image_action = action("&Copy image", self.copy_image, QKeySequence("Ctrl+Shift+C"),
                                        "Copy a picture of the window to the clipboard")
        recorder = getattr(w, "recorder", None)  # File → Record animation… (ui/recorder.py)
        if recorder is not None:
            menu.insertAction(first, recorder.action)
            w.addAction(recorder.action)
        if first is not None:
            menu.insertSeparator(first)

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = self.recent_files()
        for i, path in enumerate(recent, 1):
            a = menu.addAction(f"&{i}  {Path(path).name}", lambda p=path: self.open(p))
            a.setToolTip(path)
            a.setStatusTip(path)
        if not recent:
            menu.addAction("(no recent sessions)").setEnabled(False)
        menu.addSeparator()
        menu.addAction("Clear list", self._clear_recent).setEnabled(bool(recent))

    # -- recent files and preferences -------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-element list
            value = [value]
        return [str(p) for p in (value or [])][:MAX_RECENT]

    def _add_recent(self, path: Path) -> None:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent_files", recent[:MAX_RECENT])

    def _remove_recent(self, path) -> None:
        path = str(Path(path).resolve())
        self.settings.setValue("recent_files", [p for p in self.recent_files() if p != path])

    def _clear_recent(self) -> None:
        self.settings.setValue("recent_files", [])

    def _folder(self, kind: str) -> str:
        return str(self.settings.value(f"folders/{kind}", str(Path.home())))

    def _remember_folder(self, kind: str, path) -> None:
        self.settings.setValue(f"folders/{kind}", str(Path(path).resolve().parent))

    # -- session files ------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        path = self.dialogs.open_path("Open session", self._folder("sessions"), SESSION_FILTER)
        if path:
            self.open(path)

    def open(self, path) -> bool:
        """Open a session file; on any problem say what and where, and change nothing."""
        path = Path(path)
        try:
            document = read_in_background(self.window, f"Opening {path.name}…",
                                          lambda progress, cancelled: session_file.load(path, progress, cancelled))
        except ReadCancelled:
            self.session.message.emit(f"opening {path.name} was cancelled; nothing changed")
            return False
        except FileNotFoundError:
            self._remove_recent(path)
            return self._fail("Cannot open session", f"{path.name}: the file does not exist (any more)")
        except (OSError, ValueError) as exc:
            return self._fail("Cannot open session", one_line(f"{path.name}: {exc}"))
        self.window.compare.runs.apply_document(document)  # one run, or compare mode's runs
        self._set_path(path)
        self._remember_folder("sessions", path)
        self.session.message.emit(f"opened {path.name} at step {self._step_of(document):,}")
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        start = str(self.path) if self.path else str(Path(self._folder("sessions")) / "session.json")
        if self.path is None and self.session.preset:  # a scene's name is a better start than "session"
            start = str(Path(self._folder("sessions")) / f"{self.session.preset}.json")
        path = self.dialogs.save_path("Save session", start, SESSION_FILTER)
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != session_file.SUFFIX:
            path = path.with_name(path.name + session_file.SUFFIX)
        return self.save_to(path)

    def save_to(self, path) -> bool:
        path = Path(path)
        try:
            session_file.save(path, self.window.compare.runs.document())  # compare mode saves every run
        except (OSError, ValueError) as exc:
            return self._fail("Cannot save session", f"{path.name}: {exc}")
        self._set_path(path)
        self._remember_folder("sessions", path)
        self.session.message.emit(f"saved {path.name}")
        return True

    def _set_path(self, path: Path) -> None:
        self.path = path
        self._add_recent(path)
        self.window.setWindowTitle(f"{path.name} — {self._title}")

    @Slot()
    def _on_session_scene_replaced(self) -> None:
        """The window no longer shows the opened file's session: Save must ask where, not overwrite it."""
        if self.path is not None:
            self.path = None
            self.window.setWindowTitle(self._title)

    @staticmethod
    def _step_of(document) -> int:
        return document.trainer["step"] if document.trainer else 0

    def _fail(self, title: str, text: str) -> bool:
        self.session.message.emit(text)
        self.dialogs.error(title, text)
        return False

    # -- points as CSV ------------------------------------------------------------------------------
    def import_points_dialog(self) -> None:
        path = self.dialogs.open_path("Import points", self._folder("points"), CSV_FILTER)
        if path:
            self.import_points(path)

    def import_points(self, path) -> bool:
        """Replace the points by a CSV file's (one undo step); a 1-D file switches to 1-D mode, x1,x2,y to 2-D
        regression, and so on."""
        path = Path(path)
        try:
            points = read_in_background(self.window, f"Importing {path.name}…",
                                        lambda progress, cancelled: load_csv(path, progress, cancelled))
        except ReadCancelled:
            self.session.message.emit(f"importing {path.name} was cancelled; nothing changed")
            return False
        except (OSError, ValueError) as exc:
            return self._fail("Cannot import points", one_line(f"{path.name}: {exc}"))
        s = self.session
        mode = mode_for(points.X.shape[1], points.is_classification).key
        if mode != s.mode:
            s.set_mode(mode)
        s.begin_stroke()  # clear + add: one undo step
        try:
            s.clear_points()
            if points.X.shape[1] == 2:  # labels or 2-D regression's values
                s.add_points(points.X, points.y)
            else:
                s.add_points(np.column_stack([points.X[:, 0], points.y[:, 0]]))  # the 1-D plot's (x, y) pairs
        finally:
            s.end_stroke()
        self._remember_folder("points", path)
        s.message.emit(f"imported {len(points)} points from {path.name}")
        return True

    def export_points_dialog(self) -> None:
        start = str(Path(self._folder("points")) / "points.csv")
        path = self.dialogs.save_path("Export points", start, CSV_FILTER)
        if path:
            self.export_points(path)

    def export_points(self, path) -> bool:
        path = Path(path)
        try:
            save_csv(path, self.session.points)
        except OSError as exc:
            return self._fail("Cannot export points", f"{path.name}: {exc}")
        self._remember_folder("points", path)
        self.session.message.emit(f"exported {len(self.session.points)} points to {path.name}")
        return True

    # -- images -------------------------------------------------------------------------------------
    def _export_choice(self) -> tuple[str, int]:
        region = str(self.settings.value("export/region", "window"))
        scale = int(self.settings.value("export/scale", 2))
        return (region if region in REGIONS else "window"), (scale if scale in images.SCALES else 2)

    def export_image_dialog(self) -> None:
        choice = self.dialogs.export_options(*self._export_choice())
        if choice is None:
            return
        region, scale = choice
        self.settings.setValue("export/region", region)
        self.settings.setValue("export/scale", scale)
        start = str(Path(self._folder("images")) / "playground.png")
        path = self.dialogs.save_path("Export image", start, IMAGE_FILTER)
        if path:
            if Path(path).suffix.lower() not in (".png", ".svg"):
                path += ".png"
            self.export_image(path, region, scale)

    def region_widget(self, region: str):
        return self.window if region == "window" else self.window.plots_widget

    def export_image(self, path, region: str = "window", scale: int = 1) -> bool:
        """PNG (region at ``scale``) or SVG (the plots and caption), by the file name's ending."""
        path = Path(path)
        try:
            if path.suffix.lower() == ".svg":
                svg.save_svg(self.region_widget("plots"), path)
                what = "the plots as SVG"
            else:
                image = images.save_png(self.region_widget(region), path, scale)
                what = f"{image.width()}×{image.height()} PNG"
        except (OSError, ValueError) as exc:
            return self._fail("Cannot export image", f"{path.name}: {exc}")
        self._remember_folder("images", path)
        self.session.message.emit(f"exported {what} to {path.name}")
        return True

    def copy_image(self) -> None:
        region, scale = self._export_choice()
        image = images.copy_to_clipboard(self.region_widget(region), scale)
        self.session.message.emit(f"copied a {image.width()}×{image.height()} picture to the clipboard")
