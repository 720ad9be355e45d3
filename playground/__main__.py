import sys

try:
    from .commands.cli import main
except KeyboardInterrupt:  # Ctrl+C while Python is still importing: the shell's status, no traceback
    sys.exit(130)

sys.exit(main())
