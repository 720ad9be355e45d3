"""The worker link without Qt: the coalescing outbox, the resume state, restarts, state requests."""

import time

import numpy as np
import pytest

from playground.engine import TrainingSettings
from playground.worker.link import WorkerLink, resume_state
from playground.worker.outbox import MAX_UNSENT, Outbox, coalesce
from playground.worker.process import WorkerThread
from playground.worker.protocol import (
    Ack,
    Build,
    Checkpoint,
    Configure,
    GetState,
    Pause,
    Play,
    Quit,
    Reset,
    SetData,
    SetParameters,
    Speed,
    Step,
    View,
    ViewSpec,
)

X = np.linspace(-1, 1, 30)[:, None]
Y = X ** 2
BUILD = Build((1, 4, 1), "tanh", 0, TrainingSettings(optimizer="adam", learning_rate=0.01), X, Y)


def finish_steps(service):
    """Run the service's loop until the steps asked for are taken (each call trains one time slice)."""
    while service.busy:
        service.advance()


def _data(n):
    return SetData(np.zeros((n, 1)), np.zeros((n, 1)))


def test_a_stroke_of_point_edits_leaves_one_set_of_points_unsent():
    unsent = []
    for n in range(1, 200):
        unsent = coalesce(unsent, _data(n))
        unsent = coalesce(unsent, Play() if n % 2 else Pause())
    assert [type(m) for m in unsent] == [SetData, Play]  # n = 199 was last: Play
    assert len(unsent[0].X) == 199  # the newest points, not the first


def test_settings_merge_and_steps_add_up():
    unsent = coalesce(coalesce([], Configure({"learning_rate": 0.1, "l2": 0.01})), Configure({"learning_rate": 0.2}))
    assert unsent == [Configure({"learning_rate": 0.2, "l2": 0.01})]
    unsent = coalesce(coalesce(coalesce([], Step(2)), Speed(10.0)), Step(3))
    assert [type(m) for m in unsent] == [Speed, Step] and unsent[1].n == 5


def test_nothing_moves_across_a_step_or_a_state_request():
    after_step = coalesce(coalesce(coalesce([], SetParameters(np.zeros(3))), Step(1)), SetParameters(np.ones(3)))
    assert [type(m) for m in after_step] == [SetParameters, Step, SetParameters]
    after_question = coalesce(coalesce(coalesce([], _data(1)), GetState(1)), _data(2))
    assert [type(m) for m in after_question] == [SetData, GetState, SetData]


def test_a_build_makes_unsent_trainer_commands_moot_but_keeps_speed_and_view():
    unsent = []
    for command in (_data(3), Speed(2.0), Reset(1), View(ViewSpec()), Configure({"l2": 0.1}), Step(4)):
        unsent = coalesce(unsent, command)
    assert [type(m) for m in coalesce(unsent, BUILD)] == [Speed, View, Build]


def test_the_outbox_sends_acknowledgements_first_and_quit_drops_the_rest():
    box = Outbox(limit=3)
    box.put(_data(1))
    box.acknowledge(2)
    box.acknowledge(1)
    assert box.take() == Ack(3)
    assert isinstance(box.take(), SetData)
    for _ in range(4):
        box.put(Step(1))
        box.put(SetParameters(np.zeros(1)))  # alternating kinds that may not cross: they pile up
    assert box.overfull
    box.put(Quit())
    assert len(box) == 1 and box.take() == Quit()


def test_the_outbox_limit_is_big_enough_for_ordinary_use():
    assert MAX_UNSENT >= 100


def test_resume_state_moves_the_checkpoint_on_to_a_newer_snapshot():
    from playground.worker.service import TrainingService
    service = TrainingService()
    service.handle(BUILD)
    service.handle(Step(10, seq=2))
    finish_steps(service)
    seq, state = service.checkpoint()
    service.handle(Step(5, seq=3))
    finish_steps(service)
    snap = service.snapshot()
    resumed = resume_state(Checkpoint(seq, state), snap, since=1)
    assert resumed["trainer"]["step"] == 15
    np.testing.assert_array_equal(resumed["trainer"]["parameters"], snap.parameters)
    assert resumed["trainer"]["optimizer"]["t"] == 15  # the schedule's clock moves on with the step
    assert resume_state(Checkpoint(seq, state), snap, since=seq + 5) is None  # a newer build: nothing to resume


def _poll_until(link, condition, timeout=10.0):
    found = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        polled = link.poll()
        found.append(polled)
        if condition(polled):
            return found
        time.sleep(0.002)
    raise AssertionError("timed out")


def test_a_state_request_is_answered_after_every_command_before_it():
    link = WorkerLink(lambda: [BUILD], factory=WorkerThread)
    try:
        link.send(BUILD)
        link.send(Step(7))
        answers = []
        link.request_state(lambda state, error: answers.append((state, error)))
        _poll_until(link, lambda polled: answers)
        state, error = answers[0]
        assert error is None and state["trainer"]["step"] == 7
    finally:
        link.close()


def test_a_dead_service_is_restarted_and_continues_from_its_last_state():
    link = WorkerLink(lambda: [BUILD], factory=WorkerThread)
    try:
        link.send(BUILD)
        link.send(Step(12))
        _poll_until(link, lambda polled: link.up_to_date(polled.snapshot) and polled.snapshot.step == 12)
        _poll_until(link, lambda polled: link._checkpoint is not None and link._checkpoint.state["trainer"]["step"] == 12)
        link.endpoint.close()  # the service ends as a crashed one would
        found = _poll_until(link, lambda polled: polled.restarted is not None)
        assert "step 12" in found[-1].restarted and link.restarts == 1
        polled = _poll_until(link, lambda polled: link.up_to_date(polled.snapshot))[-1]
        assert polled.snapshot.step == 12
    finally:
        link.close()


def test_a_silent_service_counts_as_frozen():
    link = WorkerLink(lambda: [BUILD], factory=WorkerThread, watchdog=0.3)
    try:
        link.send(BUILD)
        _poll_until(link, lambda polled: link.up_to_date(polled.snapshot))
        link.endpoint.last_heard = time.monotonic() - 1.0  # as if nothing had come for a second
        assert "stopped answering" in link.poll().restarted
    finally:
        link.close()


@pytest.mark.parametrize("command", [Play(), Pause(), Step(1)])
def test_the_link_remembers_whether_it_asked_to_play(command):
    link = WorkerLink(lambda: [BUILD], factory=WorkerThread)
    try:
        link.send(command)
        assert link.playing == isinstance(command, Play)
    finally:
        link.close()
