"""Uploading pictures through the admin: what is accepted, what is refused, and
that a refused or failed upload leaves nothing behind."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import TestCase
from PIL import Image, features

from catalog.models import Still
from tests.factories import image_bytes, image_upload, make_film, make_person

pytestmark = pytest.mark.django_db

STILL_ADD = "/admin/catalog/still/add/"


def stored_files(media_root) -> list[str]:
    root = Path(media_root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def after_commit():
    """Run what waits for the commit (the background task, on the immediate
    backend of the tests) when the block ends, as the end of a request would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def upload_still(client, film, upload, **fields):
    """Upload through the admin, and let the renditions be made."""
    data = {
        "film": str(film.pk),
        "kind": "production",
        "caption": "On the set",
        "alt_text": "Two actors in a white laboratory",
        "credit": "Netflix",
        "position": "0",
        "image": upload,
        **fields,
    }
    with after_commit():
        return client.post(STILL_ADD, data)


def form_errors(response) -> str:
    assert response.status_code == 200, "the form was expected to be shown again"
    errors = response.context["adminform"].form.errors
    return " ".join(
        str(message) for messages in errors.values() for message in messages
    )


def refused(client, media_root, upload, **fields) -> str:
    """Upload a file that must be refused: the error, and nothing left behind."""
    film = make_film()
    response = upload_still(client, film, upload, **fields)
    errors = form_errors(response)
    assert not Still.objects.exists()
    assert stored_files(media_root) == []
    return errors


