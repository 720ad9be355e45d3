"""SVG export: every pyqtgraph view through pyqtgraph's SVGExporter, composed into one drawing.

Why not QSvgGenerator on the whole widget: pyqtgraph draws scatter points from a pixmap atlas,
so a plain widget render puts raster sprites into the SVG; its SVGExporter switches items to
export mode and writes points, curves and axes as vector paths. Text labels outside the plots
(the caption, the loss and schedule headers) are drawn by Qt's own SVG generator.

The fix for pyqtgraph 0.14.0 (issue 3495, fixed on its master after 0.14.0): the exporter
rewrites every ``<path d="…">`` token by token as ``x,y`` pairs and fails on the ``Z``
(close path) that current Qt writes. ``patch_svg_exporter()`` wraps its
``correctCoordinates``: each ``Z`` becomes a dummy ``Z0,0`` token the old parser accepts,
and the dummy coordinates are stripped again afterwards. It is applied only when a probe
shows the bug, so a fixed pyqtgraph runs untouched.
"""

from __future__ import annotations

import importlib
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_CLOSE = re.compile(r"\s*([Zz])\s*")
_MARKED_CLOSE = re.compile(r"([Zz])[-+0-9.eEinfa]+,[-+0-9.eEinfa]+")


def _exporter_module():
    import pyqtgraph.exporters  # noqa: F401  (must be imported explicitly: shared/design.md)
    return importlib.import_module("pyqtgraph.exporters.SVGExporter")


def _has_close_path_bug(correct) -> bool:
    """True if ``correct`` (pyqtgraph's correctCoordinates) fails on a closed path."""
    doc = xml.dom.minidom.parseString('<g><g transform="matrix(1,0,0,1,5,5)"><path d="M0,0 L1,0 L1,1 Z"/></g></g>')
    try:
        correct(doc.documentElement, [], None, {})
    except ValueError:
        return True
    except Exception:  # noqa: BLE001 - any other failure: leave the exporter alone
        return False
    return False


def patch_svg_exporter() -> bool:
    """Make pyqtgraph's SVGExporter accept closed paths (idempotent); True if the patch is in place."""
    module = _exporter_module()
    if getattr(module.correctCoordinates, "_playground_close_path_fix", False):
        return True
    original = module.correctCoordinates
    if not _has_close_path_bug(original):
        return False

    def correct_coordinates(node, defs, item, options):
        closed = []
        for path in node.getElementsByTagName("path"):
            d = path.getAttribute("d")
            if "Z" in d or "z" in d:
                spaced = " ".join(_CLOSE.sub(r" \g<1> ", d).split())
                path.setAttribute("d", " ".join(t + "0,0" if t in ("Z", "z") else t for t in spaced.split(" ")))
                closed.append(path)
        original(node, defs, item, options)
        for path in closed:  # the same element objects, wherever the exporter moved them
            path.setAttribute("d", _MARKED_CLOSE.sub(r"\1", path.getAttribute("d")).strip())

    correct_coordinates._playground_close_path_fix = True
    module.correctCoordinates = correct_coordinates
    return True


def view_svg(view) -> str:
    """SVG text of a pyqtgraph GraphicsView's scene, in scene coordinates, via the (fixed) SVGExporter."""
    patch_svg_exporter()
    exporter = _exporter_module().SVGExporter(view.scene())
    return exporter.export(toBytes=True).decode("utf-8")


