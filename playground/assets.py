"""Where the bundled icons and fonts are: the installed package ``playground.resources``
(pyproject maps it to the top-level resources/ folder), or that folder in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def asset(*parts: str):
    """The bundled file at resources/<parts>, as a Traversable (``read_bytes()``, ``is_file()``)."""
    try:
        root = resources.files("playground.resources")
    except ModuleNotFoundError:  # running from a source checkout
        root = Path(__file__).resolve().parent.parent / "resources"
    return root.joinpath(*parts)
