"""Animation files from RGB frames, one frame at a time: GIF (Pillow), MP4 and WebP (PyAV). No Qt.

Frames stream to the file as they come, so a long recording holds one or two frames in memory,
never all of them. A writer takes (height, width, 3) uint8 RGB arrays of one fixed size:

    with open_writer("fit.gif", 1280, 720, fps=10) as writer:
        for rgb in frames:
            writer.add(rgb)
    # the file appears (atomically, renamed from a .part file) when the block ends without error

Why these libraries (measured in the issue 14 report): Pillow (7 MB wheel) writes GIF and is
the standard Python imaging library; PyAV (36 MB wheel, 102 MB installed) carries FFmpeg's
libraries with libx264 and libwebp inside the wheel, so MP4 as H.264 + yuv420p (what PowerPoint
and browsers play) and animated WebP need no system FFmpeg, and it encodes in-process from numpy
arrays. imageio-ffmpeg does the same through a 173 MB ffmpeg executable (68 MB wheel).

A missing library is an ``EncoderMissing`` (a ValueError): one line naming what to install.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

FORMATS = {".gif": "GIF", ".mp4": "MP4 (H.264)", ".webp": "WebP"}
HOLD_SECONDS = 2.0     # the last frame stays this long before the animation loops or ends
MP4_QUALITY = "20"     # x264's constant rate factor: 18-23 is "visually lossless" for plots and text
WEBP_QUALITY = "90"


class EncoderMissing(ValueError):
    """The library that writes this format is not installed."""


def require(suffix: str) -> None:
    """Fail now, with one line, if the format of ``suffix`` cannot be written on this installation."""
    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"an animation must end in {', '.join(FORMATS)}; got {suffix!r}")
    if suffix == ".gif":
        try:
            import PIL.GifImagePlugin  # noqa: F401
        except ImportError:
            raise EncoderMissing("writing GIF needs Pillow, which is not installed (pip install pillow)") from None
        return
    try:
        import av
    except ImportError:
        raise EncoderMissing(f"writing {FORMATS[suffix]} needs PyAV, which is not installed (pip install av)") from None
    codec = _AV_CODECS[suffix][1]
    if codec not in av.codecs_available:
        raise EncoderMissing(f"this PyAV has no {codec} encoder for {FORMATS[suffix]}: install the PyAV wheel "
                             "from PyPI (pip install --force-reinstall av)")


def open_writer(path, width: int, height: int, fps: float, hold_seconds: float = HOLD_SECONDS):
    """A writer for ``path`` (.gif, .mp4 or .webp by its ending) of frames width × height at ``fps``."""
    path = Path(path)
    suffix = path.suffix.lower()
    require(suffix)
    if not (width >= 2 and height >= 2):
        raise ValueError(f"frames must be at least 2x2 pixels; got {width}x{height}")
    if not 0.5 <= fps <= 60:
        raise ValueError(f"fps must lie between 0.5 and 60; got {fps:g}")
    if suffix == ".gif":
        return GifWriter(path, width, height, fps, hold_seconds)
    return AvWriter(path, width, height, fps, hold_seconds)


class _Writer:
    """The shared part: size check, frame count, a .part file renamed into place on success."""

    def __init__(self, path: Path, width: int, height: int, fps: float, hold_seconds: float):
        self.path, self.width, self.height, self.fps, self.hold_seconds = path, width, height, fps, hold_seconds
        self.part = path.with_name(f".{path.stem}.part{path.suffix}")
        self.frames = 0        # frames added (the held last frame counts once)
        self.slot = -1         # the time slot (1 / fps each) of the last frame added
        self.written = 0       # frames in the file so far (a GIF merges identical frames into longer ones)
        self.seconds = 0.0     # how long the frames in the file play, the held last frame included
        self._closed = False

    def add(self, rgb: np.ndarray, slot: int | None = None) -> None:
        """Add a frame, shown from time ``slot`` / fps (default: right after the last one) until the next.

        A frame taken late (the window was busy) gets its true slot, so the one before it lasts longer and the
        animation keeps the speed at which it was recorded."""
        if rgb.shape != (self.height, self.width, 3) or rgb.dtype != np.uint8:
            raise ValueError(f"frame {self.frames + 1} is {rgb.shape[1]}x{rgb.shape[0]} {rgb.dtype}, "
                             f"not {self.width}x{self.height} uint8 RGB")
        slot = self.slot + 1 if slot is None else int(slot)
        if slot <= self.slot:
            raise ValueError(f"frame {self.frames + 1} is at time slot {slot}, not after the last frame's {self.slot}")
        if self.frames:
            self._extend_last(slot - self.slot - 1)
        self._add(np.ascontiguousarray(rgb))
        self.slot = slot
        self.frames += 1

    def close(self) -> Path:
        """Finish the file (hold the last frame) and move it into place; returns its path."""
        if self._closed:
            return self.path
        self._closed = True
        if self.frames == 0:
            self._abort()
            raise ValueError(f"{self.path.name}: no frames were recorded")
        try:
            self._finish()
        except BaseException:
            self._remove_part()
            raise
        os.replace(self.part, self.path)
        return self.path

    def abort(self) -> None:
        """Stop without a file (an error, or the user cancelled)."""
        if not self._closed:
            self._closed = True
            self._abort()

    def _remove_part(self) -> None:
        try:
            self.part.unlink()
        except FileNotFoundError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.close()
        else:
            self.abort()
        return False


class GifWriter(_Writer):
    """An endlessly looping GIF with one fixed palette (``gif_palette``) that keeps the app's colours exact.

    Each frame after the first stores only the rectangle that changed, with unchanged pixels in it
    transparent (disposal "leave in place"), which is what keeps a 10 s plot animation a few MB.
    A frame identical to the one before lengthens that frame instead of adding one. Frames are
    written one behind, so the last can get the hold time.
    """

    def __init__(self, *args):
        super().__init__(*args)
        self.delay_cs = max(2, round(100 / self.fps))   # GIF delays are centiseconds; browsers treat < 2 as 10
        self._file = open(self.part, "wb")  # noqa: SIM115 -- a stream kept open across add() calls, closed by close()
        self._palette = None
        self._previous = None          # (h, w) palette indices of the frame before
        self._previous_rgb = None      # (h, w, 3) the frame before, as given
        self._pending = None           # (indices, (x, y), centiseconds): written when the next frame comes

    def _add(self, rgb: np.ndarray) -> None:
        from .gif_palette import TRANSPARENT, GifPalette
        if self._palette is None:
            self._palette = GifPalette(rgb)
            self._write_header()
            self._previous, self._previous_rgb = self._palette.indices(rgb), rgb
            self._pending = (self._previous.copy(), (0, 0), self.delay_cs)  # _previous changes in place
            return
        # Quantize only the rectangle whose pixels changed (the controls, the axes… mostly do not).
        outer = _changed_box((rgb != self._previous_rgb).any(axis=2))
        self._previous_rgb = rgb
        inner = None
        if outer is not None:
            oy, oy1, ox, ox1 = outer
            indices = self._palette.indices(rgb[oy:oy1, ox:ox1])
            changed = indices != self._previous[oy:oy1, ox:ox1]   # (outer box) palette index changed
            self._previous[oy:oy1, ox:ox1] = indices
            inner = _changed_box(changed)
        if inner is None:  # nothing changed (in the palette's colours): the frame before lasts longer
            frame, offset, delay = self._pending
            self._pending = (frame, offset, delay + self.delay_cs)
            return
        y0, y1, x0, x1 = inner                                       # relative to the outer box
        patch = indices[y0:y1, x0:x1].copy()
        patch[~changed[y0:y1, x0:x1]] = TRANSPARENT
        self._write_pending()
        x0, y0 = ox + x0, oy + y0
        self._pending = (patch, (int(x0), int(y0)), self.delay_cs)

    def _write_header(self) -> None:
        # GIF89a, logical screen, global colour table of 256 (flag 0xF7: table present, 8 bits, 256 entries)
        self._file.write(b"GIF89a" + struct.pack("<HHBBB", self.width, self.height, 0xF7, 0, 0))
        self._file.write(self._palette.bytes())
        self._file.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")  # loop forever
        self._file.flush()

    def _write_pending(self, delay_cs: int | None = None) -> None:
        from PIL import GifImagePlugin, Image

        from .gif_palette import TRANSPARENT
        frame, offset, delay = self._pending
        image = Image.fromarray(frame, "P")
        centiseconds = delay if delay_cs is None else delay_cs
        for chunk in GifImagePlugin.getdata(image, offset, duration=10 * centiseconds, disposal=1,
                                            transparency=TRANSPARENT):
            self._file.write(chunk)
        self.written += 1
        self.seconds += centiseconds / 100
        self._file.flush()  # on disk now: the file grows frame by frame, memory does not

    def _finish(self) -> None:
        frame, offset, delay = self._pending
        self._write_pending(delay + round(100 * self.hold_seconds))
        self._file.write(b";")
        self._file.close()

    def _extend_last(self, slots: int) -> None:
        if slots:
            frame, offset, delay = self._pending
            self._pending = (frame, offset, delay + slots * self.delay_cs)

    def _abort(self) -> None:
        self._file.close()
        self._remove_part()


def _changed_box(changed: np.ndarray):
    """(y0, y1, x0, x1) bounding the True pixels of ``changed`` (h, w), or None if there are none."""
    rows = np.flatnonzero(changed.any(1))
    if rows.size == 0:
        return None
    columns = np.flatnonzero(changed.any(0))
    return int(rows[0]), int(rows[-1]) + 1, int(columns[0]), int(columns[-1]) + 1


_AV_CODECS = {".mp4": ("mp4", "libx264"), ".webp": ("webp", "libwebp_anim")}


class AvWriter(_Writer):
    """MP4 (H.264, yuv420p, fast start: plays in PowerPoint, Keynote and browsers) or animated WebP, by PyAV."""

    def __init__(self, *args):
        super().__init__(*args)
        from fractions import Fraction

        import av
        suffix = self.path.suffix.lower()
        if suffix == ".mp4" and (self.width % 2 or self.height % 2):
            raise ValueError(f"MP4 (H.264, yuv420p) needs an even width and height; the frames are "
                             f"{self.width}x{self.height} pixels (change the size or the scale)")
        muxer, codec = _AV_CODECS[suffix]
        options = {"movflags": "+faststart"} if suffix == ".mp4" else {"loop": "0"}
        self._container = av.open(str(self.part), mode="w", format=muxer, options=options)
        rate = Fraction(self.fps).limit_denominator(1001)
        if suffix == ".mp4":
            stream = self._container.add_stream(codec, rate=rate, options={"crf": MP4_QUALITY, "preset": "medium"})
            stream.pix_fmt = "yuv420p"
        else:
            stream = self._container.add_stream(codec, rate=rate, options={"quality": WEBP_QUALITY})
            stream.pix_fmt = "yuv420p"
        stream.width, stream.height = self.width, self.height
        self._stream = stream
        self._last = None
        self._pts = 0

    def _encode(self, rgb: np.ndarray) -> None:
        import av
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts = self._pts
        self._pts += 1
        self.written, self.seconds = self._pts, self._pts / self.fps
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def _add(self, rgb: np.ndarray) -> None:
        self._encode(rgb)
        self._last = rgb

    def _extend_last(self, slots: int) -> None:
        for _ in range(slots):  # a constant frame rate plays everywhere; x264 makes repeats nearly free
            self._encode(self._last)

    def _finish(self) -> None:
        for _ in range(round(self.hold_seconds * self.fps)):  # the last frame, held (repeats cost next to nothing)
            self._encode(self._last)
        for packet in self._stream.encode(None):  # flush the encoder's delayed frames
            self._container.mux(packet)
        self._container.close()

    def _abort(self) -> None:
        try:
            self._container.close()
        except Exception:  # a half-written container may refuse to close cleanly; it is removed anyway
            pass
        self._remove_part()


__all__ = ["FORMATS", "HOLD_SECONDS", "EncoderMissing", "open_writer", "require"]
