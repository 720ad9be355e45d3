"""Pictures of the window for slides: PNG at 1×–3×, SVG, the clipboard, GIF/MP4/WebP animations (animation.py,
encoders.py) and headless rendering (Qt, no logic of the model)."""

from .images import render_widget, save_png
from .svg import patch_svg_exporter, save_svg, widget_svg

__all__ = ["patch_svg_exporter", "render_widget", "save_png", "save_svg", "widget_svg"]
