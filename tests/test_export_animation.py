"""Animations for slides: the frames' steps, the GIF/MP4/WebP writers and the headless command.

Every file is decoded again (Pillow for GIF and WebP, PyAV for MP4) and checked frame by frame;
nothing here trusts what the writer says it wrote.
"""

import sys

import av
import numpy as np
import pytest
from cli_helpers import exit_status_and_stderr, run_in_process
from PIL import Image

from playground.export import encoders
from playground.export.animation import frame_steps
from playground.export.gif_palette import KEY_COLOURS
from playground.palette import CLASS_COLORS, FIT_RED, POINT_BLUE


def gif_frames(path) -> list[np.ndarray]:
    """Every frame of a GIF as the viewer composes it (RGB), with its duration in ms."""
    image = Image.open(path)
    frames = []
    for i in range(image.n_frames):
        image.seek(i)
        frames.append((np.array(image.convert("RGB")), image.info["duration"]))
    return frames


def mp4_frames(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        codec, pix_fmt = stream.codec_context.name, stream.codec_context.pix_fmt
        return codec, pix_fmt, [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def near(rgb: np.ndarray, colour, tolerance: int = 40) -> np.ndarray:
    """(h, w) bool: pixels within ``tolerance`` of ``colour`` in every channel."""
    return (np.abs(rgb.astype(int) - np.array(colour)).max(axis=2) <= tolerance)


# -- which step each frame shows -------------------------------------------------------------------
def test_even_spacing_runs_from_step_0_to_the_last_step_in_equal_gaps():
    assert frame_steps(3000, 61) == list(range(0, 3001, 50))


def test_log_spacing_gives_equal_ratios_of_1_plus_step():
    # 1 + step doubles every frame: 0, 1, 3, 7, …, 1023 (2**k - 1), the early steps get most frames
    assert frame_steps(1023, 11, log_spacing=True) == [2 ** k - 1 for k in range(11)]


def test_log_spacing_never_shows_a_step_twice_even_when_the_early_steps_crowd():
    steps = frame_steps(100, 60, log_spacing=True)
    assert steps[0] == 0 and steps[-1] == 100 and len(steps) == 60
    assert all(b > a for a, b in zip(steps, steps[1:]))


def test_too_few_steps_for_the_frames_is_refused_by_name():
    with pytest.raises(ValueError, match="--steps 10 is too few for 60 frames"):
        frame_steps(10, 60)


# -- the writers, decoded again --------------------------------------------------------------------
def synthetic_frames(n, width=320, height=200):
    """White frames with a class-1 stripe, a red bar that moves one step per frame and a noise patch."""
    rng = np.random.default_rng(1)
    for i in range(n):
        rgb = np.full((height, width, 3), 255, np.uint8)
        rgb[:, :20] = CLASS_COLORS[1]
        rgb[50:60, 10 * i:10 * i + 40] = FIT_RED
        rgb[120:150, 200:260] = rng.integers(0, 256, (30, 60, 3))
        yield rgb


def test_a_gif_keeps_the_app_colours_exact_and_holds_the_last_frame(tmp_path):
    out = tmp_path / "bars.gif"
    with encoders.open_writer(out, 320, 200, fps=10, hold_seconds=2.0) as writer:
        for rgb in synthetic_frames(12):
            writer.add(rgb)
    frames = gif_frames(out)
    assert len(frames) == 12
    assert all(rgb.shape == (200, 320, 3) for rgb, _ in frames)
    assert [ms for _, ms in frames] == [100] * 11 + [100 + 2000]
    for i, (rgb, _) in enumerate(frames):   # exact, not near: the palette holds these colours
        assert (rgb[50:60, 10 * i:10 * i + 40] == FIT_RED).all()
        assert (rgb[:50, :20] == CLASS_COLORS[1]).all() and (rgb[60:, :20] == CLASS_COLORS[1]).all()
        assert (rgb[50:60, 10 * i + 40:] == 255).all()   # the bar's old place is white again


def test_every_key_colour_comes_back_exactly_from_a_gif(tmp_path):
    strip = np.repeat(np.repeat(np.array(KEY_COLOURS, np.uint8)[None], 20, axis=0), 10, axis=1)  # (20, 10 k, 3)
    noisy = np.random.default_rng(2).integers(0, 256, strip.shape, dtype=np.uint8)
    rgb = np.concatenate([strip, noisy])
    out = tmp_path / "keys.gif"
    with encoders.open_writer(out, rgb.shape[1], rgb.shape[0], fps=10) as writer:
        writer.add(rgb)
    decoded = gif_frames(out)[0][0]
    assert (decoded[:20] == strip).all()
    assert np.abs(decoded[20:].astype(int) - noisy).mean() < 25   # the rest: close, 255 colours for noise


def test_identical_frames_lengthen_one_gif_frame_instead_of_adding_frames(tmp_path):
    still = next(synthetic_frames(1))
    out = tmp_path / "still.gif"
    with encoders.open_writer(out, 320, 200, fps=10, hold_seconds=1.0) as writer:
        for _ in range(5):
            writer.add(still)
    frames = gif_frames(out)
    assert len(frames) == 1 and frames[0][1] == 5 * 100 + 1000


def test_a_frame_given_a_later_time_slot_lengthens_the_one_before(tmp_path):
    frames = list(synthetic_frames(3))
    for kind in ("gif", "mp4"):
        out = tmp_path / f"late.{kind}"
        with encoders.open_writer(out, 320, 200, fps=10, hold_seconds=1.0) as writer:
            for rgb, slot in zip(frames, (0, 1, 5)):     # the third frame came 0.4 s late
                writer.add(rgb, slot)
        if kind == "gif":
            assert [ms for _, ms in gif_frames(out)] == [100, 400, 100 + 1000]
        else:  # a constant frame rate: the second frame repeated, then the last held
            decoded = mp4_frames(out)[2]
            assert len(decoded) == 6 + 10
            red_starts = [int(np.argmax(near(f[55:56], FIT_RED)[0])) for f in decoded]
            assert red_starts[:6] == [0, 10, 10, 10, 10, 20] and set(red_starts[6:]) == {20}
    with pytest.raises(ValueError, match="time slot 5, not after the last frame's 5"):
        writer = encoders.open_writer(tmp_path / "again.gif", 320, 200, fps=10)
        writer.add(frames[0], 5)
        writer.add(frames[1], 5)


def test_the_gif_streams_to_disk_while_frames_come(tmp_path):
    out = tmp_path / "stream.gif"
    writer = encoders.open_writer(out, 320, 200, fps=10)
    sizes = []
    for rgb in synthetic_frames(8):
        writer.add(rgb)
        sizes.append(writer.part.stat().st_size)
    assert not out.exists()                         # it appears only when finished
    assert sizes[-1] > sizes[2] > sizes[0] > 768    # written frame by frame, not held until the end
    writer.close()
    assert out.exists() and not writer.part.exists()


def test_an_mp4_is_h264_yuv420p_with_every_frame_and_the_held_last(tmp_path):
    out = tmp_path / "bars.mp4"
    with encoders.open_writer(out, 320, 200, fps=10, hold_seconds=1.0) as writer:
        for rgb in synthetic_frames(12):
            writer.add(rgb)
    codec, pix_fmt, frames = mp4_frames(out)
    assert (codec, pix_fmt) == ("h264", "yuv420p")
    assert len(frames) == 12 + 10 and all(f.shape == (200, 320, 3) for f in frames)
    for i in (0, 5, 11):                           # lossy, but the moving bar is where it should be
        assert near(frames[i][52:58, 10 * i + 5:10 * i + 35], FIT_RED).mean() > 0.9
    assert near(frames[0][52:58, 100:140], (255, 255, 255), 20).all()
    assert np.abs(frames[-1].astype(int) - frames[11]).mean() < 2  # the hold repeats the last frame


def test_an_mp4_with_an_odd_size_is_refused_with_the_reason(tmp_path):
    with pytest.raises(ValueError, match="even width and height"):
        encoders.open_writer(tmp_path / "odd.mp4", 321, 200, fps=10)


def test_a_webp_has_every_frame(tmp_path):
    out = tmp_path / "bars.webp"
    with encoders.open_writer(out, 320, 200, fps=10) as writer:
        for rgb in synthetic_frames(6):
            writer.add(rgb)
    image = Image.open(out)
    assert image.n_frames == 6 and image.size == (320, 200)
    image.seek(3)
    assert near(np.array(image.convert("RGB"))[52:58, 35:65], FIT_RED).mean() > 0.9


def test_a_failed_recording_leaves_no_file(tmp_path):
    out = tmp_path / "broken.gif"
    with pytest.raises(ValueError, match="frame 2 is 100x100"), encoders.open_writer(out, 320, 200, fps=10) as writer:
        writer.add(next(synthetic_frames(1)))
        writer.add(np.zeros((100, 100, 3), np.uint8))
    assert list(tmp_path.iterdir()) == []


def test_a_missing_encoder_is_one_line_naming_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "av", None)   # as if PyAV were not installed
    with pytest.raises(encoders.EncoderMissing, match=r"^writing MP4 \(H.264\) needs PyAV.*pip install av\)$"):
        encoders.require(".mp4")


# -- the headless command ---------------------------------------------------------------------------


def fit_pixels(rgb) -> np.ndarray:
    return near(rgb, FIT_RED, 30)


def test_headless_gif_shows_the_fit_forming_in_frames_of_the_asked_size(tmp_path, capfd, qapp):
    # (qapp: this export builds the real window, so tests/conftest.py puts it in the slow tier)
    out = tmp_path / "sin.gif"
    code, _, stderr = run_in_process(capfd, "export", "--preset", "bishop-sin", "--steps", "1500", "--frames", "6",
                                     "--view", "plots", "--size", "800x500", "--out", str(out))
    assert code == 0, stderr
    assert "frames 6/6" in stderr and "ETA" in stderr     # the progress bar
    frames = gif_frames(out)
    assert len(frames) == 6 and all(rgb.shape == (500, 800, 3) for rgb, _ in frames)
    first, last = fit_pixels(frames[0][0]), fit_pixels(frames[-1][0])
    assert first.sum() > 300 and last.sum() > 300                       # a red fit in both
    assert (first ^ last).sum() > 0.5 * last.sum()                      # …in a different place: it moved
    # the fit has formed: in the fit plot (the left 55% of the plots) the red curve spans the sine's rows, while the
    # untrained fit is nearly flat (10th-90th percentile over columns of the column's mean red row: the legend's
    # short sample line is under 10% of the columns)
    def spread(mask):
        columns = [np.flatnonzero(mask[:, x]).mean() for x in range(440) if mask[:, x].any()]
        return np.percentile(columns, 90) - np.percentile(columns, 10)
    blue = near(frames[-1][0], POINT_BLUE, 30)
    assert spread(last) > 0.6 * spread(blue) > 0
    assert spread(first) < 0.25 * spread(blue)


def test_headless_mp4_plays_as_h264_with_every_frame_at_the_asked_size(tmp_path, capfd, qapp):
    # (qapp: this export builds the real window, so tests/conftest.py puts it in the slow tier)
    out = tmp_path / "sin.mp4"
    code, stdout, stderr = run_in_process(capfd, "export", "--preset", "bishop-sin", "--steps", "900", "--fps", "5",
                                          "--seconds", "1", "--log-spacing", "--view", "plots", "--size", "640x480",
                                          "--scale", "1.5", "--out", str(out))
    assert code == 0, stderr
    assert "5 frames at 5 fps" in stdout
    codec, pix_fmt, frames = mp4_frames(out)
    assert (codec, pix_fmt) == ("h264", "yuv420p")
    assert len(frames) == 5 + 10 and all(f.shape == (720, 960, 3) for f in frames)   # 5 + 2 s held at 5 fps
    first, last = fit_pixels(frames[0]), fit_pixels(frames[4])
    assert last.sum() > 300 and (first ^ last).sum() > 0.5 * last.sum()


def test_headless_animation_errors_are_one_line(tmp_path, capfd, monkeypatch):
    cases = [(("--steps", "10", "--frames", "60"), "--steps 10 is too few for 60 frames"),
             (("--steps", "100", "--frames", "5", "--seconds", "2"), "give --frames or --seconds, not both"),
             (("--steps", "100", "--size", "961x540"), "MP4 (H.264, yuv420p) needs an even width and height"),
             (("--steps", "0",), "an animation shows training: give --steps N")]
    for args, message in cases:
        code, err = exit_status_and_stderr(capfd, "export", "--preset", "xor", *args, "--out", str(tmp_path / "out.mp4"))
        assert code == 2 and err.count("\n") == 1, err
        assert message in err and "Traceback" not in err
    monkeypatch.setitem(sys.modules, "av", None)  # PyAV not installed
    code, err = exit_status_and_stderr(capfd, "export", "--preset", "xor", "--steps", "100",
                                        "--out", str(tmp_path / "out.mp4"))
    assert code == 2 and err.count("\n") == 1, err
    assert "writing MP4 (H.264) needs PyAV" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
