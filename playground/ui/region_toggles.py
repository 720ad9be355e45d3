"""Two of TensorFlow Playground's switches for the 2-D regions view, in the View menu.

- *Discretize output*: each pixel in the colour of the class the network picks (argmax of the scores), at
  full strength, instead of the class colour paled by the softmax's doubt: hard class regions.
- *Show test data*: draw or hide the held-out points (they stay held out; the test loss is unchanged).

The worker sends the blended image; the hard one is computed here from the snapshot's parameters on the same
grid (one forward pass, as the network diagram's tiles do), only while the switch is on.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from ..engine import Network
from ..engine.features import FeatureMap
from ..palette import CLASS_COLORS, surface_rgb
from ..worker.snapshot import feature_map

SURE = 0.75  # the class colour's share in a region the network is sure of (the worker's blend at p = 1)
_CLASS_RGB = np.array(CLASS_COLORS, dtype=np.float64)


def hard_regions(network: Network, extent: tuple[float, float, float, float], resolution: int,
                 features: FeatureMap | None = None) -> np.ndarray:
    """(G, G, 3) uint8: the argmax class of ``network`` (reading ``features`` φ(x), if any) at each point of a
    G × G grid over ``extent`` (row i = y, column j = x, as the worker's image), in its class colour at full
    strength."""
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    winner = network.predict(grid if features is None else features(grid)).argmax(axis=1)
    rgb = 255.0 * (1.0 - SURE) + _CLASS_RGB[winner % len(_CLASS_RGB)] * SURE
    return rgb.reshape(resolution, resolution, 3).astype(np.uint8)


class RegionToggles(QObject):
    """View ▸ Discretize output and View ▸ Show test data, acting on ``window.class_plot``."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._network: Network | None = None  # reused: each frame writes the snapshot's parameters into it
        menu = window.menu("view")
        menu.addSeparator()
        self.discretize = QAction("&Discretize output", window, checkable=True)
        self.discretize.setToolTip("2-D: hard class regions (the class the network picks) instead of colours "
                                   "paled by the softmax's doubt; 2-D regression: the sign of the output")
        self.show_test = QAction("Show &test data", window, checkable=True, checked=True)
        self.show_test.setToolTip("2-D: draw the held-out points (hollow squares); they stay held out when hidden")
        for action in (self.discretize, self.show_test):
            menu.addAction(action)
        self.discretize.toggled.connect(self._on_discretize_toggled)
        self.show_test.toggled.connect(self._on_show_test_toggled)

    def hard_image(self, snapshot) -> np.ndarray:
        """The discretized regions of ``snapshot`` on the worker's grid (the plot's ``recolor``); in 2-D
        regression the surface's sign (as TensorFlow Playground: above 0 full blue, below full orange)."""
        if snapshot.regions.surface is not None:
            return surface_rgb(np.sign(snapshot.regions.surface)).astype(np.uint8)
        sizes = tuple(snapshot.layer_sizes)
        if self._network is None or (self._network.layer_sizes, self._network.activation) != \
                (sizes, snapshot.activation):
            self._network = Network(sizes, snapshot.activation)
        self._network.parameters[...] = snapshot.parameters
        regions = snapshot.regions
        return hard_regions(self._network, regions.extent, regions.regions.shape[0], feature_map(snapshot.features))

    @Slot(bool)
    def _on_discretize_toggled(self, on: bool) -> None:
        self.window.class_plot.set_recolor(self.hard_image if on else None)

    @Slot(bool)
    def _on_show_test_toggled(self, on: bool) -> None:
        self.window.class_plot.set_test_points_shown(on)


def install(window) -> RegionToggles:
    return RegionToggles(window)
