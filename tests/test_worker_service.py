"""The training service driven directly with protocol commands (no process, no Qt)."""

import time

import numpy as np
import pytest

from playground.engine import Network, Trainer, TrainingSettings
from playground.worker.protocol import Build, Configure, Pause, Play, Reset, Resume, SetData, SetParameters, Speed, Step
from playground.worker.service import TrainingService
from playground.worker.snapshot import curves_1d, regions_2d

X1 = np.linspace(-1, 1, 40)[:, None]
Y1 = np.sin(np.pi * X1)
SETTINGS = TrainingSettings(optimizer="adam", learning_rate=0.01)


def finish_steps(service):
    """Run the service's loop until the steps asked for are taken (each call trains one time slice)."""
    while service.busy:
        service.advance()


def built(seq=1, X=X1, y=Y1, settings=SETTINGS, sizes=(1, 5, 1)) -> TrainingService:
    service = TrainingService()
    assert service.handle(Build(sizes, "tanh", 3, settings, X, y, seq=seq)) is None
    return service


def play_for(service, seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        service.advance()
        time.sleep(0.001)


def test_steps_match_a_trainer_driven_by_hand():
    service = built()
    service.handle(Step(25, seq=2))
    finish_steps(service)
    reference = Trainer(Network((1, 5, 1), "tanh", seed=3), X1, Y1, SETTINGS, seed=3)
    reference.run(25)
    snap = service.snapshot()
    assert snap.step == 25 and snap.commands_handled == 2
    np.testing.assert_array_equal(snap.parameters, reference.network.parameters)


def test_a_bad_command_is_refused_with_a_message_and_changes_nothing():
    service = built()
    before = service.trainer.network.parameters.copy()
    error = service.handle(Configure({"learning_rate": -1.0}, seq=2))
    assert "learning" in error.lower()
    assert service.commands_handled == 2  # answered, so the window is not left waiting
    np.testing.assert_array_equal(service.trainer.network.parameters, before)


def test_commands_before_a_build_are_refused_in_words():
    assert "no network" in TrainingService().handle(Step(1, seq=1))


@pytest.mark.parametrize("rebuild", [Reset(3), Build((1, 5, 1), "tanh", 4, SETTINGS, X1, Y1)])
def test_a_rebuild_while_playing_restarts_the_pacing_from_step_0(rebuild):
    """Issue 9: after R while playing, the run starts from step 0 at the chosen speed (not a replay)."""
    service = built()
    service.handle(Speed(200.0, seq=2))
    service.handle(Play(seq=3))
    play_for(service, 0.5)
    assert service.trainer.step_count > 50
    service.handle(rebuild)
    assert service.trainer.step_count == 0
    play_for(service, 0.25)
    # 200 steps/s for 0.25 s: about 50 steps, never the thousands a replay of the old clock would take
    assert 30 <= service.trainer.step_count <= 70


def test_the_readout_is_true_in_slow_motion():
    """Issue 9: at 2 steps/s the readout said 12; it must say what happens (steps over wall time)."""
    service = built()
    service.handle(Speed(4.0, seq=2))
    service.handle(Play(seq=3))
    rates = []
    end = time.perf_counter() + 2.6
    while time.perf_counter() < end:
        service.advance()
        if service.snapshot_due():
            rates.append(service.snapshot().steps_per_second)
        time.sleep(0.005)
    assert service.trainer.step_count == pytest.approx(4.0 * 2.6, abs=2)
    assert rates[-1] == pytest.approx(4.0, rel=0.1)
    assert max(rates) < 4.0 * 1.3  # never a burst rate of one step over one frame interval


def test_slices_are_sized_by_time_after_a_fast_scene():
    """Issue 10 §4: after a fast scene the chunk grew to 256; a slow full-batch scene then stalled for seconds."""
    service = built()
    service.handle(Speed(None, seq=2))
    service.handle(Play(seq=3))
    play_for(service, 0.3)  # a tiny network: many steps per slice
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (100_000, 1))
    service.handle(SetData(X, np.sin(X), seq=4))  # full batch: every step now sees 100k points
    longest = 0.0
    for _ in range(5):
        began = time.perf_counter()
        service.advance()
        longest = max(longest, time.perf_counter() - began)
    one_step = service._seconds_per_step
    # a slice is a few steps now, not 256 of them (16 leaves room for a loaded machine pre-empting one slice)
    assert longest < 16 * one_step + 0.1


