#!/usr/bin/env bash
# Install a built Neural Playground bundle for the current user (no root needed).
#
#   bash packaging/install-linux.sh [BUNDLE_DIR]   # default: dist/neural-playground-<version>
#   bash packaging/install-linux.sh --uninstall
#
# What goes where (XDG_DATA_HOME defaults to ~/.local/share):
#   $XDG_DATA_HOME/neural-playground/neural-playground-<version>/   the bundle (older versions removed)
#   ~/.local/bin/neural-playground                                  symlink to its executable
#   $XDG_DATA_HOME/applications/neural-playground.desktop           Exec/TryExec set to the absolute path
#   $XDG_DATA_HOME/icons/hicolor/<N>x<N>/apps/neural-playground.png and scalable/apps/neural-playground.svg
#
# Only folders this script created (they hold a marker file) are ever deleted, so
# anything else under $XDG_DATA_HOME/neural-playground/ (e.g. the app's own data) is kept.
set -euo pipefail

APP_ID="neural-playground"
MARKER=".installed-by-neural-playground"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
PREFIX="$DATA_HOME/$APP_ID"
BIN_DIR="$HOME/.local/bin"
LINK="$BIN_DIR/$APP_ID"
APPS_DIR="$DATA_HOME/applications"
DESKTOP_FILE="$APPS_DIR/$APP_ID.desktop"
ICON_ROOT="$DATA_HOME/icons/hicolor"
ICON_SIZES=(16 24 32 48 64 128 256 512)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

refresh_caches() {
    if command -v update-desktop-database > /dev/null 2>&1; then
        update-desktop-database -q "$APPS_DIR" || true
    fi
    if command -v gtk-update-icon-cache > /dev/null 2>&1 && [[ -d "$ICON_ROOT" ]]; then
        # -t: a per-user hicolor folder has no index.theme of its own
        gtk-update-icon-cache -q -f -t "$ICON_ROOT" || true
    fi
}

# Remove our versioned bundle folders under $PREFIX (only those carrying the marker),
# except the one named in $1 (may be empty).
remove_old_bundles() {
    local keep="${1:-}" dir
    [[ -d "$PREFIX" ]] || return 0
    for dir in "$PREFIX"/"$APP_ID"-*/; do
        dir="${dir%/}"
        [[ -d "$dir" && -f "$dir/$MARKER" ]] || continue
        [[ -n "$keep" && "$dir" == "$keep" ]] && continue
        say "removing $dir"
        rm -rf -- "$dir"
    done
}

