import os

# Qt must pick its platform before it is first imported: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
