#!/usr/bin/env bash
# Build the double-click app with PyInstaller (one-folder bundle) into dist/.
#
#   bash packaging/build.sh            # build venv in build/venv, bundle in dist/
#   bash packaging/build.sh --no-venv  # use the current interpreter as it is
#   bash packaging/build.sh --allow-missing-libs   # Linux: build even if system libraries are missing
#
# Environment: PYTHON (interpreter for the venv, default python3), VENV (default build/venv).
# Linux: PyInstaller copies the system libraries Qt's plugins link against into the bundle; one
# it cannot find it only warns about, and the bundle then fails where the user lacks it too.
# So this script fails instead, naming them (see packaging/README.md for the apt-get line).
# The same script and spec serve Linux and macOS; on Windows run the same steps from
# Git Bash, or see packaging/README.md for the PowerShell lines. PyInstaller does not
# cross-compile: build on each OS for that OS.
set -euo pipefail

# Pinned: 6.22.3 supports Python 3.8-3.14 (so 3.11) and PySide6 6.11; bump on purpose.
PYINSTALLER_VERSION="6.22.3"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

use_venv=1
allow_missing_libs=0
for arg in "$@"; do
    case "$arg" in
        --no-venv) use_venv=0 ;;
        --allow-missing-libs) allow_missing_libs=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

[[ -f playground/commands/cli.py ]] || { echo "error: playground/commands/cli.py (the entry point) does not exist yet" >&2; exit 1; }

PY="${PYTHON:-python3}"
if [[ "$use_venv" == 1 ]]; then
    VENV="${VENV:-$ROOT/build/venv}"
    if [[ ! -x "$VENV/bin/python" && ! -x "$VENV/Scripts/python.exe" ]]; then
        echo ">> creating build venv $VENV"
        "$PY" -m venv "$VENV"
    fi
    if [[ -x "$VENV/bin/python" ]]; then PY="$VENV/bin/python"; else PY="$VENV/Scripts/python.exe"; fi
fi

# The app's runtime dependencies come from pyproject.toml (one source of truth, keeps the
# PySide6 pin). The app itself is not pip-installed: the spec analyses the source tree.
# A clean venv also keeps test tools (pytest, pytest-qt) out of the bundle.
REQS="$ROOT/build/requirements-bundle.txt"
mkdir -p "$ROOT/build"
"$PY" - "$REQS" <<'PYEOF'
import sys, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
open(sys.argv[1], "w").write("\n".join(deps) + "\n")
PYEOF
echo ">> installing: pyinstaller==$PYINSTALLER_VERSION $(tr '\n' ' ' < "$REQS")"
"$PY" -m pip install --disable-pip-version-check -q "pyinstaller==$PYINSTALLER_VERSION" -r "$REQS"

echo ">> running PyInstaller"
LOG="$ROOT/build/pyinstaller.log"
"$PY" -m PyInstaller --noconfirm --clean \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    packaging/playground.spec 2>&1 | tee "$LOG"

VERSION="$("$PY" - <<'PYEOF'
import re
text = open("playground/__init__.py", encoding="utf-8").read()
print(re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", text, re.M).group(1))
PYEOF
)"
BUNDLE="$ROOT/dist/neural-playground-$VERSION"
[[ -d "$BUNDLE.app" ]] && BUNDLE="$BUNDLE.app"   # macOS .app bundle

if [[ "$(uname -s)" == Linux ]]; then
    # "Library not found" warnings about a file the bundle keeps (not one the spec dropped,
    # such as the GTK3 theme plugin) mean a library the bundle needs but does not carry.
    missing="$("$PY" - "$LOG" "$BUNDLE/_internal" <<'PYEOF'
import re, sys
from pathlib import Path
log, internal = Path(sys.argv[1]).read_text(errors="replace"), Path(sys.argv[2])
found = set()
for lib, dependent in re.findall(r"Library not found: could not resolve '([^']+)', dependency of '([^']+)'", log):
    rel = dependent.split("site-packages/", 1)[1] if "site-packages/" in dependent else Path(dependent).name
    if (internal / rel).exists():
        found.add(f"  {lib}  (needed by {rel})")
print("\n".join(sorted(found)))
PYEOF
)"
    if [[ -n "$missing" ]]; then
        echo "!! the bundle lacks system libraries that parts of it link against:" >&2
        echo "$missing" >&2
        echo "!! install them and build again (Debian/Ubuntu: sudo apt-get install libxcb-icccm4 libxcb-keysyms1," >&2
        echo "!! see packaging/README.md), or pass --allow-missing-libs to ship a bundle that needs them on the user's machine" >&2
        [[ "$allow_missing_libs" == 1 ]] || exit 1
    fi
fi
echo ">> built $BUNDLE"
du -sh "$BUNDLE"
[[ -x "$BUNDLE/neural-playground" ]] && echo ">> check it: $BUNDLE/neural-playground --self-test"
exit 0