def png_claiming(width: int, height: int) -> bytes:
    """A tiny, valid-looking PNG whose header claims width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


# Accepted uploads


def test_a_jpeg_is_stored_with_renditions_at_each_width_it_can_fill(
    admin_client, media_root
):
    film = make_film()
    response = upload_still(admin_client, film, image_upload("set.jpg", 1200, 800))
    assert response.status_code == 302
    still = Still.objects.get()
    assert (still.width, still.height) == (1200, 800)
    # 1600 and 2400 would be upscaled, so the widest is the image's own width.
    sizes = [rendition[:2] for rendition in still.renditions]
    assert sizes == [[320, 213], [640, 427], [1024, 683], [1200, 800]]
    files = stored_files(media_root)
    assert len(files) == 1 + 2 * 4
    for width, height, webp_bytes, jpeg_bytes in still.renditions:
        for fmt, pillow_format, size in [
            ("webp", "WEBP", webp_bytes),
            ("jpg", "JPEG", jpeg_bytes),
        ]:
            path = Path(media_root) / Path(still.image.name).parent / f"{width}.{fmt}"
            assert path.stat().st_size == size
            with Image.open(path) as rendition:
                assert rendition.format == pillow_format
                assert rendition.size == (width, height)


def test_stored_names_are_generated_never_the_uploaded_name(admin_client, media_root):
    film = make_film()
    upload = image_upload("../../etc/passwd name with spaces.jpg")
    assert upload_still(admin_client, film, upload).status_code == 302
    for name in stored_files(media_root):
        assert "passwd" not in name and " " not in name
        assert name.startswith("images/")


def test_a_long_file_name_is_accepted_because_it_is_never_stored(
    admin_client, media_root
):
    """Cameras and downloads make long names (250 characters here); the stored
    name is generated, so the length of the sent one does not matter."""
    film = make_film()
    upload = image_upload("a-very-long-still-name-" * 10 + "x" * 16 + ".jpg")
    assert len(upload.name) == 250
    assert upload_still(admin_client, film, upload).status_code == 302
    assert Still.objects.filter(film=film).count() == 1


@pytest.mark.parametrize(
    ("name", "fmt", "options"),
    [
        ("poster.png", "PNG", {}),
        ("poster.webp", "WEBP", {}),
        ("poster.gif", "GIF", {}),
        pytest.param(
            "poster.avif",
            "AVIF",
            {},
            marks=pytest.mark.skipif(
                not features.check("avif"), reason="this Pillow cannot read AVIF"
            ),
        ),
        ("poster.JPEG", "JPEG", {}),
    ],
)
def test_each_accepted_format_is_stored(admin_client, name, fmt, options):
    film = make_film()
    upload = image_upload(name, 800, 500, fmt, **options)
    assert upload_still(admin_client, film, upload).status_code == 302
    assert Still.objects.get().width == 800


def test_an_animated_gif_keeps_its_first_frame(admin_client, media_root):
    frames = [Image.new("RGB", (400, 300), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    upload = SimpleUploadedFile("moving.gif", buffer.getvalue(), "image/gif")
    assert upload_still(admin_client, make_film(), upload).status_code == 302
    still = Still.objects.get()
    with Image.open(Path(media_root) / still.image.name) as master:
        red, green, blue = master.convert("RGB").getpixel((200, 150))
    assert red > 200 and blue < 60


def test_a_polyglot_is_re_encoded_so_only_image_data_is_stored(
    admin_client, media_root
):
    """A real JPEG with an HTML page and a ZIP archive glued on its end."""
    payload = (
        image_bytes(600, 400)
        + b"<html><script>alert(document.cookie)</script></html>"
        + b"PK\x03\x04"
        + b"\x00" * 26
        + b"evil.txt"
    )
    upload = SimpleUploadedFile("innocent.jpg", payload, "image/jpeg")
    assert upload_still(admin_client, make_film(), upload).status_code == 302
    for name in stored_files(media_root):
        content = (Path(media_root) / name).read_bytes()
        assert b"<script" not in content
        assert b"PK\x03\x04" not in content
        assert b"evil.txt" not in content


def test_exif_orientation_is_applied_and_metadata_stripped(admin_client, media_root):
    image = Image.linear_gradient("L").resize((400, 200)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned 90 degrees
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (37.0, 33.0, 0.0)}  # GPS position
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"secret comment")
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), "image/jpeg")
    assert upload_still(admin_client, make_film(), upload).status_code == 302

    still = Still.objects.get()
    assert (still.width, still.height) == (200, 400)  # upright
    for name in stored_files(media_root):
        content = (Path(media_root) / name).read_bytes()
        assert b"SpyCam" not in content and b"secret comment" not in content
        with Image.open(io.BytesIO(content)) as stored:
            assert not stored.getexif()
            assert "comment" not in stored.info
            assert "xmp" not in stored.info


def test_cmyk_is_converted_to_rgb(admin_client, media_root):
    cmyk = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # pure red in ink
    buffer = io.BytesIO()
    cmyk.save(buffer, "JPEG")
    upload = SimpleUploadedFile("print.jpg", buffer.getvalue(), "image/jpeg")
    assert upload_still(admin_client, make_film(), upload).status_code == 302
    with Image.open(Path(media_root) / Still.objects.get().image.name) as master:
        assert master.mode == "RGB"
        red, green, blue = master.getpixel((150, 100))
    assert red > 200 and green < 60 and blue < 60


def test_sixteen_bit_greyscale_is_scaled_to_eight_bits_not_clipped(
    admin_client, media_root
):
    deep = Image.new("I;16", (300, 200), 32768)  # half brightness in 16 bits
    buffer = io.BytesIO()
    deep.save(buffer, "PNG")
    upload = SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png")
    assert upload_still(admin_client, make_film(), upload).status_code == 302
    with Image.open(Path(media_root) / Still.objects.get().image.name) as master:
        assert master.mode in ("RGB", "L")
        value = master.convert("L").getpixel((150, 100))
    assert 120 <= value <= 136  # about half, not 255


def test_transparency_is_kept_in_the_master_and_webp(admin_client, media_root):
    logo = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (100, 100, 300, 200))
    buffer = io.BytesIO()
    logo.convert("P").save(buffer, "PNG", transparency=0)
    logo.save(buffer := io.BytesIO(), "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")
    assert upload_still(admin_client, make_film(), upload).status_code == 302
    still = Still.objects.get()
    assert still.image.name.endswith(".png")
    webp = Path(media_root) / Path(still.image.name).parent / "400.webp"
    with Image.open(webp) as rendition:
        assert rendition.mode == "RGBA"
        assert rendition.getpixel((10, 10))[3] == 0


def test_an_opaque_palette_image_becomes_a_jpeg_master(admin_client):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "navy").convert("P").save(buffer, "PNG")
    upload = SimpleUploadedFile("flat.png", buffer.getvalue(), "image/png")
    assert upload_still(admin_client, make_film(), upload).status_code == 302
    assert Still.objects.get().image.name.endswith("original.jpg")


# Refused uploads: a clear error, the form shown again, no row and no file.


def test_an_empty_file_is_refused(admin_client, media_root):
    upload = SimpleUploadedFile("empty.jpg", b"", "image/jpeg")
    errors = refused(admin_client, media_root, upload)
    assert "empty" in errors


def test_html_renamed_jpg_is_refused(admin_client, media_root):
    upload = SimpleUploadedFile(
        "photo.jpg", b"<!DOCTYPE html><html><body>hi</body></html>", "image/jpeg"
    )
    errors = refused(admin_client, media_root, upload)
    assert "“photo.jpg” is not an image in an accepted format" in errors


def test_svg_renamed_jpg_is_refused(admin_client, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    errors = refused(
        admin_client, media_root, SimpleUploadedFile("logo.jpg", svg, "image/jpeg")
    )
    assert "not an image in an accepted format" in errors


def test_an_svg_is_refused_under_its_own_name(admin_client, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    errors = refused(
        admin_client, media_root, SimpleUploadedFile("logo.svg", svg, "image/svg+xml")
    )
    assert "not an image in an accepted format" in errors


def test_an_extension_that_does_not_match_the_content_is_refused(
    admin_client, media_root
):
    upload = image_upload("really-a-png.jpg", fmt="PNG")
    errors = refused(admin_client, media_root, upload)
    assert "is a PNG image but its name ends in “.jpg”" in errors
    assert "rename it to end in .png" in errors


def test_a_truncated_jpeg_is_refused(admin_client, media_root):
    content = image_bytes(800, 600)
    upload = SimpleUploadedFile("cut.jpg", content[: len(content) // 2], "image/jpeg")
    errors = refused(admin_client, media_root, upload)
    assert "damaged or incomplete" in errors


def test_a_decompression_bomb_is_refused_before_decoding(admin_client, media_root):
    """A PNG of a few hundred bytes that claims 60000 × 60000 pixels."""
    bomb = png_claiming(60_000, 60_000)
    assert len(bomb) < 500
    errors = refused(
        admin_client, media_root, SimpleUploadedFile("bomb.png", bomb, "image/png")
    )
    assert "too many pixels" in errors
    assert "50 megapixels" in errors


def test_the_pixel_cap_is_a_setting(admin_client, media_root, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    errors = refused(admin_client, media_root, image_upload("big.jpg", 1500, 1000))
    assert "1500 × 1000 pixels; the most accepted is 1 megapixels" in errors


def test_the_file_size_cap_is_a_setting(admin_client, media_root, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 10_000
    errors = refused(admin_client, media_root, image_upload("heavy.jpg", 1200, 900))
    assert "the largest file accepted is 9.8\xa0KB" in errors


def test_alt_text_is_required_unless_the_still_is_decorative(admin_client, media_root):
    errors = refused(admin_client, media_root, image_upload(), alt_text="")
    assert "Describe the picture" in errors
    response = upload_still(
        admin_client, make_film(), image_upload(), alt_text="", decorative="on"
    )
    assert response.status_code == 302


def test_a_refused_upload_keeps_what_the_editor_typed(admin_client):
    response = upload_still(
        admin_client,
        make_film(),
        SimpleUploadedFile("x.jpg", b"nope", "image/jpeg"),
        caption="Kang Soo-yeon between takes",
    )
    assert "Kang Soo-yeon between takes" in response.content.decode()


def test_a_failed_database_save_leaves_no_file(admin_client, media_root, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Still, "_do_insert", fail)
    film = make_film()
    with pytest.raises(DatabaseError):
        upload_still(admin_client, film, image_upload())
    assert stored_files(media_root) == []


# Replacing and deleting


def test_replacing_the_image_removes_the_old_files_after_commit(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    film = make_film()
    upload_still(admin_client, film, image_upload("first.jpg", 700, 400))
    still = Still.objects.get()
    old_files = set(still.file_names())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/catalog/still/{still.pk}/change/",
            {
                "film": str(film.pk),
                "kind": "production",
                "alt_text": "A new picture",
                "position": "0",
                "image": image_upload("second.jpg", 500, 300),
            },
        )
    assert response.status_code == 302
    still.refresh_from_db()
    assert still.width == 500
    remaining = set(stored_files(media_root))
    assert remaining == set(still.file_names())
    assert not remaining & old_files


def test_deleting_a_still_removes_its_files_after_commit(
    media_root, django_capture_on_commit_callbacks
):
    still = Still(film=make_film(), alt_text="A robot head", image=image_upload())
    still.save()
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        still.delete()
    assert stored_files(media_root) == []


def test_deleting_a_film_removes_the_files_of_its_stills(
    media_root, django_capture_on_commit_callbacks
):
    film = make_film()
    for _ in range(2):
        Still(film=film, alt_text="A still", image=image_upload()).save()
    with django_capture_on_commit_callbacks(execute=True):
        film.delete()
    assert stored_files(media_root) == []


def test_a_person_can_be_tagged_in_a_still(admin_client):
    person = make_person(name="Kang Soo-yeon")
    response = upload_still(
        admin_client, make_film(), image_upload(), people=[str(person.pk)]
    )
    assert response.status_code == 302
    assert list(Still.objects.get().people.all()) == [person]
