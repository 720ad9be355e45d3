"""The check before Qt's platform plugin loads: missing xcb libraries and no display give one line and exit 1."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.display_check import XCB_LIBRARIES, check_display, load_library, missing_libraries

REPO = Path(__file__).resolve().parents[1]
X11 = {"DISPLAY": ":0"}


def loader_without(*absent):
    """A loader that finds every library except ``absent`` (a machine without, say, libxcb-cursor0)."""
    return lambda name: None if name in absent else object()


def test_a_missing_library_names_its_debian_package():
    check = check_display(X11, platform="linux", loader=loader_without("libxcb-cursor.so.0", "libxcb-icccm.so.4"))
    assert not check.ok
    assert check.missing_packages == ["libxcb-cursor0", "libxcb-icccm4"]
    message = check.message()
    assert "\n" not in message and "sudo apt install libxcb-cursor0 libxcb-icccm4" in message


def test_every_library_the_real_xcb_plugin_links_is_in_the_table():
    """readelf's NEEDED entries of PySide6's libqxcb.so and libQt6XcbQpa, minus Qt's own and libc's."""
    import PySide6
    qt = Path(PySide6.__file__).parent / "Qt"
    readelf = subprocess.run(["which", "readelf"], capture_output=True, text=True).stdout.strip()
    if not readelf:
        pytest.skip("readelf is not installed")
    needed = set()
    for binary in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        out = subprocess.run([readelf, "-d", str(binary)], capture_output=True, text=True, check=True).stdout
        needed |= {line.split("[")[1].split("]")[0] for line in out.splitlines() if "(NEEDED)" in line}
    system = {n for n in needed if "Qt6" not in n and n.split(".so")[0] not in ("libc", "libm", "libstdc++",
                                                                                  "libgcc_s")}
    assert system <= set(XCB_LIBRARIES), system - set(XCB_LIBRARIES)


def test_this_machine_has_every_xcb_library():
    assert missing_libraries() == ()  # the real loader: what the window itself will load
    assert load_library("libnot-a-real-library.so.9") is None


def test_no_display_and_no_wayland_is_refused_but_wayland_alone_is_fine():
    found = loader_without()
    assert "DISPLAY is not set" in check_display({}, platform="linux", loader=found).message()
    assert check_display({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux", loader=found).ok


def test_an_unreachable_x_display_is_refused():
    check = check_display({"DISPLAY": ":97"}, platform="linux")  # no X server on display 97 here
    assert check.no_display == "no X server answers on DISPLAY=:97"


def test_another_platform_or_system_skips_the_check():
    broken = loader_without(*XCB_LIBRARIES)
    assert check_display({"QT_QPA_PLATFORM": "offscreen"}, platform="linux", loader=broken).ok
    assert check_display({}, platform="win32", loader=broken).ok
    assert not check_display({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, platform="linux", loader=broken).ok
    assert not check_display({"QT_QPA_PLATFORM": "offscreen"}, platform="linux", loader=broken,
                             respect_platform_choice=False).ok


def run_playground(env_changes, *args, pythonpath=()):
    """``python -m playground ARGS`` as a user starts it (no QT_QPA_PLATFORM), with ``env_changes``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(env_changes, PYTHONPATH=os.pathsep.join(map(str, [*pythonpath, REPO])))
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True, cwd=REPO,
                          env=env, timeout=60)


def test_without_a_display_the_command_prints_one_line_and_exits_1():
    proc = run_playground({})
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == "" and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("playground: error: the window cannot open: no display")


def test_a_missing_library_stops_the_command_before_qt_aborts(tmp_path):
    """The real command on a display that exists, with libxcb-cursor hidden from the loader (a fresh Debian 12)."""
    (tmp_path / "sitecustomize.py").write_text(
        "from playground import display_check\n"
        "real = display_check.load_library\n"
        "display_check.load_library = lambda name: None if name == 'libxcb-cursor.so.0' else real(name)\n")
    proc = run_playground({"DISPLAY": ":97"}, "--preset", "xor", pythonpath=[tmp_path])
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.strip().endswith("install with: sudo apt install libxcb-cursor0")


def test_the_self_test_reports_the_check_and_fails_cleanly_when_xcb_is_chosen_without_a_display():
    import json
    proc = run_playground({"QT_QPA_PLATFORM": "xcb"}, "--self-test")
    result = json.loads(proc.stdout.splitlines()[-1])
    assert proc.returncode == 1 and result["ok"] is False
    assert result["reason"].startswith("the window cannot open: no display")
    assert result["display_check"]["no_display"] and result["display_check"]["missing_packages"] == []
