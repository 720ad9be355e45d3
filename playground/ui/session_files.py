"""The Session's side of session files: its scene, points and the service's training state as a document,
and a saved document become the session again (the format itself is ``data.session_file``'s).

A mixin of ``Session``: it uses the session's scene, points, link and signals, and adds no state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from ..data import session_file
from ..data.points import EditHistory, PointSet
from ..worker import protocol as cmd
from .scene_caption import caption_for


class SessionFiles:
    def request_trainer_state(self, callback: Callable[[dict | None, str | None], None]) -> None:
        """Ask the service for its full training state after every command sent so far, without waiting:
        ``callback(state, None)`` or ``callback(None, error)`` runs later on this thread."""
        self.link.request_state(callback)

    def trainer_state(self, timeout: float = 1.0) -> dict:
        """The service's full training state after every command sent so far, waiting up to ``timeout`` s.

        For an explicit Save only (the autosave uses ``request_trainer_state``). OSError if no answer.
        """
        answer: list = []
        self.request_trainer_state(lambda state, error: answer.append((state, error)))
        deadline = time.monotonic() + timeout
        while not answer and time.monotonic() < deadline:
            self._on_poll_timeout()
            if not answer:
                time.sleep(0.002)
        if not answer:
            raise OSError("the training process did not answer in time; try saving again")
        state, error = answer[0]
        if error is not None:
            raise OSError(error)
        return state

    def document(self, timeout: float = 1.0, fallback: bool = False) -> session_file.SessionDocument:
        """Everything needed to reopen this session exactly where it is now. With ``fallback``, a service
        that does not answer in time gives the newest state the window knows instead (the points are
        always the window's own)."""
        try:
            return self.document_from(self.trainer_state(timeout))
        except OSError:
            if not fallback:
                raise
            return self.document_from(self.link.last_known_state())

    def document_from(self, state: dict) -> session_file.SessionDocument:
        """This session with the service's ``state`` (``trainer_state`` or ``request_trainer_state``)."""
        pts = self.points
        self._settings_for_mode()
        return session_file.SessionDocument(self.scene, pts.X.copy(), pts.y.copy(), state["trainer"], state["curves"])

    def apply_document(self, doc: session_file.SessionDocument) -> None:
        """Become the saved session (``doc`` is already validated: see ``data.session_file``)."""
        self.pause()
        self.scene = replace(doc.scene, caption=caption_for(doc.caption, doc.preset, PointSet(doc.X, doc.y),
                                                            doc.hidden, doc.activation, doc.layer_sizes,
                                                            doc.scene.feature_names))
        self.edits = EditHistory(PointSet(doc.X.copy(), doc.y.copy()))
        self.networks.clear()
        self.snapshot = None
        self._send(cmd.Build(tuple(doc.layer_sizes), self.activation, self.seed, self.settings, doc.X, doc.y,
                             features=self.scene.features))
        if doc.trainer is not None:
            self._send(cmd.Restore({"trainer": doc.trainer, "curves": doc.curves or {}}))
        self._send(cmd.Speed(self.scene.speed))
        self.model_changed.emit()
        self.caption_changed.emit(self.caption)
        self.points_changed.emit()
        self.settings_changed.emit()

    def save(self, path) -> None:
        """Save to ``path`` atomically (OSError if the worker does not answer or the disk fails)."""
        session_file.save(path, self.document())

    def open(self, path) -> None:
        """Open ``path``; a bad file raises ``SessionFileError`` (or OSError) and changes nothing."""
        self.apply_document(session_file.load(path))
