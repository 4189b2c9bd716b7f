"""Demo pictures for Jung_E: a poster, stills, portraits and the teaser video.

Every picture is drawn here with Pillow from gradients and shapes; no photograph
or artwork from elsewhere is used. The drawings evoke what the demo facts say the
real images show (a laboratory of 2194 with camera rigs, the cast and crew at work,
a robot head on the floor with the name Jung-E on it, the ruined shelter city, the
mother and daughter), and their alt text says plainly that they are illustrations.

Each picture goes through the same pipeline as an editor's upload (validation,
re-encoding, renditions), by assigning the drawing as a PNG to ``image`` and saving.

Like the other demo loaders this one only adds what is missing: a still is looked
up by its film and position, a portrait by its person, the teaser by its film and
kind. What exists is never changed, so staff edits and replaced images survive a
rerun. On a rerun (``load_demo --force``; a plain ``load_demo`` leaves a database
that has the demo alone) a deleted demo still comes back, as any deleted demo row
does, except the poster: it is drawn again only while the film has no poster at all.

The stills have roles (``DemoPictures.stills`` is keyed by them): ``poster``,
``laboratory``, ``on_set``, ``robot_head``, ``shelter_city``,
``mother_and_daughter`` and ``awakening`` (the moment the teaser ends on).
"""

from __future__ import annotations

import datetime
import io
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from catalog.models import Film, Person, Portrait, Still, Video
from images import files

FILM_SLUG = "jung-e"
# The demo draws at the real sizes; a test suite that loads the demo often can
# set a fraction to stay fast.
SCALE = 1.0
# Drawn by us, so credited to us: the captions name the Netflix still each
# illustration stands in for.
STILL_CREDIT = "Filmsite illustration"
PORTRAIT_CREDIT = "Filmsite illustration"

Colour = tuple[int, int, int]
Point = tuple[float, float]
Fill = Colour | Image.Image


# Drawing helpers. Scenes are drawn at any size: every coordinate is worked out
# from the canvas width and height, so a smaller scale draws the same picture.


def vertical_gradient(
    size: tuple[int, int], top: Colour, bottom: Colour
) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(
        Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask
    )


def horizontal_gradient(
    size: tuple[int, int], left: Colour, right: Colour
) -> Image.Image:
    mask = (
        Image.linear_gradient("L")
        .transpose(Image.Transpose.ROTATE_90)
        .resize(size, Image.Resampling.BILINEAR)
    )
    return Image.composite(
        Image.new("RGB", size, left), Image.new("RGB", size, right), mask
    )


@cache
def _falloff(power: float) -> Image.Image:
    """A 256×256 disc, opaque at the centre and clear at its rim."""
    # radial_gradient() reaches 181 at the middle of each edge, 255 in the corners.
    return Image.radial_gradient("L").point(
        lambda v: round(255 * max(0.0, 1 - v / 181) ** power)
    )


def glow(
    image: Image.Image,
    centre: Point,
    radius: float,
    colour: Colour,
    strength: float = 1.0,
    power: float = 2.0,
    squash: float = 1.0,
) -> None:
    """A soft round light (``squash`` < 1 flattens it into an ellipse)."""
    rx = max(1, round(radius))
    ry = max(1, round(radius * squash))
    mask = _falloff(power).resize((2 * rx, 2 * ry), Image.Resampling.BILINEAR)
    if strength < 1:
        mask = mask.point(lambda v: round(v * strength))
    box = (round(centre[0] - rx), round(centre[1] - ry))
    image.paste(colour, (*box, box[0] + mask.width, box[1] + mask.height), mask)


def vignette(image: Image.Image, strength: float = 0.6) -> None:
    mask = (
        Image.radial_gradient("L")
        .point(
            lambda v: round(255 * strength * min(1.0, max(0.0, v - 90) / 165) ** 1.5)
        )
        .resize(image.size, Image.Resampling.BILINEAR)
    )
    image.paste((0, 0, 0), (0, 0, *image.size), mask)


def font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: the drawings look the same on every machine.
    return ImageFont.load_default(max(1, round(size)))


