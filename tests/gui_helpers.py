"""Waits shared by the GUI tests: on the session's state, never a sleep."""


def wait_fresh(qtbot, session):
    """Wait for a snapshot that reflects every command sent so far."""
    qtbot.waitUntil(lambda: session.up_to_date, timeout=10_000)


def train_to(qtbot, session, step):
    """Train until the worker reports exactly ``step`` steps."""
    wait_fresh(qtbot, session)
    session.step(step - session.snapshot.step)
    qtbot.waitUntil(lambda: session.up_to_date and session.snapshot.step == step, timeout=15_000)

