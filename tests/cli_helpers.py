"""The command line run in the test process: faster than a new interpreter, and as strict about its output."""


def exit_status_and_stderr(capfd, *args):
    """``playground ARGS`` in this process: its exit status and everything written to file descriptor 2
    (Qt's own warnings included, as a terminal would show them)."""
    code, _out, err = run_in_process(capfd, *args)
    return code, err


def run_in_process(capfd, *args):
    """``playground ARGS`` in this process: (exit status, stdout, stderr), both read from the file descriptors.
    A headless export here builds its window in this process and trains it in a thread (tests/conftest.py's
    in-process worker): the same window, export and encoders as the command's, without a new interpreter and
    training process (about 5 s each on a busy machine). The end-to-end export in a real process is
    test_cli.py::test_a_headless_export_says_only_what_it_wrote."""
    import pytest

    from playground.commands.cli import main
    from playground.ui import application
    with pytest.MonkeyPatch.context() as patch:
        # the export quiets Qt's offscreen warnings with a process-wide message handler: here that would replace
        # pytest-qt's for the tests that follow
        patch.setattr(application, "quiet_offscreen_warnings", lambda app: None)
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
    captured = capfd.readouterr()
    return code, captured.out, captured.err
