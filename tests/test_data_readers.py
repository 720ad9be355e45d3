"""The file readers are bounded: only regular files, size checked first, memory within a few times the
file, any line ending, any cell, one-line messages (issue 10 §3). Includes a seeded CSV fuzz test."""

import json
import os
import threading
import time
import tracemalloc
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.data import scene, session_file
from playground.data.bounded_read import ReadCancelled, read_regular_file
from playground.data.points_csv import MAX_CELL, PointsFileError, from_csv, load_csv
from playground.data.scene import Scene
from playground.data.session_file import SessionFileError
from playground.engine import TrainingSettings


def _within(seconds: float, call):
    """Run ``call`` on a thread; fail (instead of hanging the suite) if it has not returned in time."""
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still reading after {seconds} s"
    return outcome


@pytest.mark.parametrize("reader, error", [(session_file.load, SessionFileError), (load_csv, PointsFileError)])
def test_a_fifo_is_refused_at_once_instead_of_blocking(tmp_path, reader, error):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    outcome = _within(5.0, lambda: reader(fifo))
    assert isinstance(outcome.get("error"), error) and "a pipe" in str(outcome["error"])


@pytest.mark.parametrize("reader, error", [(session_file.load, SessionFileError), (load_csv, PointsFileError)])
def test_dev_zero_and_a_folder_are_refused(tmp_path, reader, error):
    with pytest.raises(error, match="a device"):
        reader("/dev/zero")
    with pytest.raises(error, match="a folder"):
        reader(tmp_path)


def test_the_size_is_checked_before_reading(tmp_path):
    """A sparse 1 GB file: refused from its size alone, in far less time and memory than reading it."""
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.truncate(2**30)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(PointsFileError, match="larger than a CSV file of points can be"):
        load_csv(path)
    seconds, peak = time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 0.5 and peak < 2**20


def test_a_read_reports_progress_and_can_be_cancelled(tmp_path):
    path = tmp_path / "points.csv"
    path.write_bytes(b"x,y\n" + b"0.5,0.25\n" * 400_000)  # 3.6 MB: four chunks
    seen = []
    data = read_regular_file(path, 2**23, "test file", progress=lambda done, total: seen.append((done, total)))
    assert len(data) == path.stat().st_size and seen[-1] == (len(data), len(data)) and len(seen) >= 3
    with pytest.raises(ReadCancelled):
        read_regular_file(path, 2**23, "test file", progress=lambda *_: None, cancelled=lambda: len(seen) > 0)


def test_a_nested_list_bomb_is_refused_before_parsing_within_a_few_times_its_size():
    text = '{"format": "neural-playground-session", "x": [' + "[]," * 300_000 + "[]]}"
    tracemalloc.start()
    with pytest.raises(SessionFileError, match="lists and objects"):
        session_file.loads(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 * len(text)


def _parse_peak(text: str) -> float:
    tracemalloc.start()
    doc = session_file.loads(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(doc.X) == 20_000
    return peak / len(text)


def test_parsing_the_largest_session_costs_a_few_times_the_file():
    """20,000 points (the ratio does not depend on n): as the app writes them (full precision) and as
    short as JSON allows."""
    rng = np.random.default_rng(0)
    n = 20_000
    X, y = rng.uniform(-1, 1, (n, 2)), rng.integers(0, 2, n)
    written = session_file.dumps(session_file.SessionDocument(
        Scene("classification", (3,), "tanh", 0, TrainingSettings(loss="cross_entropy")), X, y))
    assert _parse_peak(written) < 6  # measured 4.6×
    obj = json.loads(written)
    obj["points"]["X"] = np.round(X, 1).tolist()
    assert _parse_peak(json.dumps(obj, separators=(",", ":"))) < 18  # measured 15.4×: one list per point


def test_csv_with_old_mac_line_endings_is_read():
    points = from_csv("x,y\r0.5,0.25\r-0.5,1\r")
    np.testing.assert_array_equal(points.X[:, 0], [0.5, -0.5])
    points = from_csv("x1,x2,class\r\n0.1,0.2,2\r\n0.3,0.4,1\r\n")
    np.testing.assert_array_equal(points.y, [1, 0])


@pytest.mark.parametrize("cell", ["9" * 200_000, '"' + "9" * 200_000 + '"', "a" * 5000],
                         ids=["200k digits", "200k quoted", "5000 letters"])
def test_a_huge_cell_is_refused_in_one_short_line(cell):
    with pytest.raises(PointsFileError) as info:
        from_csv(f"x,y\n0.5,{cell}\n")
    message = str(info.value)
    assert message.startswith("line 2") and len(message) < 120 and "\n" not in message


def test_a_csv_of_more_than_the_points_limit_is_refused_while_reading():
    text = "x,y\n" + "0.5,0.25\n" * (scene.MAX_POINTS + 1)
    with pytest.raises(PointsFileError, match=f"more than the limit of {scene.MAX_POINTS:,} points"):
        from_csv(text)


# -- fuzz: any text is read into valid points or refused in one line naming the line ------------------------

CSV_TALLY = Counter()  # printed by the long run: FUZZ_EXAMPLES=20000 pytest -s -k fuzz_any


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if CSV_TALLY:
        print(f"\nCSV fuzz: {CSV_TALLY['cases']} cases, {CSV_TALLY['refused']} refused in one line, "
              f"{CSV_TALLY['read']} read into valid points, crashed: 0")


_CELLS = st.one_of(st.sampled_from(["0", "1", "-0.5", "2.5", "5", "6", "1e308", "1e309", "nan", "inf", "x", "",
                                    "class", "label", "x1", "x2", "y", '"', '""', " 3 "]),
                   st.text(alphabet="0123456789.-+eE", max_size=8),
                   st.text(max_size=6),
                   st.builds(lambda n: "7" * n, st.integers(MAX_CELL - 2, MAX_CELL + 2)))
_ROWS = st.lists(st.lists(_CELLS, min_size=0, max_size=4), max_size=12)
_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
_DELIMITERS = st.sampled_from([",", ";", "\t"])


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=_ROWS, ending=_ENDINGS, delimiter=_DELIMITERS, header=st.sampled_from(["", "x,y", "x1,x2,label",
                                                                                   "x1,x2,class"]))
def test_fuzz_any_csv_is_read_into_valid_points_or_refused_in_one_line(rows, ending, delimiter, header):
    lines = ([header.replace(",", delimiter)] if header else []) + [delimiter.join(row) for row in rows]
    text = ending.join(lines)
    CSV_TALLY["cases"] += 1
    try:
        points = from_csv(text)
    except PointsFileError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message and len(message) <= 200, message
        CSV_TALLY["refused"] += 1
        return
    CSV_TALLY["read"] += 1
    assert 0 < len(points) <= scene.MAX_POINTS
    assert np.isfinite(points.X).all()
    if points.is_classification:
        assert points.y.dtype.kind == "i" and points.y.min() >= 0 and points.y.max() < scene.MAX_CLASSES
    else:
        assert np.isfinite(points.y).all() and points.y.shape == (len(points), 1)
