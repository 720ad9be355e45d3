"""The schedule's floor and a restarted clock go into session files; files written before min_lr still open."""

import json

import numpy as np

from playground.data import make_dataset, session_file
from playground.data.scene import Scene
from playground.data.session_file import SessionDocument
from playground.engine import Network, Trainer, TrainingSettings


def trainer_with_floor():
    data = make_dataset("moons", n=60)
    settings = TrainingSettings(loss="cross_entropy", optimizer="adam", learning_rate=0.05, schedule="step",
                                schedule_params={"step_size": 10, "gamma": 0.1, "min_lr": 1e-3})
    return Trainer(Network([2, 4, 2], "tanh", seed=1), data.X, data.y, settings, seed=1), data


def document(trainer, data):
    scene = Scene("classification", (4,), "tanh", trainer.seed, trainer.settings, caption="moons", preset="moons",
                  dataset="moons")
    return SessionDocument(scene, data.X, data.y, trainer=trainer.state())


def test_the_floor_and_a_restarted_schedule_survive_save_and_open():
    trainer, data = trainer_with_floor()
    trainer.run(100)
    trainer.restart_schedule()
    trainer.run(15)
    reopened = session_file.build_trainer(session_file.loads(session_file.dumps(document(trainer, data))))
    assert reopened.settings.schedule_params["min_lr"] == 1e-3
    assert reopened.schedule_origin == trainer.schedule_origin == 100
    rates = []
    for t in (trainer, reopened):
        rates.append([])
        for _ in range(30):
            rates[-1].append(t.learning_rate)
            t.step()
    assert rates[0] == rates[1] and min(rates[0]) == 1e-3  # 0.05 → 0.005 → floor, from the restart on
    np.testing.assert_array_equal(reopened.network.parameters, trainer.network.parameters)


def test_a_file_written_before_the_floor_existed_opens_with_no_floor():
    trainer, data = trainer_with_floor()
    trainer.run(5)
    obj = json.loads(session_file.dumps(document(trainer, data)))
    del obj["settings"]["schedule"]["params"]["min_lr"]  # as an older version wrote it
    doc = session_file.loads(json.dumps(obj))
    assert "min_lr" not in doc.settings.schedule_params
    reopened = session_file.build_trainer(doc)
    reopened.run(200)
    assert reopened.learning_rate == 0.05 * 0.1 ** 20  # the old staircase, unfloored, as the file meant
