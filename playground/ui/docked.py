"""Views that live in a tabbed dock and should work only while a user can see them."""

from __future__ import annotations


class ShownInDock:
    """Mixin for a QWidget in a dock: ``shown`` is True only while it is on screen.

    A dock behind another dock's tab still reports isVisible(), so the dock's visibilityChanged
    is passed to ``set_shown``; subclasses react in ``_on_shown_changed(was)``.
    """

    _shown = True

    @property
    def shown(self) -> bool:
        """On screen: visible, and the current tab when docked among tabs."""
        return self._shown and self.isVisible()

    def set_shown(self, shown: bool) -> None:
        was = self.shown
        self._shown = shown
        self._on_shown_changed(was)

    def _on_shown_changed(self, was: bool) -> None:
        """Called after every ``set_shown``; ``was`` is what ``shown`` was before."""
