"""The session fuzz on the file fields the bases of test_session_fuzz.py never hold: φ(x) features and compare mode's
other runs. Each damaged file is refused in one line naming its field, or it survives the round trip there.
Seeded and small in the suite; ``FUZZ_EXAMPLES=3000 pytest -s tests/test_fuzz_scenes.py`` runs it long."""

import json
import os
from collections import Counter
from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_mutations import NASTY, TOP_LEVEL, mutate, paths, to_text
from test_session_fuzz import check_document

from playground.data import session_file
from playground.data.compare_file import SavedCompare
from playground.data.compare_scenes import get_scene
from playground.data.session_file import SessionFileError
from playground.ui.compare_run import scene_documents

TALLY = Counter()


@cache
def bases() -> tuple[str, ...]:
    """compare-feature-map as saved: run 1 with φ = (x₁², x₂²) and two other runs (an MLP, a raw linear model);
    and its run 1 alone, trained a little (features with a trainer state)."""
    docs = scene_documents(get_scene("compare-feature-map"), None)
    assert docs[0].scene.features is not None
    compare = SavedCompare(labels=(None,) * len(docs), runs=tuple(docs[1:]))
    trainer = session_file.build_trainer(docs[0])
    trainer.run(7)
    alone = replace(docs[0], trainer=trainer.state())
    return session_file.dumps(replace(docs[0], compare=compare)), session_file.dumps(alone)


@st.composite
def damaged(draw):
    obj = json.loads(draw(st.sampled_from(bases())))
    for _ in range(draw(st.integers(1, 2))):
        where = [p for p in paths(obj) if p[0] in ("features", "compare", "trainer")] or paths(obj)
        mutate(obj, draw(st.sampled_from(where)), draw(st.sampled_from(["replace", "replace", "delete", "truncate",
                                                                         "scale"])), draw(st.sampled_from(NASTY)))
    return obj


def _refused_by_name(obj) -> bool:
    try:
        session_file.loads(to_text(obj))
    except SessionFileError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) <= 300, message
        assert message.split(":")[0].split(".")[0].split("[")[0] in (*TOP_LEVEL, "compare") or \
            message.startswith(("not valid JSON", "expected a JSON object", "not a session file")), message
        return True
    return False


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(obj=damaged())
def test_fuzz_a_file_with_features_or_compare_runs_is_refused_by_name_or_survives(obj, tmp_path):
    TALLY["cases"] += 1
    outcome = "refused" if _refused_by_name(obj) else check_document(obj, tmp_path)
    TALLY[outcome] += 1


def test_the_undamaged_bases_survive_and_keep_their_features_and_runs(tmp_path):
    with_runs, alone = (json.loads(text) for text in bases())
    assert check_document(with_runs, tmp_path) == check_document(alone, tmp_path) == "survived"
    doc = session_file.loads(bases()[0])
    assert doc.scene.features == ("x1^2", "x2^2")                 # the scene's φ(x) = (x₁², x₂²)
    assert [run.scene.features for run in doc.compare.runs] == [None, None]   # the MLP and the linear model: raw x
    assert len(doc.compare.runs) == 2
    np.testing.assert_array_equal(doc.compare.runs[0].X, doc.X)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if TALLY:
        print(f"\nfeatures/compare fuzz: {TALLY['cases']} cases, {TALLY['refused']} refused, "
              f"{TALLY['survived']} loaded, trained 50 steps, saved and reopened equal, crashed: 0")
