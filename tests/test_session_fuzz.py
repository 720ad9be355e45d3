"""The property of issue 10 §2, tested on generated documents: every session file is either refused with
a one-line message naming a field, or it opens, trains 50 steps, saves, and opens again equal (and the
reopened run continues bit for bit). Seeded and small in the suite; ``FUZZ_EXAMPLES=5000`` runs it long.
"""

import json
import os
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_mutations import NASTY, TOP_LEVEL, bases, mutate, paths, to_text

from playground.data import session_file
from playground.data.session_file import SessionDocument, SessionFileError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 150))
TALLY = Counter()  # cases, refused, survived: printed by the long run (pytest -s)


@st.composite
def damaged_documents(draw):
    obj = json.loads(draw(st.sampled_from(bases())))
    for _ in range(draw(st.integers(1, 2))):
        where = paths(obj)
        if not where:
            break
        path = draw(st.sampled_from(where))
        mutate(obj, path, draw(st.sampled_from(["replace", "replace", "delete", "truncate", "scale"])),
               draw(st.sampled_from(NASTY)))
    return obj


def _equal_states(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, dict):
            _equal_states(x, y)
        elif isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            np.testing.assert_array_equal(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        else:
            assert x == y, key


def check_document(obj, tmp_path) -> str:
    """'refused' or 'survived'; any other outcome fails."""
    try:
        doc = session_file.loads(to_text(obj))
    except SessionFileError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) <= 300, message
        assert message.split(":")[0].split(".")[0].split("[")[0] in TOP_LEVEL or \
            message.startswith(("not valid JSON", "expected a JSON object", "not a session file")), message
        return "refused"
    trainer = session_file.build_trainer(doc)
    with np.errstate(all="ignore"):
        trainer.run(50)
    path = tmp_path / "fuzz.json"
    saved = SessionDocument(doc.scene, doc.X, doc.y, trainer.state(), doc.curves)
    session_file.save(path, saved)
    again = session_file.load(path)
    np.testing.assert_array_equal(again.X, doc.X)
    np.testing.assert_array_equal(again.y, doc.y)
    assert (again.settings, again.caption, again.speed, again.hidden) == (doc.settings, doc.caption, doc.speed,
                                                                          doc.hidden)
    _equal_states(again.trainer, trainer.state())
    reopened = session_file.build_trainer(again)
    with np.errstate(all="ignore"):
        trainer.run(5)
        reopened.run(5)
    np.testing.assert_array_equal(reopened.network.parameters, trainer.network.parameters)
    return "survived"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(obj=damaged_documents())
def test_fuzz_every_session_file_is_refused_by_name_or_survives_a_round_trip(obj, tmp_path):
    TALLY["cases"] += 1
    TALLY[check_document(obj, tmp_path)] += 1


def test_the_undamaged_bases_all_survive(tmp_path):
    for text in bases():
        assert check_document(json.loads(text), tmp_path) == "survived"


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if TALLY:
        print(f"\nsession fuzz: {TALLY['cases']} cases, {TALLY['refused']} refused, "
              f"{TALLY['survived']} loaded, trained 50 steps, saved and reopened equal, crashed: 0")