def test_a_new_class_widens_the_softmax_and_restarts_the_run():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    service = built(X=X, y=np.array([0, 1]), settings=TrainingSettings(loss="cross_entropy"), sizes=(2, 3, 2))
    service.handle(Step(10, seq=2))
    finish_steps(service)
    old = service.trainer.network
    service.handle(SetData(np.vstack([X, [[0.5, -0.5]]]), np.array([0, 1, 2]), seq=3))
    new = service.trainer.network
    assert new.layer_sizes == (2, 3, 3) and service.trainer.step_count == 0
    np.testing.assert_array_equal(new.weights[0], old.weights[0])  # the hidden layer is kept
    np.testing.assert_array_equal(new.weights[-1][2], 0.0)        # the new class starts at zero


def test_a_checkpoint_resumes_weights_step_and_optimizer_exactly():
    original = built()
    original.handle(Step(30, seq=2))
    finish_steps(original)
    seq, state = original.checkpoint()
    assert seq == 2 and state["trainer"]["step"] == 30
    resumed = built()
    resumed.handle(Resume(state, seq=2))
    for service in (original, resumed):
        service.handle(Step(20, seq=3))
        finish_steps(service)
    assert resumed.trainer.step_count == 50
    np.testing.assert_array_equal(resumed.trainer.network.parameters, original.trainer.network.parameters)


def test_resume_after_an_optimizer_change_keeps_the_weights_and_step():
    original = built()
    original.handle(Step(30, seq=2))
    finish_steps(original)
    _, state = original.checkpoint()
    resumed = built(settings=TrainingSettings(optimizer="sgd", learning_rate=0.01))
    resumed.handle(Resume(state, seq=2))
    assert resumed.trainer.step_count == 30
    np.testing.assert_array_equal(resumed.trainer.network.parameters, original.trainer.network.parameters)


def test_set_parameters_and_pause_are_applied():
    service = built()
    flat = np.arange(service.trainer.network.parameters.size, dtype=float) / 100
    service.handle(SetParameters(flat, seq=2))
    service.handle(Play(seq=3))
    service.handle(Pause(seq=4))
    snap = service.snapshot()
    np.testing.assert_array_equal(snap.parameters, flat)
    assert not snap.playing and snap.steps_per_second == 0.0


def test_the_snapshot_curves_are_the_network_evaluated_independently():
    net = Network((1, 4, 1), "tanh", seed=1)
    curves = curves_1d(net, (-1.0, 1.0), resolution=50)
    W1, b1, W2, b2 = net.weights[0], net.biases[0], net.weights[1], net.biases[1]
    h = np.tanh(curves.xs[:, None] @ W1.T + b1)  # h = σ(Wx + b), by hand
    np.testing.assert_allclose(curves.hidden[0], h, rtol=1e-12)
    np.testing.assert_allclose(curves.fit, (h @ W2.T + b2)[:, 0], rtol=1e-12)
    np.testing.assert_allclose(curves.out_weights, W2[0])


def test_the_snapshot_regions_show_the_winning_class_at_full_strength_where_sure():
    net = Network((2, 2), "tanh", seed=0)  # no hidden layer: scores are affine
    net.weights[0][...] = [[10.0, 0.0], [-10.0, 0.0]]
    net.biases[0][...] = 0.0
    regions = regions_2d(net, (-1, 1, -1, 1), resolution=32)
    left, right = regions.regions[16, 0], regions.regions[16, -1]  # x = -1: class 1 sure; x = +1: class 0
    from playground.palette import CLASS_COLORS
    expected_right = 255 * 0.25 + np.array(CLASS_COLORS[0]) * 0.75  # confidence ≈ 1: 75 % colour
    np.testing.assert_allclose(right, expected_right, atol=1.5)
    assert not np.allclose(left, right)


def test_a_long_step_request_is_taken_in_time_slices():
    """The loop must come back between slices (commands, heartbeat) even for Step(1,000,000)."""
    service = built()
    service.handle(Step(1_000_000, seq=2))
    began = time.perf_counter()
    taken = service.advance()
    assert time.perf_counter() - began < 0.2
    assert 0 < taken < 1_000_000 and service.busy
    assert not service.snapshot_due()  # the step shows when all of it is taken


def test_after_a_stall_the_pacing_goes_on_at_its_speed_instead_of_catching_up_in_a_burst():
    """A service held up (a busy machine, a starved thread) must not then run every step it missed at once."""
    service = built()
    service.handle(Speed(100.0, seq=2))
    service.handle(Play(seq=3))
    play_for(service, 0.2)
    before = service.trainer.step_count
    time.sleep(1.0)  # the stall itself: nothing advances the service for a second (100 steps at this speed)
    burst = service.advance()
    assert service.trainer.step_count - before == burst
    assert burst <= 1 + 0.25 * 100  # at most a quarter of a second of steps, not the 100 missed
    play_for(service, 0.5)
    assert service.trainer.step_count - before - burst == pytest.approx(50, abs=12)  # then on at 100 steps/s
