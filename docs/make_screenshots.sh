#!/usr/bin/env bash
# Regenerate the README's screenshots (docs/screenshots/*.png) and its animation (*.gif) with the app's
# own headless export: each one builds the real window offscreen, trains the scene, and writes what the
# window shows (the animation: a frame every few steps, log-spaced, while it trains).
#
#   bash docs/make_screenshots.sh            # from anywhere; uses `python` (set PYTHON=... to change)
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
mkdir -p "$out"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"  # this checkout, installed or not
export QT_QPA_PLATFORM=offscreen
shot() { "${PYTHON:-python}" -m playground export "$@"; }

# 1-D: Bishop's Fig 5.3 scene, live: blue points, red fit, dashed hidden units, loss and schedule
shot --preset bishop-sin --steps 3000 --size 1600x900 --out "$out/bishop-sin.png"
# 2-D: two spirals, decision regions and the heatmap of every hidden unit of both layers
shot --preset spiral --steps 6000 --size 1600x900 --out "$out/spiral.png"
# the learning-rate slide: SGD's noisy plateau, then the staircase drops it (10x at step 1500 and 3000)
shot --preset lr-staircase --steps 4500 --size 1600x900 --view plots --out "$out/lr-staircase.png"
# 2-D regression (TensorFlow Playground's six bumps): the output surface, value-coloured points, the colour bar
shot --preset gaussian --steps 6000 --size 1600x900 --out "$out/gaussian.png"
# presentation mode at a projector's 1920x1080: every style token x1.6, controls tucked away
shot --preset moons --steps 4000 --size 1920x1080 --presentation --out "$out/presentation.png"
# the animation: Bishop's sin(πx) fit forming, 40 log-spaced frames of the plots (kept small: ~1 MB)
shot --preset bishop-sin --steps 3000 --frames 40 --log-spacing --fps 8 --view plots --size 960x540 \
     --out "$out/bishop-sin.gif"

# compare mode: the lecture's contrasts as panels side by side (the loss plot overlays every run)
shot --preset compare-flat --steps 3000 --size 1600x900 --view plots --out "$out/compare-flat.png"
shot --preset compare-units --steps 4000 --size 1600x900 --view plots --out "$out/compare-units.png"
shot --preset compare-curvature --steps 5000 --size 1600x900 --view plots --out "$out/compare-curvature.png"

# the layout at both projector sizes: normal and presentation mode, 1-D and 2-D, the inspector and hidden-space
# docks open (docs/make_layout_screenshots.py: the real window, offscreen, written by the same PNG export)
"${PYTHON:-python}" docs/make_layout_screenshots.py "$out"
