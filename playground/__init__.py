"""Neural Playground: feature learning and backpropagation, live."""

__version__ = "0.1.0"
