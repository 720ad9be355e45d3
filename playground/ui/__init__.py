"""The window: Qt and pyqtgraph live only here."""