class Shapes:
    """Shapes drawn onto a mask twice the canvas size, so their edges are smooth,
    then painted onto the canvas in one colour (or through another image)."""

    SUPERSAMPLE = 2

    def __init__(self, size: tuple[int, int]):
        self.size = size
        s = self.SUPERSAMPLE
        self._mask = Image.new("L", (size[0] * s, size[1] * s), 0)
        self._draw = ImageDraw.Draw(self._mask)

    def _xy(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        s = self.SUPERSAMPLE
        return [(x * s, y * s) for x, y in points]

    def ellipse(self, centre: Point, rx: float, ry: float, fill: int = 255) -> None:
        (x, y), s = centre, self.SUPERSAMPLE
        self._draw.ellipse(
            ((x - rx) * s, (y - ry) * s, (x + rx) * s, (y + ry) * s), fill=fill
        )

    def polygon(self, points: Sequence[Point], fill: int = 255) -> None:
        self._draw.polygon(self._xy(points), fill=fill)

    def rectangle(
        self, box: tuple[float, float, float, float], fill: int = 255, radius: float = 0
    ) -> None:
        s = self.SUPERSAMPLE
        scaled = tuple(v * s for v in box)
        if radius:
            self._draw.rounded_rectangle(scaled, radius=radius * s, fill=fill)
        else:
            self._draw.rectangle(scaled, fill=fill)

    def line(self, points: Sequence[Point], width: float, fill: int = 255) -> None:
        """A stroke with round ends and joints: arms, legs, cables, poles."""
        self._draw.line(
            self._xy(points),
            fill=fill,
            width=max(1, round(width * self.SUPERSAMPLE)),
            joint="curve",
        )
        for point in (points[0], points[-1]):
            self.ellipse(point, width / 2, width / 2, fill)

    def arc(
        self,
        centre: Point,
        rx: float,
        ry: float,
        start: float,
        end: float,
        width: float,
        fill: int = 255,
    ) -> None:
        (x, y), s = centre, self.SUPERSAMPLE
        self._draw.arc(
            ((x - rx) * s, (y - ry) * s, (x + rx) * s, (y + ry) * s),
            start,
            end,
            fill=fill,
            width=max(1, round(width * s)),
        )

    def text(
        self,
        xy: Point,
        text: str,
        size: float,
        fill: int = 255,
        anchor: str = "mm",
        bold: float = 0,
        spacing: float = 0,
    ) -> None:
        s = self.SUPERSAMPLE
        face = font(size * s)
        if not spacing:
            self._draw.text(
                (xy[0] * s, xy[1] * s),
                text,
                font=face,
                fill=fill,
                anchor=anchor,
                stroke_width=round(bold * s),
                stroke_fill=fill,
            )
            return
        # Letter-spaced capitals, as on a poster: one glyph at a time.
        widths = [face.getlength(char) + spacing * s for char in text]
        total = sum(widths) - spacing * s
        x = xy[0] * s - total / 2
        for char, advance in zip(text, widths, strict=True):
            self._draw.text(
                (x, xy[1] * s),
                char,
                font=face,
                fill=fill,
                anchor="lm",
                stroke_width=round(bold * s),
                stroke_fill=fill,
            )
            x += advance

    def mask(self) -> Image.Image:
        return self._mask.reduce(self.SUPERSAMPLE)

    def paint(self, image: Image.Image, fill: Fill, opacity: float = 1.0) -> None:
        mask = self.mask()
        if opacity < 1:
            mask = mask.point(lambda v: round(v * opacity))
        image.paste(fill, (0, 0, *self.size), mask)


def figure(
    shapes: Shapes,
    x: float,
    ground: float,
    height: float,
    *,
    hair: str = "short",
    coat: bool = False,
    right_hand: Point | None = None,
    left_hand: Point | None = None,
) -> dict[str, Point]:
    """A standing person seen from the front, as a silhouette.

    ``hair`` is short, long, bun, ponytail or cap. Hands are absolute points; by
    default the arms hang down. Returns where the head and eyes are, for details
    drawn on top.
    """
    h = height
    top = ground - h
    head = (x, top + 0.07 * h)
    shapes.ellipse(head, 0.052 * h, 0.068 * h)
    shapes.rectangle((x - 0.024 * h, top + 0.11 * h, x + 0.024 * h, top + 0.2 * h))
    shapes.ellipse((x, top + 0.215 * h), 0.125 * h, 0.045 * h)
    shapes.polygon(
        [
            (x - 0.125 * h, top + 0.215 * h),
            (x + 0.125 * h, top + 0.215 * h),
            (x + 0.092 * h, top + 0.53 * h),
            (x - 0.092 * h, top + 0.53 * h),
        ]
    )
    for side in (-1, 1):
        shapes.line(
            [
                (x + side * 0.052 * h, top + 0.5 * h),
                (x + side * 0.06 * h, ground - 0.025 * h),
            ],
            0.078 * h,
        )
        shapes.ellipse((x + side * 0.07 * h, ground - 0.015 * h), 0.05 * h, 0.018 * h)
    if coat:
        shapes.polygon(
            [
                (x - 0.125 * h, top + 0.23 * h),
                (x + 0.125 * h, top + 0.23 * h),
                (x + 0.15 * h, top + 0.78 * h),
                (x - 0.15 * h, top + 0.78 * h),
            ]
        )
    shoulders = {
        -1: (x - 0.118 * h, top + 0.235 * h),
        1: (x + 0.118 * h, top + 0.235 * h),
    }
    for side, hand in ((-1, left_hand), (1, right_hand)):
        shoulder = shoulders[side]
        if hand is None:
            elbow = (x + side * 0.145 * h, top + 0.38 * h)
            hand = (x + side * 0.135 * h, top + 0.52 * h)
        else:
            # The elbow drops below the straight line from shoulder to hand.
            elbow = (
                (shoulder[0] + hand[0]) / 2 + side * 0.02 * h,
                (shoulder[1] + hand[1]) / 2 + 0.06 * h,
            )
        shapes.line([shoulder, elbow, hand], 0.052 * h)
        shapes.ellipse(hand, 0.03 * h, 0.033 * h)
    if hair == "long":
        shapes.ellipse((x, top + 0.06 * h), 0.064 * h, 0.074 * h)
        shapes.polygon(
            [
                (x - 0.064 * h, top + 0.06 * h),
                (x + 0.064 * h, top + 0.06 * h),
                (x + 0.075 * h, top + 0.25 * h),
                (x - 0.075 * h, top + 0.25 * h),
            ]
        )
    elif hair == "bun":
        shapes.ellipse((x, top + 0.055 * h), 0.058 * h, 0.06 * h)
        shapes.ellipse((x, top - 0.012 * h), 0.034 * h, 0.03 * h)
    elif hair == "ponytail":
        shapes.ellipse((x, top + 0.058 * h), 0.058 * h, 0.062 * h)
        shapes.line(
            [(x + 0.04 * h, top + 0.03 * h), (x + 0.085 * h, top + 0.17 * h)], 0.03 * h
        )
    elif hair == "cap":
        shapes.ellipse((x, top + 0.035 * h), 0.062 * h, 0.045 * h)
        shapes.ellipse((x + 0.03 * h, top + 0.05 * h), 0.085 * h, 0.014 * h)
    return {
        "head": head,
        "left_eye": (x - 0.02 * h, top + 0.068 * h),
        "right_eye": (x + 0.02 * h, top + 0.068 * h),
        "chest": (x, top + 0.32 * h),
    }


def android_details(
    image: Image.Image, at: dict[str, Point], height: float, colour: Colour
) -> None:
    """The glowing seams and one lit eye of the combat android's armour."""
    h = height
    seams = Shapes(image.size)
    cx, cy = at["chest"]
    seams.line(
        [(cx - 0.08 * h, cy - 0.06 * h), (cx, cy), (cx + 0.08 * h, cy - 0.06 * h)],
        0.006 * h,
    )
    seams.ellipse((cx, cy), 0.016 * h, 0.016 * h)
    for y in (0.17, 0.195):
        seams.line(
            [(cx - 0.085 * h, cy + y * h), (cx + 0.085 * h, cy + y * h)], 0.005 * h
        )
    seams.paint(image, colour)
    glow(image, at["right_eye"], 0.05 * h, colour, strength=0.8)
    glow(image, at["right_eye"], 0.012 * h, (235, 255, 255), power=1.2)
    glow(image, (cx, cy), 0.05 * h, colour, strength=0.5)


def camera_rig(
    shapes: Shapes, x: float, ground: float, height: float, facing: int = 1
) -> None:
    """A cinema camera on a tripod; ``facing`` is 1 for right, -1 for left."""
    h = height
    head_y = ground - 0.62 * h
    for dx in (-0.22, 0.0, 0.22):
        shapes.line([(x, head_y), (x + dx * h, ground)], 0.018 * h)
    shapes.rectangle(
        (x - 0.2 * h, head_y - 0.22 * h, x + 0.2 * h, head_y), radius=0.03 * h
    )
    lens_x = x + facing * 0.2 * h
    shapes.rectangle(
        (
            min(lens_x, lens_x + facing * 0.16 * h),
            head_y - 0.18 * h,
            max(lens_x, lens_x + facing * 0.16 * h),
            head_y - 0.05 * h,
        ),
        radius=0.02 * h,
    )
    shapes.ellipse(
        (lens_x + facing * 0.17 * h, head_y - 0.115 * h), 0.03 * h, 0.085 * h
    )
    shapes.rectangle(
        (x - 0.14 * h, head_y - 0.32 * h, x + 0.08 * h, head_y - 0.22 * h),
        radius=0.02 * h,
    )
    shapes.line(
        [
            (x - facing * 0.2 * h, head_y - 0.05 * h),
            (x - facing * 0.42 * h, head_y + 0.08 * h),
        ],
        0.02 * h,
    )


def light_stand(
    image: Image.Image,
    shapes: Shapes,
    x: float,
    ground: float,
    height: float,
    colour: Colour,
) -> None:
    """A softbox on a stand; its face glows."""
    h = height
    top = ground - h
    shapes.line([(x, top + 0.2 * h), (x, ground - 0.12 * h)], 0.02 * h)
    for dx in (-0.14, 0.14):
        shapes.line([(x, ground - 0.12 * h), (x + dx * h, ground)], 0.016 * h)
    face = Shapes(image.size)
    face.rectangle((x - 0.16 * h, top, x + 0.16 * h, top + 0.22 * h), radius=0.01 * h)
    glow(image, (x, top + 0.11 * h), 0.7 * h, colour, strength=0.55, power=2.2)
    face.paint(image, (255, 250, 238))


def floor_grid(
    image: Image.Image, horizon: float, vanishing_x: float, colour: Colour, opacity: int
) -> None:
    w, h = image.size
    draw = ImageDraw.Draw(image, "RGBA")
    line_width = max(1, round(h / 500))
    for i in range(-14, 15):
        bottom_x = vanishing_x + i * w * 0.12
        draw.line(
            [(vanishing_x + i * w * 0.005, horizon), (bottom_x, h)],
            fill=(*colour, opacity),
            width=line_width,
        )
    depth = 1.0
    while True:
        y = horizon + (h - horizon) / depth
        if y - horizon < h * 0.01:
            break
        draw.line([(0, y), (w, y)], fill=(*colour, opacity), width=line_width)
        depth *= 1.45


def to_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


# The pictures.


def draw_poster(w: int, h: int) -> Image.Image:
    image = vertical_gradient((w, h), (96, 10, 22), (6, 4, 10))
    glow(image, (0.5 * w, 0.36 * h), 0.62 * w, (236, 92, 54), strength=0.75, power=1.6)
    glow(image, (0.5 * w, 0.36 * h), 0.3 * w, (255, 196, 140), strength=0.8, power=1.4)

    rng = random.Random("poster")
    city = Shapes((w, h))
    x = 0.0
    while x < w:
        width = rng.uniform(0.04, 0.1) * w
        top = rng.uniform(0.5, 0.62) * h
        broken = top + rng.uniform(0.0, 0.04) * h
        city.polygon(
            [
                (x, h),
                (x, top),
                (x + width * 0.6, broken),
                (x + width, top + 0.01 * h),
                (x + width, h),
            ]
        )
        x += width * rng.uniform(0.85, 1.1)
    city.paint(image, (38, 8, 16))

    bust = Shapes((w, h))
    cx = 0.5 * w
    bust.ellipse((cx, 0.33 * h), 0.155 * w, 0.2 * w)
    bust.rectangle((cx - 0.07 * w, 0.4 * h, cx + 0.07 * w, 0.52 * h))
    bust.ellipse((cx, 0.62 * h), 0.42 * w, 0.12 * h)
    bust.rectangle((cx - 0.42 * w, 0.62 * h, cx + 0.42 * w, h))
    bust.paint(image, vertical_gradient((w, h), (24, 20, 28), (4, 4, 8)))

    # Cables hang from the back of the head down behind the shoulders.
    cables = Shapes((w, h))
    for i, dx in enumerate((-0.12, -0.06, 0.07, 0.13)):
        sway = (-1) ** i * 0.04 * w
        cables.line(
            [
                (cx + dx * w, 0.4 * h),
                (cx + dx * 1.6 * w + sway, 0.5 * h),
                (cx + dx * 2.6 * w, 0.6 * h),
            ],
            0.012 * w,
        )
    cables.paint(image, (14, 12, 18))

    visor = Shapes((w, h))
    visor.rectangle(
        (cx - 0.12 * w, 0.315 * h, cx + 0.12 * w, 0.328 * h), radius=0.006 * w
    )
    glow(image, (cx, 0.322 * h), 0.3 * w, (60, 220, 240), strength=0.55, squash=0.25)
    visor.paint(image, (170, 250, 255))
    glow(image, (cx + 0.05 * w, 0.322 * h), 0.02 * w, (240, 255, 255), power=1.2)

    words = Shapes((w, h))
    words.text((cx, 0.76 * h), "A FILM BY YEON SANG-HO", 0.022 * w, spacing=0.008 * w)
    words.text((cx, 0.84 * h), "JUNG_E", 0.2 * w, bold=0.006 * w, spacing=0.012 * w)
    words.text(
        (cx, 0.93 * h), "ON NETFLIX  20 JANUARY 2023", 0.022 * w, spacing=0.008 * w
    )
    words.paint(image, (246, 240, 236))
    vignette(image, 0.5)
    return image


def draw_laboratory(w: int, h: int) -> Image.Image:
    horizon = 0.6 * h
    image = vertical_gradient((w, h), (8, 16, 24), (22, 46, 58))
    floor = vertical_gradient((w, h), (26, 36, 44), (6, 8, 12))
    image.paste(floor.crop((0, round(horizon), w, h)), (0, round(horizon)))
    floor_grid(image, horizon, 0.5 * w, (90, 210, 230), 40)

    # Screens along the back wall, full of scrolling read-outs, and a brain scan.
    rng = random.Random("laboratory")
    draw = ImageDraw.Draw(image, "RGBA")
    for left in (0.08, 0.36, 0.64):
        box = (left * w, 0.16 * h, (left + 0.28) * w, 0.5 * h)
        glow(
            image,
            ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2),
            0.2 * w,
            (40, 150, 170),
            0.5,
        )
        draw.rounded_rectangle(
            box,
            radius=0.006 * w,
            fill=(12, 40, 52, 230),
            outline=(110, 230, 240, 200),
            width=max(1, round(w / 800)),
        )
        if left == 0.36:
            centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            for r in range(1, 6):
                ring = r * 0.018 * w
                draw.ellipse(
                    (
                        centre[0] - ring * 1.2,
                        centre[1] - ring,
                        centre[0] + ring * 1.2,
                        centre[1] + ring,
                    ),
                    outline=(120, 240, 255, 150 - r * 18),
                    width=max(1, round(w / 900)),
                )
            for _ in range(9):
                points = [
                    (
                        centre[0] + rng.uniform(-0.1, 0.1) * w,
                        centre[1] + rng.uniform(-0.1, 0.1) * h,
                    )
                    for _ in range(4)
                ]
                draw.line(
                    points, fill=(250, 190, 120, 140), width=max(1, round(w / 1000))
                )
        else:
            y = box[1] + 0.03 * h
            while y < box[3] - 0.02 * h:
                length = rng.uniform(0.05, 0.22) * w
                draw.line(
                    [(box[0] + 0.015 * w, y), (box[0] + 0.015 * w + length, y)],
                    fill=(140, 240, 250, 150),
                    width=max(1, round(h / 300)),
                )
                y += 0.026 * h

    # The platform in the middle, the android held up by cables from the ceiling.
    ring = Shapes((w, h))
    ring.ellipse((0.5 * w, 0.8 * h), 0.16 * w, 0.045 * h)
    ring.ellipse((0.5 * w, 0.8 * h), 0.145 * w, 0.036 * h, fill=0)
    glow(image, (0.5 * w, 0.8 * h), 0.22 * w, (70, 200, 230), strength=0.5, squash=0.3)
    ring.paint(image, (150, 245, 255))
    android = Shapes((w, h))
    android_height = 0.5 * h
    at = figure(
        android,
        0.5 * w,
        0.8 * h,
        android_height,
        hair="ponytail",
        right_hand=(0.58 * w, 0.52 * h),
        left_hand=(0.42 * w, 0.52 * h),
    )
    for dx in (-0.03, 0.0, 0.03):
        android.line(
            [(0.5 * w + dx * w, 0), (0.5 * w + dx * 0.6 * w, 0.3 * h + abs(dx) * h)],
            0.004 * w,
        )
    android.paint(image, (16, 22, 28))
    android_details(image, at, android_height, (90, 230, 255))

    # Two camera rigs and their lights, with a camera operator at the left one.
    rigs = Shapes((w, h))
    camera_rig(rigs, 0.2 * w, 0.97 * h, 0.42 * h, facing=1)
    camera_rig(rigs, 0.82 * w, 0.92 * h, 0.36 * h, facing=-1)
    figure(rigs, 0.1 * w, 0.99 * h, 0.5 * h, hair="cap")
    light_stand(image, rigs, 0.93 * w, 0.8 * h, 0.55 * h, (255, 230, 200))
    light_stand(image, rigs, 0.05 * w, 0.74 * h, 0.45 * h, (200, 230, 255))
    rigs.paint(image, (6, 8, 10))
    vignette(image, 0.55)
    return image


