"""The entry points: the ``playground`` command (cli), the window (app), the self-test, the benchmarks and the
headless export. They build and wire the layers below and hold no logic of their own; nothing below imports them."""
