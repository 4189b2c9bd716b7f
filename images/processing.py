"""Turn an uploaded file into a clean master image and its renditions.

Everything an editor uploads passes through here (``check()`` before the file is
stored as sent, the rest in the background before anything is shown):

1. ``inspect()`` reads the file's header to learn its format and size, refuses what
   is empty, too big, not an accepted image, misnamed or has too many pixels, and
   only then decodes the pixels (which finds truncated and corrupt files).
   ``check()`` is the same at a fraction of the cost (a JPEG is decoded at an
   eighth of its size): what an upload request does before the original is
   stored, the rest of the pipeline running in the background.
2. ``normalise()`` applies the EXIF orientation, converts the colour mode to 8-bit
   sRGB (with alpha only where the image has some) and drops every piece of
   metadata: EXIF, XMP, GPS, comments, colour profiles once applied.
3. ``encode()`` writes the master (JPEG, or PNG where there is transparency) and a
   WebP and a JPEG rendition at each configured width the image can fill.

Because every file the task stores is a fresh encoding of decoded pixels, whatever
trailed the image data in the upload (HTML, a ZIP archive) is gone; the upload as
sent, kept only until then, is never served (``images.views``).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

# Pillow format name -> the file name extensions that may carry it.
EXTENSIONS = {
    "JPEG": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "PNG": {".png"},
    "WEBP": {".webp"},
    "GIF": {".gif"},
    "AVIF": {".avif"},
}
# The extension an upload of each format is stored under while it waits.
CANONICAL_EXTENSIONS = {
    "JPEG": ".jpg",
    "PNG": ".png",
    "WEBP": ".webp",
    "GIF": ".gif",
    "AVIF": ".avif",
}
FORMAT_NAMES = {
    "JPEG": "JPEG",
    "PNG": "PNG",
    "WEBP": "WebP",
    "GIF": "GIF",
    "AVIF": "AVIF",
}

MASTER_JPEG_QUALITY = 90
RENDITION_JPEG_QUALITY = 82
RENDITION_WEBP_QUALITY = 80


def accepted_formats() -> list[str]:
    """The formats this installation accepts: AVIF only where Pillow can read it."""
    formats = ["JPEG", "PNG", "WEBP", "GIF"]
    if features.check("avif"):
        formats.append("AVIF")
    return formats


def accepted_formats_text() -> str:
    return ", ".join(FORMAT_NAMES[name] for name in accepted_formats())


def accept_attribute() -> str:
    """The value of an ``accept`` attribute on a file input: the same formats."""
    return ",".join(
        sorted(ext for name in accepted_formats() for ext in EXTENSIONS[name])
    )


@dataclass
class Rendition:
    width: int
    height: int
    webp: bytes
    jpeg: bytes


@dataclass
class ProcessedImage:
    """A normalised image, ready to be stored: the master and its renditions."""

    width: int
    height: int
    master: bytes
    master_extension: str  # ".jpg" or ".png"
    renditions: list[Rendition] = field(default_factory=list)


def rendition_widths_for(width: int) -> list[int]:
    """The configured widths an image this wide can fill, never upscaled.

    An image narrower than the largest configured width also gets a rendition at
    its own width, so the biggest screens still see every pixel it has.
    """
    configured = sorted(settings.IMAGE_RENDITION_WIDTHS)
    widths = [w for w in configured if w < width]
    if width <= configured[-1]:
        widths.append(width)
    else:
        widths.append(configured[-1])
    return sorted(set(widths))


def _reject(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


@dataclass
class CheckedImage:
    """What ``check()`` learnt of an upload: its upright size and its kind."""

    width: int
    height: int
    format: str
    extension: str  # the canonical one for the format: ".jpg", ".png"…


# EXIF orientations that turn the picture a quarter turn.
QUARTER_TURNS = {5, 6, 7, 8}
ORIENTATION_TAG = 0x0112


class _KeptOpen:
    """The upload as Pillow sees it: closing the image (which closes its file)
    leaves the upload open, to be stored next."""

    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):
        return getattr(self._file, name)

    def close(self) -> None:
        pass


def check(upload) -> CheckedImage:
    """Every check of ``inspect()``, cheaply: the same refusals, the same messages.

    A JPEG is decoded at an eighth of its size (libjpeg still reads all of its
    data, so a truncated file is found); other formats are decoded in full. For
    a 24-megapixel photo that is a few percent of the time normalising and
    encoding take (``python -m benchmarks.images``).
    """
    image = inspect(_KeptOpen(upload), reduced=True)
    try:
        width, height = image.header_size
        orientation = image.getexif().get(ORIENTATION_TAG)
        if orientation in QUARTER_TURNS:
            width, height = height, width
        return CheckedImage(
            width, height, image.format, CANONICAL_EXTENSIONS[image.format]
        )
    finally:
        image.close()


def inspect(upload, *, reduced: bool = False) -> Image.Image:
    """Validate an uploaded file and return its decoded first frame.

    Raises ``ValidationError`` with a message an editor can act on; never lets a
    Pillow exception escape. With ``reduced``, a JPEG is decoded at an eighth of
    its size (its full size is in ``header_size``): enough to find a damaged
    file, not enough to build renditions from.
    """
    name = PurePath(getattr(upload, "name", "") or "").name
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise _reject("“%(name)s” is empty (zero bytes).", "empty", name=name)
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    if size > limit:
        raise _reject(
            "“%(name)s” is %(size)s; the largest file accepted is %(limit)s.",
            "too_large",
            name=name,
            size=filesizeformat(size),
            limit=filesizeformat(limit),
        )

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, on images with very many pixels; the
            # pixel cap below gives the editor a clearer message either way.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=accepted_formats())
    except Image.DecompressionBombError:
        raise _reject(
            "“%(name)s” has too many pixels; the most accepted is %(limit)s "
            "megapixels.",
            "too_many_pixels",
            name=name,
            limit=settings.IMAGE_MAX_PIXELS // 1_000_000,
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _reject(
            "“%(name)s” is not an image in an accepted format (%(formats)s).",
            "not_an_image",
            name=name,
            formats=accepted_formats_text(),
        ) from None

    detected = image.format
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS[detected]:
        image.close()
        raise _reject(
            "“%(name)s” is a %(format)s image but its name ends in “%(extension)s”; "
            "rename it to end in %(expected)s.",
            "wrong_extension",
            name=name,
            format=FORMAT_NAMES[detected],
            extension=extension or "(nothing)",
            expected=" or ".join(sorted(EXTENSIONS[detected])),
        )

    width, height = image.size
    if width < 1 or height < 1 or width * height > settings.IMAGE_MAX_PIXELS:
        image.close()
        raise _reject(
            "“%(name)s” is %(width)s × %(height)s pixels; the most accepted is "
            "%(limit)s megapixels.",
            "too_many_pixels",
            name=name,
            width=width,
            height=height,
            limit=settings.IMAGE_MAX_PIXELS // 1_000_000,
        )

    image.header_size = (width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.seek(0)
            if reduced and detected == "JPEG":
                image.draft(image.mode, (-(-width // 8), -(-height // 8)))
            image.load()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        image.close()
        raise _reject(
            "“%(name)s” is damaged or incomplete and cannot be read; "
            "export it again and upload the new file.",
            "corrupt",
            name=name,
        ) from None
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded colour profile, so the pixels are plain sRGB."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L", "LA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        output_mode = "RGBA" if "A" in image.mode else "RGB"
        converted = ImageCms.profileToProfile(
            image,
            source,
            ImageCms.createProfile("sRGB"),
            outputMode=output_mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile is ignored: the pixels are still usable as they are.
        return image
    return converted if converted is not None else image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode != "RGBA":
        return False
    low, _high = image.getchannel("A").getextrema()
    return low < 255


def normalise(image: Image.Image) -> Image.Image:
    """Upright, 8-bit sRGB pixels (RGB, or RGBA when transparent), no metadata.

    May change ``image`` in place and return it: a 24-megapixel photo is 72 MB
    of pixels, so no copy is made that is not needed.
    """
    ImageOps.exif_transpose(image, in_place=True)
    image = _to_srgb(image)
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit greyscale: scale down to 8 bits rather than clipping at 255.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        mode = "L"
    if mode == "F":
        image = image.convert("L")
        mode = "L"
    if mode == "P" or mode == "PA" or mode in ("LA", "La", "RGBa", "RGBA"):
        image = image.convert("RGBA")
    elif mode != "RGB":
        image = image.convert("RGB")
    if image.mode == "RGBA" and not _has_transparency(image):
        image = image.convert("RGB")
    # Pixels only from here on: the encoders take EXIF, XMP, comments and colour
    # profiles from `info`, so with it empty they write none of them.
    image.info = {}
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: composite onto white."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    _flatten(image).save(
        buffer, "JPEG", quality=quality, optimize=True, progressive=True
    )
    return buffer.getvalue()


def _webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=RENDITION_WEBP_QUALITY, method=4)
    return buffer.getvalue()


def encode(image: Image.Image) -> ProcessedImage:
    """Encode a normalised image as a master and renditions at each width."""
    width, height = image.size
    if image.mode == "RGBA":
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        master, extension = buffer.getvalue(), ".png"
    else:
        master, extension = _jpeg(image, MASTER_JPEG_QUALITY), ".jpg"
    processed = ProcessedImage(width, height, master, extension)

    # Largest first, each one resized from the previous: every step shrinks by
    # less than about three times, which keeps Lanczos sharp and cheap.
    source = image
    for target in sorted(rendition_widths_for(width), reverse=True):
        target_height = max(1, round(height * target / width))
        if (target, target_height) != source.size:
            source = source.resize((target, target_height), Image.Resampling.LANCZOS)
        processed.renditions.append(
            Rendition(
                target,
                target_height,
                _webp(source),
                _jpeg(source, RENDITION_JPEG_QUALITY),
            )
        )
    processed.renditions.reverse()
    return processed


def process(upload) -> ProcessedImage:
    """The whole pipeline: validate, normalise and encode an uploaded file."""
    image = inspect(upload)
    normal = image
    try:
        normal = normalise(image)
        if normal is not image:
            image.close()  # the decoded upload is not needed while encoding
        return encode(normal)
    finally:
        image.close()
        normal.close()
