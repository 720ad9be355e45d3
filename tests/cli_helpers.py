"""The command line run in the test process: faster than a new interpreter, and as strict about its output."""


def exit_status_and_stderr(capfd, *args):
    """``playground ARGS`` in this process: its exit status and everything written to file descriptor 2
    (Qt's own warnings included, as a terminal would show them)."""
    from playground.commands.cli import main
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    return code, capfd.readouterr().err
