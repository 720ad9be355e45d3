"""Before Qt loads its platform plugin: can the window open at all here? If not, say why in one line.

On Linux, Qt's ``xcb`` plugin aborts the whole process (status 134, a core dump and several lines of
Qt's own text) when one of its system libraries is missing (Debian 12 has no ``libxcb-cursor0`` by
default) or when there is no display. This module checks both first, with no Qt import, so the
``playground`` command can print the package to install and exit 1 instead.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# The system libraries that PySide6 6.11's xcb plugin (plugins/platforms/libqxcb.so), its
# libQt6XcbQpa and libQt6Gui link (readelf -d … | grep NEEDED), with the Debian/Ubuntu package of each.
# libc, libstdc++ and libm are left out: Python itself would not run without them.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}


@dataclass(frozen=True)
class DisplayCheck:
    """What stands between this machine and a window: missing libraries (by package) and the display."""

    missing_libraries: tuple[str, ...] = ()
    no_display: str | None = None  # why no display can be reached, or None

    @property
    def ok(self) -> bool:
        return not self.missing_libraries and self.no_display is None

    @property
    def missing_packages(self) -> list[str]:
        return sorted({XCB_LIBRARIES.get(name, name) for name in self.missing_libraries})

    def message(self) -> str | None:
        """One line for the user, or None when nothing is wrong."""
        if self.missing_libraries:
            return (f"the window cannot open: Qt's xcb platform plugin needs {', '.join(self.missing_libraries)}; "
                    f"install with: sudo apt install {' '.join(self.missing_packages)}")
        if self.no_display:
            return (f"the window cannot open: {self.no_display}; start it from a desktop session "
                    f"(`playground export` and `playground train` need no display)")
        return None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "missing_packages": self.missing_packages, "no_display": self.no_display}


def _search_dirs() -> list[Path]:
    """Folders a bundled copy may sit in: a frozen build's own folder (the build copies some xcb libraries)."""
    bundle = getattr(sys, "_MEIPASS", None)
    return [Path(bundle)] if bundle else []


def load_library(name: str) -> object | None:
    """dlopen ``name`` as the dynamic loader would for Qt (then a frozen bundle's copy); None if it cannot."""
    for candidate in [name, *(str(d / name) for d in _search_dirs())]:
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    return None


Loader = Callable[[str], object]  # a library's name -> a handle, or None when it cannot be loaded


def missing_libraries(names: Iterable[str] = XCB_LIBRARIES, loader: Loader | None = None) -> tuple[str, ...]:
    """The libraries of ``names`` that ``loader`` (default: ``load_library``) cannot load."""
    loader = loader or load_library
    return tuple(name for name in names if loader(name) is None)


def x_display_error(display: str) -> str | None:
    """None if an X server answers at ``display`` (connecting with libxcb, as Qt does), else why not."""
    xcb = load_library("libxcb.so.1")
    if xcb is None:
        return None  # reported as a missing library instead
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        if not connection or xcb.xcb_connection_has_error(connection):
            return f"no X server answers on DISPLAY={display}"
    finally:
        if connection:
            xcb.xcb_disconnect(connection)
    return None


def check_display(environ=None, platform: str | None = None, loader: Loader | None = None,
                  respect_platform_choice: bool = True) -> DisplayCheck:
    """Whether Qt's xcb plugin can open a window here; an empty (ok) check where xcb is not used.

    Skipped off Linux, and (with ``respect_platform_choice``) when QT_QPA_PLATFORM names another
    platform (the tests' ``offscreen``). With a Wayland session and no X display Qt uses Wayland:
    nothing to check either.
    """
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return DisplayCheck()
    chosen = env.get("QT_QPA_PLATFORM", "").strip().lower()
    if respect_platform_choice and chosen and not chosen.startswith("xcb"):
        return DisplayCheck()
    display = env.get("DISPLAY", "").strip()
    if not display and env.get("WAYLAND_DISPLAY", "").strip() and not chosen.startswith("xcb"):
        return DisplayCheck()
    missing = missing_libraries(loader=loader)
    if missing:
        return DisplayCheck(missing_libraries=missing)
    if not display:
        return DisplayCheck(no_display="no display (DISPLAY is not set and there is no Wayland session)")
    return DisplayCheck(no_display=x_display_error(display))