def draw_on_set(w: int, h: int) -> Image.Image:
    image = vertical_gradient((w, h), (34, 30, 36), (12, 10, 12))
    floor_grid(image, 0.62 * h, 0.55 * w, (255, 220, 180), 22)
    # The lit set in the middle: the actors stand in a pool of warm light.
    glow(
        image, (0.55 * w, 0.55 * h), 0.42 * w, (255, 196, 130), strength=0.85, power=1.5
    )
    glow(image, (0.55 * w, 0.5 * h), 0.18 * w, (255, 240, 210), strength=0.7, power=1.3)
    glow(
        image, (0.55 * w, 0.86 * h), 0.3 * w, (255, 210, 160), strength=0.6, squash=0.25
    )

    actors = Shapes((w, h))
    actor_height = 0.56 * h
    android_at = figure(actors, 0.48 * w, 0.86 * h, actor_height, hair="ponytail")
    figure(
        actors,
        0.6 * w,
        0.87 * h,
        actor_height * 0.97,
        hair="bun",
        coat=True,
        right_hand=(0.66 * w, 0.55 * h),
    )
    figure(actors, 0.71 * w, 0.85 * h, actor_height * 1.04, hair="short")
    actors.paint(image, (40, 30, 30))
    android_details(image, android_at, actor_height, (110, 235, 255))

    crew = Shapes((w, h))
    # Director in a cap beside the monitor, pointing at the set.
    figure(
        crew, 0.16 * w, 1.02 * h, 0.74 * h, hair="cap", right_hand=(0.26 * w, 0.48 * h)
    )
    crew.line([(0.06 * w, 0.62 * h), (0.06 * w, 1.0 * h)], 0.008 * w)
    crew.rectangle((0.0, 0.44 * h, 0.12 * w, 0.62 * h), radius=0.006 * w)
    # Camera operator on a dolly, and the dolly track.
    camera_rig(crew, 0.88 * w, 0.97 * h, 0.5 * h, facing=-1)
    figure(
        crew, 0.96 * w, 1.03 * h, 0.7 * h, hair="short", left_hand=(0.9 * w, 0.6 * h)
    )
    crew.rectangle((0.3 * w, 0.965 * h, w, 0.98 * h))
    # Boom operator with the microphone held over the actors.
    figure(
        crew,
        0.34 * w,
        1.0 * h,
        0.68 * h,
        hair="long",
        right_hand=(0.4 * w, 0.3 * h),
        left_hand=(0.38 * w, 0.38 * h),
    )
    crew.line([(0.36 * w, 0.42 * h), (0.63 * w, 0.13 * h)], 0.006 * w)
    crew.ellipse((0.64 * w, 0.14 * h), 0.03 * w, 0.012 * w)
    light_stand(image, crew, 0.03 * w, 0.8 * h, 0.6 * h, (255, 240, 220))
    crew.paint(image, (8, 7, 8))
    # The monitor's picture.
    monitor = Shapes((w, h))
    monitor.rectangle((0.01 * w, 0.455 * h, 0.11 * w, 0.605 * h))
    monitor.paint(image, horizontal_gradient((w, h), (60, 120, 140), (180, 150, 120)))
    vignette(image, 0.6)
    return image


