"""The quick tier (``-m "not window"``) leaves out every test that builds a window or runs the real processes,
and only those: tests/conftest.py marks them from their fixtures and markers, not from a hand-kept list."""

# The fixtures that build a main window (tests/conftest.py), named here independently of the rule that marks them.
WINDOW_FIXTURES = {"make_window", "window"}


def test_every_window_or_process_test_is_marked_and_no_other(request):
    items = request.session.items  # the tests this run selected, this one among them
    assert request.node in items
    for item in items:
        builds_window = bool(WINDOW_FIXTURES & set(item.fixturenames))
        real_process = item.get_closest_marker("process") is not None
        marked = item.get_closest_marker("window") is not None
        if builds_window or real_process:
            assert marked, f"{item.nodeid} builds a window or a process and would run in the quick tier"
        if marked:
            assert {"qtbot", "qapp"} & set(item.fixturenames) or real_process, f"{item.nodeid} is marked, builds no widget"
    assert request.node.get_closest_marker("window") is None  # this test itself is in the quick tier
