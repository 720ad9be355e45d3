"""The project's own rules, enforced: the layers (import-linter's contracts in pyproject.toml) and the style
(ruff's rules there). Both run here so that the README's one test command checks them, as CI does."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*command):
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_layers_hold():
    lint_imports = shutil.which("lint-imports") or pytest.fail("lint-imports is missing: pip install '.[test]'")
    result = run(lint_imports)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_code_follows_the_style_rules():
    result = run(sys.executable, "-m", "ruff", "check", "playground", "tests", "docs", "packaging")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