LYING_ANGLE = -72  # degrees, counter-clockwise


def draw_robot_head(w: int, h: int) -> Image.Image:
    horizon = 0.3 * h
    image = vertical_gradient((w, h), (14, 16, 20), (40, 42, 46))
    floor = vertical_gradient((w, h), (52, 54, 58), (22, 22, 26))
    image.paste(floor.crop((0, round(horizon), w, h)), (0, round(horizon)))
    floor_grid(image, horizon, 0.5 * w, (200, 200, 200), 18)
    glow(
        image, (0.5 * w, 0.66 * h), 0.5 * w, (220, 220, 210), strength=0.45, squash=0.5
    )

    tape = Shapes((w, h))
    tape.line([(0.12 * w, 0.8 * h), (0.2 * w, 0.9 * h)], 0.012 * w)
    tape.line([(0.2 * w, 0.8 * h), (0.12 * w, 0.9 * h)], 0.012 * w)
    tape.paint(image, (210, 190, 60))

    # The head is drawn upright on its own canvas, then laid on its side.
    size = round(0.5 * w)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    skull = Shapes((size, size))
    skull.ellipse((0.5 * size, 0.45 * size), 0.3 * size, 0.36 * size)
    skull.rectangle(
        (0.36 * size, 0.7 * size, 0.64 * size, 0.9 * size), radius=0.03 * size
    )
    metal = horizontal_gradient((size, size), (190, 196, 204), (70, 76, 86))
    canvas.paste(metal, (0, 0), skull.mask())
    plates = Shapes((size, size))
    plates.line([(0.36 * size, 0.78 * size), (0.64 * size, 0.78 * size)], 0.006 * size)
    plates.line([(0.36 * size, 0.84 * size), (0.64 * size, 0.84 * size)], 0.006 * size)
    canvas.paste((40, 44, 52), (0, 0), plates.mask())
    visor = Shapes((size, size))
    visor.rectangle(
        (0.24 * size, 0.4 * size, 0.76 * size, 0.53 * size), radius=0.05 * size
    )
    canvas.paste((10, 14, 20), (0, 0), visor.mask())
    eye = Image.new("RGB", (size, size), (0, 0, 0))
    glow(eye, (0.62 * size, 0.465 * size), 0.09 * size, (80, 230, 255), power=1.5)
    glow(eye, (0.62 * size, 0.465 * size), 0.02 * size, (240, 255, 255), power=1.0)
    canvas.paste(eye, (0, 0), eye.convert("L").point(lambda v: min(255, v * 3)))
    # The name is written across the crown so that it reads level once the head
    # is laid down: drawn level, turned the other way, then placed.
    name = Shapes((round(0.32 * size), round(0.1 * size)))
    name.text((0.16 * size, 0.05 * size), "JUNG-E", 0.062 * size, bold=0.003 * size)
    turned = name.mask().rotate(
        -LYING_ANGLE, resample=Image.Resampling.BICUBIC, expand=True
    )
    canvas.paste(
        (150, 24, 28),
        (round(0.58 * size - turned.width / 2), round(0.23 * size - turned.height / 2)),
        turned,
    )
    # Loose cables spilling out of the neck.
    cables = Shapes((size, size))
    for i, (dx, end) in enumerate(
        ((-0.08, (0.3, 1.0)), (0.0, (0.55, 1.0)), (0.08, (0.8, 0.98)))
    ):
        cables.line(
            [
                (0.5 * size + dx * size, 0.88 * size),
                (0.5 * size + dx * 2 * size, 0.94 * size),
                (end[0] * size, end[1] * size),
            ],
            (0.02 + 0.004 * i) * size,
        )
    canvas.paste((20, 20, 24), (0, 0), cables.mask())
    alpha = Image.new("L", (size, size), 0)
    alpha.paste(skull.mask(), (0, 0), skull.mask())
    alpha.paste(cables.mask(), (0, 0), cables.mask())
    canvas.putalpha(alpha)
    lying = canvas.rotate(LYING_ANGLE, resample=Image.Resampling.BICUBIC, expand=True)

    at = (round(0.5 * w - lying.width / 2), round(0.62 * h - lying.height / 2))
    shadow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(shadow).ellipse((0.24 * w, 0.66 * h, 0.78 * w, 0.86 * h), fill=200)
    shadow = shadow.filter(ImageFilter.GaussianBlur(0.03 * w))
    image.paste((4, 4, 6), (0, 0), shadow)
    image.paste(lying, at, lying)

    # The feet of a camera tripod at the edge of the frame.
    rig = Shapes((w, h))
    rig.line([(0.9 * w, 0.0), (0.84 * w, 0.55 * h)], 0.012 * w)
    rig.line([(0.93 * w, 0.0), (0.98 * w, 0.6 * h)], 0.012 * w)
    rig.paint(image, (10, 10, 12))
    vignette(image, 0.6)
    return image


