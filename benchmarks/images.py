"""Time the image pipeline on a 24-megapixel upload and measure its peak memory.

Generates a photo-like 6000 × 4000 JPEG in memory (and an illustration-like PNG of
the same size), then runs on each images.processing.check(), what an upload
request does before it stores the file (every check, a JPEG decoded at an eighth
of its size), and images.processing.process(), what the background task does:
validation, normalisation, the master and every WebP and JPEG rendition. Each
run is a fresh Python process, so that its peak memory is its own. Prints, per
input, the time of each (min and median), the peak memory, the master's and each
rendition's size.

Usage: .venv/bin/python -m benchmarks.images [--repeat N] [--no-png]

Two memory figures are printed. Peak RSS (resident set size, from getrusage) is
the honest one: Pillow keeps pixels in memory it allocates itself, which only
the operating system sees. tracemalloc counts Python's own allocations (the
encoded bytes of the master and renditions, buffers), not the decoded pixels.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.common import ROOT, setup_django

# The image settings (DJANGO_IMAGE_*) still come from the environment.
setup_django()

import PIL  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from PIL import Image, ImageChops, ImageDraw  # noqa: E402

from images.processing import (  # noqa: E402
    MASTER_JPEG_QUALITY,
    RENDITION_JPEG_QUALITY,
    RENDITION_WEBP_QUALITY,
    check,
    process,
)

WIDTH, HEIGHT = 6000, 4000
MB = 1024 * 1024


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux counts KiB


def smooth_field(size: tuple[int, int], cells: int, sigma: float) -> Image.Image:
    """Noise at a coarse grid, enlarged: soft shapes and shading, like a scene."""
    coarse = Image.effect_noise(
        (max(2, size[0] // cells), max(2, size[1] // cells)), sigma
    )
    return coarse.resize(size, Image.Resampling.BICUBIC)


def scene(size: tuple[int, int], *, grain: bool) -> Image.Image:
    """Gradients, shapes and texture at every scale; with grain, a photograph's
    sensor noise too, so that it compresses like one."""
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    channels = []
    for turn in (None, Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270):
        gradient = ramp if turn is None else ramp.transpose(turn).resize(size)
        channel = Image.blend(gradient, smooth_field(size, 400, 80), 0.5)
        channel = Image.blend(channel, smooth_field(size, 25, 60), 0.3)
        channels.append(channel)
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = size
    for i in range(40):
        x, y = (i * 7919) % w, (i * 104729) % h
        r = w // 30 + (i * 31) % (w // 12)
        colour = ((i * 53) % 256, (i * 97) % 256, (i * 151) % 256, 90)
        if i % 2:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r // 2)], fill=colour)
    if grain:
        noise = Image.effect_noise(size, 24).convert("RGB")
        image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    return image


INPUTS = {
    "benchmark.jpg": "photo-like JPEG",
    # A photograph saved as PNG would be well over the upload cap; a 24 MP PNG
    # that an editor can upload is artwork: flat areas and soft shading.
    "benchmark.png": "illustration-like PNG",
}


def make_inputs(directory: Path, with_png: bool) -> None:
    """Write the inputs, encoded in memory, to files the runs read."""
    buffer = io.BytesIO()
    scene((WIDTH, HEIGHT), grain=True).save(buffer, "JPEG", quality=92)
    (directory / "benchmark.jpg").write_bytes(buffer.getvalue())
    if with_png:
        buffer = io.BytesIO()
        scene((WIDTH, HEIGHT), grain=False).save(buffer, "PNG", compress_level=6)
        (directory / "benchmark.png").write_bytes(buffer.getvalue())


def worker(path: Path, traced: bool) -> dict:
    """One run of the pipeline, in this (fresh) process."""
    data = path.read_bytes()
    upload = ContentFile(data, name=path.name)
    rss_before = peak_rss_bytes()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    processed = process(upload)
    seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1] if traced else None
    rss_peak = peak_rss_bytes()
    # After the memory figures, which are process()'s own.
    started = time.perf_counter()
    check(ContentFile(data, name=path.name))
    check_seconds = time.perf_counter() - started
    return {
        "check_seconds": check_seconds,
        "seconds": seconds,
        "rss_before": rss_before,
        "rss_peak": rss_peak,
        "python_peak": python_peak,
        "size": [processed.width, processed.height],
        "master": [processed.master_extension, len(processed.master)],
        "renditions": [
            [r.width, r.height, len(r.webp), len(r.jpeg)] for r in processed.renditions
        ],
    }


def child(*args: str) -> str:
    """Run this module in a fresh process and return what it printed.

    This process never decodes an image itself: on Linux a child starts with its
    parent's peak RSS as its own, so a parent holding pixels would mask the
    child's figure.
    """
    command = [sys.executable, "-m", "benchmarks.images", *args]
    return subprocess.run(
        command, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def run(path: Path, traced: bool = False) -> dict:
    return json.loads(child("--worker", str(path), *(["--traced"] if traced else [])))


def size_text(count: int) -> str:
    return f"{count / MB:.1f} MB" if count >= MB else f"{count / 1024:.1f} kB"


def report(label: str, path: Path, repeat: int) -> None:
    with Image.open(path) as image:
        width, height = image.size
    print(
        f"\n{label}: {width} × {height} ({width * height / 1e6:.0f} MP), "
        f"{path.stat().st_size / MB:.1f} MB"
    )
    runs = [run(path) for _ in range(repeat)]
    traced = run(path, traced=True)
    times = [r["seconds"] for r in runs]
    checks = [r["check_seconds"] for r in runs]
    peak = max(r["rss_peak"] for r in runs)
    before = min(r["rss_before"] for r in runs)
    print(
        f"  the background task (process()), per run: min {min(times):.2f} s, "
        f"median {statistics.median(times):.2f} s "
        f"({repeat} {'runs' if repeat > 1 else 'run'})"
    )
    print(
        f"  the upload request's checks (check()): min {min(checks):.2f} s, "
        f"median {statistics.median(checks):.2f} s"
    )
    print(
        f"  peak RSS, the whole process (Pillow's pixel buffers included): "
        f"{peak / MB:.0f} MB, {(peak - before) / MB:.0f} MB above the "
        f"{before / MB:.0f} MB it held before processing"
    )
    print(
        f"  peak traced by tracemalloc (Python allocations only, no pixels): "
        f"{traced['python_peak'] / MB:.1f} MB"
    )
    extension, master_bytes = runs[0]["master"]
    kind = "PNG" if extension == ".png" else "JPEG"
    master_w, master_h = runs[0]["size"]
    print(f"  master: {master_w} × {master_h} {kind}, {size_text(master_bytes)}")
    print("  renditions:")
    for r_width, r_height, webp, jpeg in runs[0]["renditions"]:
        print(
            f"    {f'{r_width} × {r_height}':>12}  WebP {size_text(webp):>9}  "
            f"JPEG {size_text(jpeg):>9}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.images", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="N",
        help="runs per input (%(default)s)",
    )
    parser.add_argument("--no-png", action="store_true", help="skip the PNG input")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--make-inputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.traced)))
        return
    if args.make_inputs:
        make_inputs(args.make_inputs, with_png=not args.no_png)
        return
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    widths = ", ".join(str(w) for w in sorted(settings.IMAGE_RENDITION_WIDTHS))
    print(
        f"images.processing.check() and process() on {platform.machine()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}, "
        f"Pillow {PIL.__version__}"
    )
    print(
        f"Renditions at {widths} px wide (never upscaled), WebP q"
        f"{RENDITION_WEBP_QUALITY} and JPEG q{RENDITION_JPEG_QUALITY}; "
        f"master JPEG q{MASTER_JPEG_QUALITY}. Each run in a fresh process."
    )
    with tempfile.TemporaryDirectory() as directory:
        child("--make-inputs", directory, *(["--no-png"] if args.no_png else []))
        for name, label in INPUTS.items():
            path = Path(directory) / name
            if path.exists():
                report(label, path, args.repeat)


if __name__ == "__main__":
    main()
