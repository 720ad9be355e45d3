"""Entry script of the frozen app (PyInstaller runs it as a top-level ``__main__``).

It is not ``playground/__main__.py`` itself: that file uses a relative import
(``from .commands.cli import main``), which fails when a module runs outside its package, and
PyInstaller's import analysis would then not follow it into the app either.
``playground.commands.cli.main`` calls ``multiprocessing.freeze_support()`` first thing, which the
spawned training process of a frozen build needs.
"""

import sys

from playground.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
