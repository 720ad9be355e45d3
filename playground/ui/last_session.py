"""The last session: restored at the next start (or offered back after a crash), autosaved a few seconds
after an edit and every 30 s while training changes it, and saved with the window's layout at quit.

Only one running instance autosaves (a lock file in the data folder). Saving never waits for the training
process: it asks for the state and writes when the answer comes (at quit it waits briefly, then saves the
newest state the window knows). A temporary file left by a kill mid-save is removed at start.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QLockFile, QObject, QSettings, QTimer, Slot

from ..data import session_file

AUTOSAVE_MS = 30_000        # while only training changes the session
AUTOSAVE_AFTER_EDIT_MS = 3_000  # after the user's own edits: quiet this long, then save (a stroke saves once)
LAST_SESSION = "last-session.json"


class LastSession(QObject):
    def __init__(self, window, settings: QSettings, data_dir: Path, dialogs):
        super().__init__(window)
        self.window, self.session = window, window.session
        self.settings, self.data_dir, self.dialogs = settings, data_dir, dialogs
        self.primary = False                # this window owns the last-session autosave (see start())
        self._lock: QLockFile | None = None
        self._dirty = False
        self._last_step = None
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self._on_autosave_timer_timeout)
        self.edit_timer = QTimer(self, interval=AUTOSAVE_AFTER_EDIT_MS, singleShot=True)  # restarted by each edit
        self.edit_timer.timeout.connect(self._on_autosave_timer_timeout)
        self._autosave_pending = False  # a state request is out; its answer writes the file
        s = self.session
        for signal in (s.points_changed, s.settings_changed, s.model_changed, s.caption_changed):
            signal.connect(self._on_session_changed)
        s.snapshot_changed.connect(self._on_session_snapshot_changed)
        window.installEventFilter(self)

    @property
    def path(self) -> Path:
        return self.data_dir / LAST_SESSION

    def start(self, restore: bool = True) -> None:
        """At application start: restore the window's layout and the last session, then autosave.

        Only one running instance autosaves (a lock file in the data folder). If the previous run did
        not quit properly, its autosave is offered back instead of restored silently.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(self.data_dir / "instance.lock"))
        self._lock.setStaleLockTime(0)  # a live instance's lock never goes stale; a dead one's does
        if not self._lock.tryLock(0):
            self._lock = None
            self.session.message.emit("another Neural Playground is running: this one does not autosave")
            return
        self.primary = True
        self._remove_stale_temporaries()
        crashed = self.settings.value("session/running", False, type=bool)
        self.settings.setValue("session/running", True)
        self.settings.sync()
        geometry, state = self.settings.value("window/geometry"), self.settings.value("window/state")
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        if state is not None:
            self.window.restoreState(state)
        last = self.path
        if restore and last.is_file():
            if not crashed:
                self._restore_last(last, "restored your last session")
            else:
                when = time.strftime("%H:%M on %d %b", time.localtime(last.stat().st_mtime))
                if self.dialogs.ask("Restore the previous session?",
                                    f"Neural Playground did not close properly last time. Restore the session "
                                    f"it saved automatically at {when}?"):
                    self._restore_last(last, "restored the automatically saved session")
        self._dirty = False
        self.autosave_timer.start()

    def _remove_stale_temporaries(self) -> None:
        """A kill mid-save leaves ``.last-session.json.XXXX.tmp`` (see ``session_file.write_atomic``); only the
        instance holding the lock saves there, so any such file now is stale."""
        for stale in self.data_dir.glob(f".{LAST_SESSION}.*.tmp"):
            try:
                stale.unlink()
            except OSError:
                pass

    def _restore_last(self, path: Path, message: str) -> None:
        try:
            document = session_file.load(path)
        except (OSError, ValueError) as exc:
            self.session.message.emit(f"the last session could not be restored: {exc}")
            return
        self.window.compare.runs.apply_document(document)  # one run, or compare mode's runs
        self.session.message.emit(message)

    def autosave_soon(self) -> None:
        """Save without waiting for the training process: ask it for its state, write when it answers."""
        if not self.primary or self._autosave_pending:
            return
        self._autosave_pending = True
        self._dirty = False  # edits from now on make the next autosave due again
        self.session.request_trainer_state(self._on_session_trainer_state)

    def _on_session_trainer_state(self, state, error) -> None:
        self._autosave_pending = False
        if error is not None or not self.primary:
            self._dirty = True  # try again on the next tick
            return
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            session_file.save(self.path, self.window.compare.runs.with_runs(self.session.document_from(state)))
        except (OSError, ValueError) as exc:
            self._dirty = True
            self.session.message.emit(f"autosave failed: {exc}")

    def autosave(self) -> bool:
        """Write the last-session file now (at quit), waiting briefly for the training process; one that
        does not answer (frozen) gives way to the newest state the window knows. False on failure."""
        if not self.primary:
            return False
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            doc = self.session.document(timeout=0.5, fallback=True)
            session_file.save(self.path, self.window.compare.runs.with_runs(doc))  # compare mode: every run
        except (OSError, ValueError) as exc:
            self.session.message.emit(f"autosave failed: {exc}")
            return False
        self._dirty = False
        return True

    @Slot()
    def _on_autosave_timer_timeout(self) -> None:
        if self._dirty:
            self.autosave_soon()

    @Slot()
    def _on_session_changed(self, *args) -> None:
        self._dirty = True
        if self.primary:
            self.edit_timer.start()  # (re)start: saved once the user pauses for a few seconds

    @Slot(object)
    def _on_session_snapshot_changed(self, snapshot) -> None:
        if snapshot.step != self._last_step:
            self._last_step = snapshot.step
            self._dirty = True

    def finish(self) -> None:
        """At quit (the window's Close event, before the training process stops): save what to remember."""
        if not self.primary:
            return
        presentation = self.window.presentation
        if presentation.enabled:
            presentation.set_enabled(False)  # remember the normal layout, not the full-screen one
        self.autosave_timer.stop()
        self.edit_timer.stop()
        self.autosave()
        self.settings.setValue("window/geometry", self.window.saveGeometry())
        self.settings.setValue("window/state", self.window.saveState())
        self.settings.setValue("session/running", False)
        self.settings.sync()
        self.primary = False
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Close:
            self.finish()
        return False