uninstall() {
    if [[ -L "$LINK" ]]; then
        case "$(readlink -- "$LINK")" in
            "$PREFIX"/*) say "removing $LINK"; rm -f -- "$LINK" ;;
            *) say "leaving $LINK: it does not point into $PREFIX" ;;
        esac
    fi
    if [[ -f "$DESKTOP_FILE" ]]; then say "removing $DESKTOP_FILE"; rm -f -- "$DESKTOP_FILE"; fi
    local n
    for n in "${ICON_SIZES[@]}"; do rm -f -- "$ICON_ROOT/${n}x${n}/apps/$APP_ID.png"; done
    rm -f -- "$ICON_ROOT/scalable/apps/$APP_ID.svg"
    remove_old_bundles ""
    rm -rf -- "$PREFIX/.staging"
    rmdir -- "$PREFIX" 2> /dev/null || true  # only if nothing else (user data) is left there
    refresh_caches
    say "Neural Playground uninstalled."
}

# Exec= needs a quoted argument when the path has spaces etc. (Desktop Entry spec: inside
# double quotes escape " ` $ \ with a backslash, % is %%; then the value itself
# escapes \ as \\).
desktop_exec_arg() {
    local p="$1"
    p="${p//\\/\\\\}"; p="${p//\"/\\\"}"; p="${p//\`/\\\`}"; p="${p//\$/\\\$}"
    p="\"${p//%/%%}\""  # a literal % is %% in Exec
    printf '%s' "${p//\\/\\\\}"
}

install_bundle() {
    local src="${1:-}"
    if [[ -z "$src" ]]; then
        local init="$REPO_ROOT/playground/__init__.py" version
        [[ -f "$init" ]] || die "no BUNDLE_DIR given and no $init to read the version from"
        version="$(sed -nE "s/^__version__[[:space:]]*=[[:space:]]*['\"]([^'\"]+)['\"].*/\1/p" "$init" | head -n1)"
        [[ -n "$version" ]] || die "cannot read __version__ from $init"
        src="$REPO_ROOT/dist/$APP_ID-$version"
    fi
    src="$(cd "$src" 2> /dev/null && pwd)" || die "bundle folder not found: ${1:-$src} (build it: bash packaging/build.sh)"
    [[ -x "$src/$APP_ID" ]] || die "$src/$APP_ID is missing or not executable: not a Neural Playground bundle"

    local name dest res
    name="$(basename -- "$src")"
    [[ "$name" == "$APP_ID"-* ]] || name="$APP_ID-$(date +%Y%m%d%H%M%S)"
    dest="$PREFIX/$name"
    res="$src/_internal/playground/resources"
    [[ -d "$res" ]] || res="$REPO_ROOT/resources"  # bundles built with an older layout
    [[ -f "$res/$APP_ID.desktop" ]] || die "cannot find $APP_ID.desktop in $res"

    # Copy to a staging folder first, then move into place: a failed copy leaves the
    # installed version untouched.
    mkdir -p -- "$PREFIX/.staging" "$BIN_DIR" "$APPS_DIR"
    local stage
    stage="$(mktemp -d "$PREFIX/.staging/$name.XXXXXX")"
    say "copying $src -> $dest"
    cp -a -- "$src/." "$stage/"
    : > "$stage/$MARKER"
    if [[ -e "$dest" ]]; then
        [[ -f "$dest/$MARKER" ]] || die "$dest exists and was not installed by this script; not touching it"
        rm -rf -- "$dest"
    fi
    mv -- "$stage" "$dest"
    rmdir -- "$PREFIX/.staging" 2> /dev/null || true
    remove_old_bundles "$dest"

    local exe="$dest/$APP_ID"
    if [[ -e "$LINK" && ! -L "$LINK" ]]; then
        die "$LINK exists and is not a symlink; not replacing it"
    fi
    ln -sfn -- "$exe" "$LINK"
    say "linked $LINK -> $exe"

    local exec_arg tmp
    exec_arg="$(desktop_exec_arg "$exe")"
    tmp="$(mktemp "$APPS_DIR/.$APP_ID.desktop.XXXXXX")"
    # awk -v would interpret backslashes, so pass the values through the environment.
    # Values go through the environment: awk -v and sub() would interpret \ and &.
    EXEC_ARG="$exec_arg" TRY_EXEC="${exe//\\/\\\\}" awk '
        /^Exec=/ {
            line = substr($0, 6); i = index(line, " ")  # keep the field codes (%f)
            print "Exec=" ENVIRON["EXEC_ARG"] (i ? substr(line, i) : ""); next
        }
        /^TryExec=/ { print "TryExec=" ENVIRON["TRY_EXEC"]; next }
        { print }
    ' "$res/$APP_ID.desktop" > "$tmp"
    chmod 644 "$tmp"
    mv -f -- "$tmp" "$DESKTOP_FILE"
    say "installed $DESKTOP_FILE"
    if command -v desktop-file-validate > /dev/null 2>&1; then
        desktop-file-validate "$DESKTOP_FILE" || say "warning: desktop-file-validate complained (see above)"
    fi

    local n
    for n in "${ICON_SIZES[@]}"; do
        if [[ -f "$res/icons/playground-$n.png" ]]; then
            install -D -m 644 -- "$res/icons/playground-$n.png" "$ICON_ROOT/${n}x${n}/apps/$APP_ID.png"
        fi
    done
    install -D -m 644 -- "$res/icons/playground.svg" "$ICON_ROOT/scalable/apps/$APP_ID.svg"
    say "installed icons under $ICON_ROOT"

    refresh_caches
    case ":$PATH:" in
        *":$BIN_DIR:"*) ;;
        *) say "note: $BIN_DIR is not on PATH; the menu entry works anyway (it uses the full path)" ;;
    esac
    say "Neural Playground installed: start it from the applications menu or run '$APP_ID'."
}

case "${1:-}" in
    --uninstall) [[ $# -eq 1 ]] || die "--uninstall takes no other arguments"; uninstall ;;
    -h|--help) sed -n '2,15p' "$0" ;;
    -*) die "unknown option: $1 (see --help)" ;;
    *) [[ $# -le 1 ]] || die "too many arguments (see --help)"; install_bundle "${1:-}" ;;
esac
