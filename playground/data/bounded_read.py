"""Reading a user's file without ever blocking forever or reading without end.

A FIFO would block ``open`` until a writer comes and ``/dev/zero`` never ends, so only regular files
are read; the size is checked before reading and again while reading (a file can grow); the read
goes in chunks, reporting progress and asking whether to stop, so a window can read on a thread and
offer Cancel.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

CHUNK = 1 << 20


class ReadCancelled(Exception):
    """The user cancelled a read (not an error: nothing changes)."""


def _size(size: int) -> str:
    return f"{size:,} bytes" if size < 2**20 else f"{size / 2**20:.1f} MB" if size < 10 * 2**20 else \
        f"{size / 2**20:.0f} MB"


def read_regular_file(path, limit: int, what: str, error: type[Exception] = ValueError,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> bytes:
    """The bytes of the regular file ``path`` if it holds at most ``limit`` of them.

    ``error(message)`` is raised for a file that is not a regular file or is too large (``what``
    names the kind of file in the message); OSError for one that cannot be opened. ``progress(done,
    total)`` is called after each chunk; ``cancelled()`` returning True raises ``ReadCancelled``.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a pipe" if stat.S_ISFIFO(info.st_mode)
                    else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a file")
            raise error(f"{path.name} is {kind}, not a {what} (only regular files are read)")
        if info.st_size > limit:
            raise error(f"{path.name} is {_size(info.st_size)}, larger than a {what} can be ({_size(limit)})")
        total, chunks, done = info.st_size, [], 0
        with os.fdopen(fd, "rb", closefd=False) as f:
            while True:
                if cancelled is not None and cancelled():
                    raise ReadCancelled()
                chunk = f.read(min(CHUNK, limit + 1 - done))
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                if done > limit:
                    raise error(f"{path.name} grew larger than a {what} can be ({_size(limit)}) while it was read")
                if progress is not None:
                    progress(done, max(total, done))
        return b"".join(chunks)
    finally:
        os.close(fd)


def one_line(message: str, limit: int = 300) -> str:
    """A message as one line of at most ``limit`` characters (a bad file's cell must not fill a dialog)."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