def draw_shelter_city(w: int, h: int) -> Image.Image:
    image = vertical_gradient((w, h), (34, 26, 44), (222, 128, 70))
    glow(image, (0.7 * w, 0.62 * h), 0.45 * w, (250, 170, 100), strength=0.7, power=1.6)
    glow(image, (0.7 * w, 0.6 * h), 0.05 * w, (255, 236, 200), power=1.1)
    rng = random.Random("shelter city")

    for layer, (base, tone) in enumerate(
        (((0.5, 0.66), (150, 92, 80)), ((0.58, 0.78), (72, 44, 52)))
    ):
        towers = Shapes((w, h))
        x = -0.02 * w
        while x < w:
            width = rng.uniform(0.025, 0.06) * w
            top = rng.uniform(*base) * h
            points = [(x, h), (x, top)]
            # Broken tops: a jagged line instead of a roof.
            steps = rng.randint(2, 4)
            for step in range(1, steps + 1):
                points.append(
                    (x + width * step / steps, top + rng.uniform(0, 0.06) * h)
                )
            points.append((x + width, h))
            towers.polygon(points)
            x += width * rng.uniform(0.9, 1.6)
        towers.paint(image, tone)
        if layer == 0:
            image.paste(
                (214, 140, 100),
                (0, 0, w, h),
                Image.linear_gradient("L").resize((w, h)).point(lambda v: v // 4),
            )

    # Shelter domes: the man-made habitats, their panels split by ribs.
    domes = Shapes((w, h))
    ribs = Shapes((w, h))
    holes = Shapes((w, h))
    for cx, r in ((0.2 * w, 0.22 * w), (0.55 * w, 0.14 * w)):
        base = 0.86 * h
        domes.ellipse((cx, base), r, r * 0.7)
        for angle in range(200, 341, 20):
            rad = math.radians(angle)
            ribs.line(
                [
                    (cx, base - r * 0.7),
                    (cx + r * math.cos(rad), base + r * 0.7 * math.sin(rad)),
                ],
                0.0025 * w,
            )
        for k in (0.35, 0.6, 0.82):
            ribs.arc((cx, base), r * k**0.3, r * 0.7 * k, 180, 360, 0.0025 * w)
        holes.polygon(
            [
                (cx + 0.3 * r, base - 0.6 * r),
                (cx + 0.55 * r, base - 0.48 * r),
                (cx + 0.38 * r, base - 0.36 * r),
            ]
        )
    domes.paint(image, (46, 36, 44))
    ribs.paint(image, (230, 160, 110), opacity=0.8)
    holes.paint(image, (12, 8, 12))

    smoke = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(smoke)
    for sx in (0.32, 0.8):
        for i in range(7):
            r = (0.02 + i * 0.012) * w
            y = (0.7 - i * 0.07) * h
            x = (sx + i * 0.015) * w
            draw.ellipse((x - r, y - r, x + r, y + r), fill=120 - i * 12)
    smoke = (
        smoke.resize((w // 8, h // 8))
        .filter(ImageFilter.GaussianBlur(4))
        .resize((w, h))
    )
    image.paste((70, 60, 66), (0, 0), smoke)

    # Rubble in the foreground and Captain Yun Jung-yi looking over the city.
    ground = Shapes((w, h))
    points = [(0.0, h), (0.0, 0.88 * h)]
    for i in range(1, 21):
        points.append((w * i / 20, (0.86 + rng.uniform(-0.03, 0.05)) * h))
    points.append((w, h))
    ground.polygon(points)
    figure(
        ground,
        0.82 * w,
        0.88 * h,
        0.36 * h,
        hair="ponytail",
        left_hand=(0.77 * w, 0.7 * h),
    )
    ground.line([(0.74 * w, 0.75 * h), (0.86 * w, 0.62 * h)], 0.008 * w)
    ground.paint(image, (16, 12, 16))
    vignette(image, 0.45)
    return image


def draw_mother_and_daughter(w: int, h: int) -> Image.Image:
    image = horizontal_gradient((w, h), (52, 30, 18), (10, 30, 44))
    glow(image, (0.24 * w, 0.45 * h), 0.42 * w, (240, 150, 80), strength=0.7, power=1.8)
    glow(image, (0.76 * w, 0.45 * h), 0.42 * w, (60, 190, 230), strength=0.6, power=1.8)

    people = Shapes((w, h))
    figure(
        people,
        0.34 * w,
        1.12 * h,
        0.95 * h,
        hair="bun",
        coat=True,
        right_hand=(0.475 * w, 0.42 * h),
    )
    android_at = figure(
        people,
        0.66 * w,
        1.12 * h,
        0.95 * h,
        hair="ponytail",
        left_hand=(0.525 * w, 0.42 * h),
    )
    people.paint(image, (14, 12, 14))
    android_details(image, android_at, 0.95 * h, (110, 230, 255))

    # The glass between them, with light catching on its surface.
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle((0.495 * w, 0, 0.505 * w, h), fill=(200, 230, 240, 60))
    for offset in (0.0, 0.05, 0.08):
        draw.polygon(
            [
                ((0.44 + offset) * w, 0),
                ((0.47 + offset) * w, 0),
                ((0.52 + offset) * w, h),
                ((0.49 + offset) * w, h),
            ],
            fill=(255, 255, 255, 14),
        )
    glow(image, (0.5 * w, 0.42 * h), 0.05 * w, (255, 236, 210), strength=0.8)
    vignette(image, 0.6)
    return image


def draw_awakening(w: int, h: int) -> Image.Image:
    image = vertical_gradient((w, h), (8, 14, 22), (20, 30, 40))
    glow(
        image,
        (0.5 * w, 0.5 * h),
        0.55 * w,
        (56, 66, 74),
        strength=0.9,
        power=1.5,
        squash=0.8,
    )
    brows = Shapes((w, h))
    for side in (-1, 1):
        cx = 0.5 * w + side * 0.2 * w
        brows.arc(
            (cx, 0.44 * h),
            0.13 * w,
            0.07 * h,
            200 if side < 0 else 210,
            330 if side < 0 else 340,
            0.012 * w,
        )
    brows.paint(image, (12, 14, 18))

    for side in (-1, 1):
        cx, cy = 0.5 * w + side * 0.2 * w, 0.55 * h
        half, lid = 0.11 * w, 0.075 * h
        eye = Shapes((w, h))
        # An almond: two flat arcs meeting at the corners.
        upper = [
            (cx + half * math.cos(t), cy - lid * math.sin(t))
            for t in (i * math.pi / 24 for i in range(25))
        ]
        lower = [
            (cx - half * math.cos(t), cy + 0.6 * lid * math.sin(t))
            for t in (i * math.pi / 24 for i in range(1, 24))
        ]
        eye.polygon(upper + lower)
        glow(image, (cx, cy), 0.14 * w, (60, 220, 255), strength=0.4, squash=0.6)
        eye.paint(image, (200, 206, 210))
        iris_mask = Shapes((w, h))
        iris_mask.ellipse((cx, cy), 0.045 * w, 0.045 * w)
        iris_mask.ellipse((cx, cy), 0.018 * w, 0.018 * w, fill=0)
        clipped = Image.new("L", (w, h), 0)
        clipped.paste(iris_mask.mask(), (0, 0), eye.mask())
        image.paste((40, 190, 230), (0, 0, w, h), clipped)
        pupil = Shapes((w, h))
        pupil.ellipse((cx, cy), 0.018 * w, 0.018 * w)
        pupil.paint(image, (4, 6, 10))
        glow(
            image,
            (cx + 0.012 * w, cy - 0.012 * w),
            0.006 * w,
            (255, 255, 255),
            power=1.0,
        )
        lash = Shapes((w, h))
        lash.line(upper, 0.006 * w)
        lash.paint(image, (10, 10, 14))

    # A targeting read-out settles on the right eye as it opens.
    draw = ImageDraw.Draw(image, "RGBA")
    cx, cy, r = 0.7 * w, 0.55 * h, 0.15 * w
    width = max(1, round(w / 700))
    draw.ellipse(
        (cx - r, cy - r, cx + r, cy + r), outline=(110, 230, 255, 120), width=width
    )
    for angle in (0, 90, 180, 270):
        rad = math.radians(angle)
        draw.line(
            [
                (cx + r * 0.85 * math.cos(rad), cy + r * 0.85 * math.sin(rad)),
                (cx + r * 1.15 * math.cos(rad), cy + r * 1.15 * math.sin(rad)),
            ],
            fill=(110, 230, 255, 160),
            width=width,
        )
    for y in range(0, h, max(2, h // 270)):
        draw.line([(0, y), (w, y)], fill=(0, 0, 0, 26))
    vignette(image, 0.7)
    return image


@dataclass(frozen=True)
class PortraitStyle:
    top: Colour
    bottom: Colour
    colours: str  # for the alt text
    hair: str
    child: bool = False


PORTRAIT_STYLES = {
    "kang-soo-yeon": PortraitStyle(
        (214, 146, 84), (74, 30, 62), "amber and plum", "bun"
    ),
    "kim-hyun-joo": PortraitStyle(
        (58, 164, 176), (16, 28, 64), "teal and navy", "long"
    ),
    "ryu-kyung-soo": PortraitStyle(
        (140, 160, 92), (28, 40, 44), "olive and slate", "short"
    ),
    "yeon-sang-ho": PortraitStyle(
        (206, 84, 70), (34, 30, 36), "red and charcoal", "cap"
    ),
    "park-so-yi": PortraitStyle(
        (236, 160, 186), (84, 52, 130), "pink and violet", "bunches", child=True
    ),
}


def initials(name: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s-]+", name) if part).upper()


def draw_portrait(w: int, h: int, style: PortraitStyle, letters: str) -> Image.Image:
    image = vertical_gradient((w, h), style.top, style.bottom)
    scale = 0.82 if style.child else 1.0
    cx, head_y = 0.5 * w, (0.4 if not style.child else 0.5) * h
    glow(image, (cx, head_y), 0.6 * w, tuple(min(255, c + 60) for c in style.top), 0.55)
    bust = Shapes((w, h))
    rx, ry = 0.17 * w * scale, 0.21 * w * scale
    bust.ellipse((cx, head_y), rx, ry)
    bust.rectangle(
        (
            cx - 0.075 * w * scale,
            head_y + 0.1 * h,
            cx + 0.075 * w * scale,
            head_y + 0.3 * h,
        )
    )
    shoulders_y = head_y + 0.34 * h * scale
    bust.ellipse((cx, shoulders_y), 0.42 * w * scale, 0.13 * h * scale)
    bust.rectangle((cx - 0.42 * w * scale, shoulders_y, cx + 0.42 * w * scale, h))
    if style.hair == "long":
        bust.ellipse((cx, head_y - 0.02 * h), rx * 1.18, ry * 1.08)
        bust.polygon(
            [
                (cx - rx * 1.18, head_y - 0.02 * h),
                (cx + rx * 1.18, head_y - 0.02 * h),
                (cx + rx * 1.35, head_y + 0.26 * h),
                (cx - rx * 1.35, head_y + 0.26 * h),
            ]
        )
    elif style.hair == "bun":
        bust.ellipse((cx, head_y - 0.02 * h), rx * 1.08, ry * 1.0)
        bust.ellipse((cx, head_y - ry - 0.02 * h), rx * 0.5, rx * 0.45)
    elif style.hair == "short":
        bust.ellipse((cx, head_y - 0.025 * h), rx * 1.06, ry * 0.92)
    elif style.hair == "cap":
        # A baseball cap, its peak turned a little to one side.
        bust.ellipse((cx, head_y - 0.045 * h), rx * 1.06, ry * 0.85)
        bust.polygon(
            [
                (cx - rx * 0.2, head_y - 0.075 * h),
                (cx + rx * 1.55, head_y - 0.05 * h),
                (cx + rx * 1.5, head_y - 0.025 * h),
                (cx - rx * 0.2, head_y - 0.03 * h),
            ]
        )
    elif style.hair == "bunches":
        bust.ellipse((cx, head_y - 0.015 * h), rx * 1.08, ry * 1.0)
        for side in (-1, 1):
            bust.ellipse(
                (cx + side * rx * 1.18, head_y + 0.1 * h), rx * 0.26, ry * 0.55
            )
    bust.paint(image, vertical_gradient((w, h), (20, 18, 24), (6, 6, 10)))
    lettering = Shapes((w, h))
    lettering.text((cx, 0.86 * h), letters, 0.14 * w, spacing=0.02 * w, bold=0.002 * w)
    lettering.paint(image, (250, 246, 240), opacity=0.9)
    vignette(image, 0.35)
    return image


# What is loaded.


@dataclass(frozen=True)
class StillSpec:
    role: str
    position: int
    kind: str
    size: tuple[int, int]
    draw: Callable[[int, int], Image.Image]
    alt_text: str
    caption: str
    people: tuple[str, ...] = ()


ILLUSTRATION_NOTE = "A Filmsite illustration stands in for the Netflix still."

STILLS = [
    StillSpec(
        role="poster",
        position=0,
        kind=Still.Kind.POSTER,
        size=(1400, 2000),
        draw=draw_poster,
        alt_text="Illustrated poster: the dark silhouette of a woman's head and "
        "shoulders against a red sky over a ruined city, a thin cyan light across "
        "her eyes and cables trailing behind her, above the title JUNG_E in white "
        "capitals.",
        caption="Key art for Jung_E, out on Netflix on 20 January 2023. "
        "A Filmsite illustration stands in for the Netflix poster.",
        people=("kim-hyun-joo",),
    ),
    StillSpec(
        role="laboratory",
        position=1,
        kind=Still.Kind.BEHIND_THE_SCENES,
        size=(2400, 1350),
        draw=draw_laboratory,
        alt_text="Illustration of a futuristic laboratory set: glowing screens "
        "with a brain scan along the back wall, a figure in armour held up by "
        "cables on a lit platform, and two camera rigs and studio lights around "
        "it, one camera with an operator in a cap.",
        caption="A research laboratory of the year 2194, built on set, with the "
        f"camera rigs in place. {ILLUSTRATION_NOTE}",
    ),
    StillSpec(
        role="on_set",
        position=2,
        kind=Still.Kind.BEHIND_THE_SCENES,
        size=(2400, 1350),
        draw=draw_on_set,
        alt_text="Illustration of a film shoot: three actors stand in warm light "
        "on the set, one in armour with a glowing eye, one in a long coat and one "
        "in plain clothes, while a director in a cap points from beside a monitor, "
        "a boom operator holds a microphone over them and a camera waits on a "
        "dolly track.",
        caption="Yeon Sang-ho directs Kim Hyun-joo, Kang Soo-yeon and Ryu "
        f"Kyung-soo on the laboratory set. {ILLUSTRATION_NOTE}",
        people=("yeon-sang-ho", "kim-hyun-joo", "kang-soo-yeon", "ryu-kyung-soo"),
    ),
    StillSpec(
        role="robot_head",
        position=3,
        kind=Still.Kind.BEHIND_THE_SCENES,
        # Narrower than the widest rendition: the gallery shows it is not upscaled.
        size=(1200, 800),
        draw=draw_robot_head,
        alt_text="Illustration of a silver robot head lying on its side on a "
        "studio floor, cables spilling from its neck, one cyan eye lit behind a "
        "dark visor and the name JUNG-E painted in red on its skull.",
        caption="A robot head with the name Jung-E written on it, left on the "
        f"floor of the set between takes. {ILLUSTRATION_NOTE}",
    ),
    StillSpec(
        role="shelter_city",
        position=4,
        kind=Still.Kind.PRODUCTION,
        # Wider than the widest rendition, which is then capped at that width.
        size=(2560, 1440),
        draw=draw_shelter_city,
        alt_text="Illustration of a ruined city at dusk: broken towers against "
        "an orange sky, two ribbed domes among them, smoke rising, and a lone "
        "soldier standing on the rubble in the foreground.",
        caption="Captain Yun Jung-yi (Kim Hyun-joo) above the shelters of a "
        f"22nd-century Earth ruined by climate change. {ILLUSTRATION_NOTE}",
        people=("kim-hyun-joo",),
    ),
    StillSpec(
        role="mother_and_daughter",
        position=5,
        kind=Still.Kind.PRODUCTION,
        size=(2400, 1350),
        draw=draw_mother_and_daughter,
        alt_text="Illustration of two women in silhouette facing each other "
        "through a pane of glass, their raised hands meeting on it: on the left a "
        "scientist in a long coat in warm light, on the right a woman in armour "
        "with a glowing eye in cold blue light.",
        caption="Yun Seo-hyun (Kang Soo-yeon) face to face with the combat AI "
        f"built from her mother's cloned brain (Kim Hyun-joo). {ILLUSTRATION_NOTE}",
        people=("kang-soo-yeon", "kim-hyun-joo"),
    ),
    StillSpec(
        role="awakening",
        position=6,
        kind=Still.Kind.PROMOTIONAL,
        size=(2400, 1350),
        draw=draw_awakening,
        alt_text="Illustration of a close-up of two eyes opening in the dark, "
        "their irises glowing cyan, with a thin targeting circle around the right "
        "eye.",
        caption="The clone's eyes open: the moment the first teaser ends on. "
        f"{ILLUSTRATION_NOTE}",
        people=("kim-hyun-joo",),
    ),
]

PORTRAIT_SIZE = (900, 1100)

TEASER = {
    "kind": Video.Kind.TEASER,
    "title": "Jung_E | Official teaser | Netflix",
    # The provider's search for the teaser: no video id is invented here.
    "url": "https://www.youtube.com/results?search_query=Jung_E+official+teaser",
    # The facts give only "December 2022, about a month before the release"; this
    # is the date of the demo article about the teaser.
    "published_on": datetime.date(2022, 12, 20),
    "thumbnail": "awakening",
}


@dataclass
class DemoPictures:
    """What the demo pictures are, found or created, and how many were new."""

    film: Film
    stills: dict[str, Still] = field(default_factory=dict)
    portraits: dict[str, Portrait] = field(default_factory=dict)
    video: Video | None = None
    new_stills: int = 0
    new_portraits: int = 0
    new_videos: int = 0

    def __str__(self) -> str:
        return (
            f"Demo pictures: {len(self.stills)} stills ({self.new_stills} new), "
            f"{len(self.portraits)} portraits ({self.new_portraits} new), "
            f"{int(self.video is not None)} video ({self.new_videos} new)."
        )


def scaled(size: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def drawn_file(image: Image.Image, name: str) -> ContentFile:
    return ContentFile(to_png(image), name=f"{name}.png")


@transaction.atomic
def load_pictures_demo(scale: float | None = None) -> DemoPictures:
    """Draw and save the Jung_E pictures that are missing; return them all.

    ``scale`` (by default ``SCALE``) shrinks every drawing.
    """
    scale = SCALE if scale is None else scale
    film = Film.objects.select_related("poster").get(slug=FILM_SLUG)
    result = DemoPictures(film=film)
    people = Person.objects.in_bulk(
        {slug for spec in STILLS for slug in spec.people} | set(PORTRAIT_STYLES),
        field_name="slug",
    )
    written: list[str] = []
    try:
        _load_stills(film, people, scale, result, written)
        _load_portraits(people, scale, result, written)
        _load_teaser(film, result)
    except BaseException:
        # The rows go with the transaction; their files must not stay behind.
        files.delete(Still.image.field.storage, written)
        raise
    return result


def _load_stills(
    film: Film,
    people: dict[str, Person],
    scale: float,
    result: DemoPictures,
    written: list[str],
) -> None:
    existing = {still.position: still for still in film.stills.order_by("-pk")}
    for spec in STILLS:
        if spec.kind == Still.Kind.POSTER:
            # The poster slot is the film's: drawn only while it has no poster.
            if film.poster is not None:
                result.stills[spec.role] = film.poster
                continue
            if film.stills.filter(kind=Still.Kind.POSTER).exists():
                continue
        elif spec.position in existing:
            result.stills[spec.role] = existing[spec.position]
            continue
        still = Still(
            film=film,
            kind=spec.kind,
            position=spec.position,
            alt_text=spec.alt_text,
            caption=spec.caption,
            credit=STILL_CREDIT,
            image=drawn_file(spec.draw(*scaled(spec.size, scale)), spec.role),
        )
        still.save()
        written.extend(still.file_names())
        still.people.set(people[slug] for slug in spec.people if slug in people)
        result.stills[spec.role] = still
        result.new_stills += 1
        if spec.kind == Still.Kind.POSTER:
            film.poster = still
            film.save(update_fields=["poster", "updated"])


def _load_portraits(
    people: dict[str, Person], scale: float, result: DemoPictures, written: list[str]
) -> None:
    existing = {
        portrait.person_id: portrait
        for portrait in Portrait.objects.filter(person__in=people.values())
    }
    for slug, style in PORTRAIT_STYLES.items():
        person = people.get(slug)
        if person is None:
            continue
        if person.pk in existing:
            result.portraits[slug] = existing[person.pk]
            continue
        letters = initials(person.name)
        portrait = Portrait(
            person=person,
            alt_text=f"Illustrated placeholder portrait of {person.name}: a "
            f"head-and-shoulders silhouette on a gradient of {style.colours}, "
            f"with the initials {letters}.",
            credit=PORTRAIT_CREDIT,
            image=drawn_file(
                draw_portrait(*scaled(PORTRAIT_SIZE, scale), style, letters), slug
            ),
        )
        portrait.save()
        written.extend(portrait.file_names())
        result.portraits[slug] = portrait
        result.new_portraits += 1


def _load_teaser(film: Film, result: DemoPictures) -> None:
    video = film.videos.filter(kind=TEASER["kind"]).order_by("pk").first()
    if video is None:
        video = Video.objects.create(
            film=film,
            kind=TEASER["kind"],
            title=TEASER["title"],
            url=TEASER["url"],
            published_on=TEASER["published_on"],
            thumbnail=result.stills.get(TEASER["thumbnail"]),
        )
        result.new_videos += 1
    result.video = video
