"""Files the long fuzz runs found (``FUZZ_EXAMPLES=3000 pytest -s tests/test_session_fuzz.py``), kept as cases.

Each was accepted by the validator, then the app could not keep its promise for it (train, save, reopen).
"""

import json

import pytest
from session_mutations import bases
from test_session_fuzz import check_document

from playground.data import session_file
from playground.data.session_file import SessionFileError


@pytest.mark.parametrize("curve", ["trainer.history", "loss_curves.test", "loss_curves.train_acc"])
@pytest.mark.parametrize("window_sum", [-1, -0.001, 7.5])
def test_an_open_window_sum_no_window_of_values_can_have_is_refused_by_name(tmp_path, curve, window_sum):
    """Found at case ~1,700 of 3,000: ``window_sum: -1`` with ``window_count: 0`` loaded, and the next recorded
    loss came out negative (-0.516), so saving refused the app's own file: "not saved, the session would not
    open again: trainer.history.values[12]". A sum of `count` values lies in count × the values' range."""
    obj = json.loads(bases()[1])
    where = obj
    for key in curve.split("."):
        where = where[key]
    assert where["window_count"] == 0  # the base has no open window: its sum can only be 0
    where["window_sum"] = window_sum
    with pytest.raises(SessionFileError, match=rf"^{curve}\.window_sum: "):
        session_file.loads(json.dumps(obj))
    assert check_document(obj, tmp_path) == "refused"


def test_an_open_window_sum_inside_its_range_still_loads_and_survives(tmp_path):
    obj = json.loads(bases()[1])
    history = obj["trainer"]["history"]
    history.update(stride=4, window_count=3, window_sum=1.5)  # three open losses averaging 0.5
    assert check_document(obj, tmp_path) == "survived"
