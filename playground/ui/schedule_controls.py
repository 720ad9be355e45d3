"""The side panel's learning-rate schedule: the kind, each kind's parameters, warm-up and Restart schedule."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QGroupBox, QPushButton

from ..data.scene import DECAY_FACTOR, INVERSE_TIME_DECAY, MIN_LEARNING_RATE, SCHEDULE_STEPS, WARMUP_STEPS
from .choice_combo import choice_combo, select_quietly
from .fields import NumberField
from .narrow_panel import wrapping_form

SCHEDULES = {"constant": "constant", "step": "staircase (step decay)", "exponential": "exponential",
             "cosine": "cosine", "inverse_time": "1/t decay"}
# The parameters each schedule shows, with their ranges and defaults. Every decaying schedule has a floor:
# without one the staircase sank to 1e-16 and no later edit of the base rate changed anything.
MIN_RATE = ("min_lr", "minimum rate", *MIN_LEARNING_RATE, False, 1e-4)
SCHEDULE_PARAMS = {
    "step": [("step_size", "step size", *SCHEDULE_STEPS, True, 1000), ("gamma", "factor", *DECAY_FACTOR, False, 0.1),
             MIN_RATE],
    "exponential": [("gamma", "factor per step", *DECAY_FACTOR, False, 0.999), MIN_RATE],
    "cosine": [("total_steps", "over steps", *SCHEDULE_STEPS, True, 5000), MIN_RATE],
    "inverse_time": [("decay", "decay", *INVERSE_TIME_DECAY, False, 0.001), MIN_RATE],
}


class ScheduleControls(QGroupBox):
    """Edits go to the session; a refused edit emits ``refused``, for the panel to show the settings in use again.
    ``make_field``: the panel's NumberField factory (its refusals go to the session's message)."""

    refused = Signal()

    def __init__(self, session, make_field: Callable[..., NumberField], parent=None):
        super().__init__("Learning-rate schedule", parent)
        self.session = session
        self.form = form = wrapping_form(self)
        self.schedule = choice_combo(SCHEDULES, "How the learning rate decays over steps; applies live")
        self.schedule.currentIndexChanged.connect(self._on_schedule_edited)
        form.addRow("Schedule", self.schedule)
        self.fields: dict[tuple[str, str], NumberField] = {}
        for kind, params in SCHEDULE_PARAMS.items():
            for key, label, lo, hi, integer, default in params:
                field = make_field(label, default, lo, hi, integer=integer)
                field.committed.connect(self._on_schedule_edited)
                self.fields[kind, key] = field
                form.addRow(label.capitalize(), field)
        self.warmup = make_field("warm-up steps", 0, *WARMUP_STEPS, integer=True)
        self.warmup.committed.connect(self._on_schedule_edited)
        form.addRow("Warm-up steps", self.warmup)
        self.restart = QPushButton("Restart schedule")
        self.restart.setToolTip("Start the schedule again from the base rate at this step; the weights are kept")
        self.restart.clicked.connect(session.restart_schedule)
        form.addRow(self.restart)

    def _show_fields(self, kind: str) -> None:
        for (field_kind, _), field in self.fields.items():
            self.form.setRowVisible(field, field_kind == kind)

    @Slot()
    def _on_schedule_edited(self) -> None:
        kind = self.schedule.currentData()
        self._show_fields(kind)
        params = {key: field.value() for (k, key), field in self.fields.items() if k == kind}
        if not self.session.update_settings(schedule=kind, schedule_params=params, warmup_steps=self.warmup.value()):
            self.refused.emit()  # the panel shows the schedule in use again

    def show_settings(self, settings) -> None:
        """The schedule of ``settings`` (the session's): its kind, the values in use (defaults included), warm-up."""
        select_quietly(self.schedule, settings.schedule)
        schedule = settings.make_schedule()
        schedule = getattr(schedule, "inner", schedule)  # behind a warm-up
        for (kind, key), field in self.fields.items():
            if kind == settings.schedule and hasattr(schedule, key):  # the value in use, a default included
                field.set_value(getattr(schedule, key))
        self.restart.setEnabled(settings.schedule != "constant" or settings.warmup_steps > 0)
        self.warmup.set_value(settings.warmup_steps)
        self._show_fields(settings.schedule)