def _widget_svg(widget: QWidget) -> str:
    """SVG text of a plain widget (a label) drawn by Qt's SVG generator, in widget pixels."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(widget.size())
    generator.setViewBox(QRect(QPoint(0, 0), widget.size()))
    generator.setResolution(int(widget.logicalDpiX()))
    painter = QPainter(generator)
    widget.render(painter, QPoint(0, 0))
    painter.end()
    buffer.close()
    return bytes(data.data()).decode("utf-8")


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _namespace_ids(root: ET.Element, prefix: str) -> None:
    """Prefix every id and every reference to one, so parts exported separately cannot clash."""
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    if not ids:
        return
    pattern = re.compile(r"#(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r")\b")
    for el in root.iter():
        if el.get("id") in ids:
            el.set("id", prefix + el.get("id"))
        for key, value in list(el.attrib.items()):
            if key != "id" and "#" in value:
                el.set(key, pattern.sub(lambda m: "#" + prefix + m.group(1), value))


_MATRIX = re.compile(r"matrix\(([^)]*)\)")


def _flatten_rect_transforms(root: ET.Element) -> None:
    """Apply axis-aligned group transforms to the rectangles inside them (e.g. the 2-D plot's frame).

    pyqtgraph's exporter removes transforms from paths and polylines only; a rect keeps a
    matrix that scales it ~100× with a 1 px "non-scaling-stroke", which renderers without
    SVG 1.2's vector-effect (librsvg, for one) draw as a 100 px wide stroke.
    """
    for group in root.iter(f"{{{SVG_NS}}}g"):
        match = _MATRIX.fullmatch(group.get("transform", "").strip())
        children = [c for c in group if isinstance(c.tag, str)]
        if not match or not children or any(_tag(c) != "rect" for c in children):
            continue
        a, b, c, d, e, f = (float(v) for v in match.group(1).replace(" ", ",").split(",") if v)
        if b or c:
            continue
        for rect in children:
            x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
            w, h = float(rect.get("width", 0)), float(rect.get("height", 0))
            x0, x1 = sorted((a * x + e, a * (x + w) + e))
            y0, y1 = sorted((d * y + f, d * (y + h) + f))
            rect.set("x", f"{x0:.6g}")
            rect.set("y", f"{y0:.6g}")
            rect.set("width", f"{x1 - x0:.6g}")
            rect.set("height", f"{y1 - y0:.6g}")
            rect.attrib.pop("vector-effect", None)
        del group.attrib["transform"]


def _is_pyqtgraph_view(widget) -> bool:
    import pyqtgraph as pg
    return isinstance(widget, pg.GraphicsView)


def _visible_in(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0 and widget.height() > 0


def _parts(root: QWidget):
    """(widget, kind) for every visible pyqtgraph view and text label inside ``root``, in paint order."""
    parts = []

    def walk(widget):
        for child in widget.findChildren(QWidget, options=Qt.FindDirectChildrenOnly):
            if not _visible_in(child, root):
                continue
            if _is_pyqtgraph_view(child):
                parts.append((child, "view"))
            elif isinstance(child, QAbstractButton) or isinstance(child, QLabel) and (
                    child.text().strip() or not child.pixmap().isNull()):
                parts.append((child, "label"))  # drawn by Qt's SVG generator
            else:
                walk(child)

    if _is_pyqtgraph_view(root):
        parts.append((root, "view"))
    else:
        walk(root)
    return parts


def _visible_rect(widget: QWidget, root: QWidget) -> QRect:
    """Where ``widget`` shows inside ``root``, clipped by its scroll areas and parents."""
    rect = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        rect = rect.intersected(QRect(parent.mapTo(root, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect


def widget_svg(root: QWidget) -> bytes:
    """One SVG document of ``root``'s plots (vector, via pyqtgraph) and labels, laid out as on screen."""
    width, height = root.width(), root.height()
    svg = ET.Element(f"{{{SVG_NS}}}svg", {"width": str(width), "height": str(height),
                                          "viewBox": f"0 0 {width} {height}", "version": "1.1"})
    ET.SubElement(svg, f"{{{SVG_NS}}}title").text = root.window().windowTitle() or "Neural Playground"
    defs = ET.SubElement(svg, f"{{{SVG_NS}}}defs")
    ET.SubElement(svg, f"{{{SVG_NS}}}rect", {"x": "0", "y": "0", "width": str(width), "height": str(height),
                                             "fill": "#ffffff"})
    for k, (widget, kind) in enumerate(_parts(root)):
        visible = _visible_rect(widget, root)
        if visible.isEmpty():
            continue
        at = widget.mapTo(root, QPoint(0, 0))
        if kind == "view":
            view = widget
            part = ET.fromstring(view_svg(view))
            _flatten_rect_transforms(part)
            source = view.viewportTransform().inverted()[0].mapRect(view.viewport().rect())
            port = view.viewport()
            sx, sy = port.width() / max(source.width(), 1e-9), port.height() / max(source.height(), 1e-9)
            origin = view.viewport().mapTo(root, QPoint(0, 0))
            transform = (f"translate({origin.x()},{origin.y()}) scale({sx:.6g},{sy:.6g}) "
                         f"translate({-source.x():.6g},{-source.y():.6g})")
        else:
            part = ET.fromstring(_widget_svg(widget))
            transform = f"translate({at.x()},{at.y()})"
        prefix = f"part{k}_"
        _namespace_ids(part, prefix)
        outer = svg
        # Views are clipped to what shows; a label only where a parent hides part of it (SVG viewers'
        # font metrics differ a little from Qt's, and a clip would cut the last letters off).
        if kind == "view" or visible != QRect(at, widget.size()):
            clip = ET.SubElement(defs, f"{{{SVG_NS}}}clipPath", {"id": f"{prefix}visible"})
            ET.SubElement(clip, f"{{{SVG_NS}}}rect", {"x": str(visible.x()), "y": str(visible.y()),
                                                      "width": str(visible.width()), "height": str(visible.height())})
            outer = ET.SubElement(svg, f"{{{SVG_NS}}}g", {"clip-path": f"url(#{prefix}visible)"})
        group = ET.SubElement(outer, f"{{{SVG_NS}}}g", {"transform": transform})
        for child in list(part):
            tag = _tag(child)
            if tag in ("title", "desc", "style"):  # pyqtgraph's style forces pixelated images: keep them smooth
                continue
            if tag == "defs":
                defs.extend(list(child))
            elif tag == "rect" and child.get("width") == "100%":  # the exporter's background: ours is white
                continue
            else:
                group.append(child)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(svg, encoding="utf-8")


def save_svg(root: QWidget, path) -> None:
    from ..data.session_file import write_atomic
    write_atomic(path, widget_svg(root))

