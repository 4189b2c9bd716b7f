import dataclasses
import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from PIL import Image

from catalog.models import Credit, Film, Person, Portrait, Still, Video
from demo import pictures as demo_pictures
from demo.catalog import load_catalog_demo
from demo.pictures import STILLS, load_pictures_demo
from images import files
from images.processing import rendition_widths_for

# A quarter of the real sizes keeps each load well under a second.
SCALE = 0.25
JUNG_E_PEOPLE = [
    "kang-soo-yeon",
    "kim-hyun-joo",
    "ryu-kyung-soo",
    "yeon-sang-ho",
    "park-so-yi",
]


def stored_files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def png(size=(800, 600), colour=(200, 40, 40)) -> ContentFile:
    image = Image.new("RGB", size, colour)
    return ContentFile(demo_pictures.to_png(image), name="replacement.png")


@pytest.fixture(autouse=True)
def small_drawings(monkeypatch):
    monkeypatch.setattr(demo_pictures, "SCALE", SCALE)


@pytest.fixture
def media(media_root) -> Path:
    """The test's own media folder (tests/conftest.py)."""
    return Path(media_root)


@pytest.fixture
def loaded(db, media):
    load_catalog_demo()
    return load_pictures_demo()


def test_jung_e_gets_a_poster_stills_portraits_and_its_teaser(loaded):
    """Jung_E has its poster, seven stills in order with alt text and a truthful
    credit, who is in them, portraits of its people and the teaser."""
    film = Film.objects.get(slug="jung-e")
    stills = list(film.stills.prefetch_related("people"))

    assert film.poster is not None
    assert film.poster.kind == Still.Kind.POSTER
    assert film.poster == loaded.stills["poster"]
    assert [still.position for still in stills] == list(range(len(STILLS)))
    assert len(stills) == 7
    for still in stills:
        assert still.alt_text.startswith("Illustrat")
        assert not still.decorative
        assert still.credit == "Filmsite illustration"
        assert still.caption
    on_set = loaded.stills["on_set"]
    assert {person.slug for person in on_set.people.all()} == {
        "yeon-sang-ho",
        "kim-hyun-joo",
        "kang-soo-yeon",
        "ryu-kyung-soo",
    }
    assert "JUNG-E" in loaded.stills["robot_head"].alt_text

    portraits = Portrait.objects.select_related("person")
    assert sorted(p.person.slug for p in portraits) == sorted(JUNG_E_PEOPLE)
    kang = Person.objects.get(slug="kang-soo-yeon").portrait
    assert kang.alt_text.startswith("Illustrated placeholder portrait of Kang Soo-yeon")
    assert "KSY" in kang.alt_text
    assert kang.credit == "Filmsite illustration"

    teaser = film.videos.get()
    assert teaser.kind == Video.Kind.TEASER
    assert teaser.title == "Jung_E | Official teaser | Netflix"
    assert teaser.url.startswith("https://")
    assert teaser.provider == "YouTube"
    assert teaser.published_on == datetime.date(2022, 12, 20)
    assert teaser.thumbnail == loaded.stills["awakening"]
    assert str(loaded) == (
        "Demo pictures: 7 stills (7 new), 5 portraits (5 new), 1 video (1 new)."
    )


def test_every_picture_is_stored_with_renditions_of_the_recorded_size(loaded, media):
    """Each picture's master and its WebP and JPEG renditions are in storage, at
    the sizes the row records, none wider than the picture."""
    pictures = [*Still.objects.all(), *Portrait.objects.all()]
    assert len(pictures) == 12
    for picture in pictures:
        with Image.open(media / picture.image.name) as master:
            assert master.size == (picture.width, picture.height)
            assert master.format == "JPEG"
        widths = [rendition[0] for rendition in picture.renditions]
        assert widths == rendition_widths_for(picture.width)
        for width, height, *_sizes in picture.renditions:
            assert width <= picture.width
            for fmt, format_name in (("webp", "WEBP"), ("jpg", "JPEG")):
                name = files.rendition_name(picture.image.name, width, fmt)
                with Image.open(media / name) as rendition:
                    assert rendition.format == format_name
                    assert rendition.size == (width, height)
    assert stored_files(media) == {
        name for picture in pictures for name in picture.file_names()
    }


def test_real_sizes_use_every_rendition_width_and_never_upscale():
    """At their real sizes the stills fill every configured rendition width, one
    is narrower than the widest so its own width is the largest, and landscape
    stills are landscape, the poster and portraits portrait."""
    configured = django_settings.IMAGE_RENDITION_WIDTHS
    widths_used = {
        width for spec in STILLS for width in rendition_widths_for(spec.size[0])
    }
    assert set(configured) <= widths_used
    assert any(
        max(rendition_widths_for(spec.size[0])) == spec.size[0] < max(configured)
        for spec in STILLS
    )
    for spec in STILLS:
        width, height = spec.size
        assert (width < height) == (spec.kind == Still.Kind.POSTER), spec.role
    assert demo_pictures.PORTRAIT_SIZE[0] < demo_pictures.PORTRAIT_SIZE[1]


def test_drawings_are_distinct_pictures():
    """No two demo pictures are the same drawing."""
    drawings = [spec.draw(160, 90).tobytes() for spec in STILLS]
    letters = [
        demo_pictures.draw_portrait(90, 110, style, "AB").tobytes()
        for style in demo_pictures.PORTRAIT_STYLES.values()
    ]
    assert len(set(drawings)) == len(drawings)
    assert len(set(letters)) == len(letters)


def test_rerun_adds_nothing(loaded, media):
    """Loading the pictures again creates no row and writes no file."""
    files_before = stored_files(media)

    again = load_pictures_demo()

    assert (again.new_stills, again.new_portraits, again.new_videos) == (0, 0, 0)
    assert Still.objects.count() == 7
    assert Portrait.objects.count() == 5
    assert Video.objects.count() == 1
    assert stored_files(media) == files_before
    assert again.stills == loaded.stills


def test_rerun_keeps_staff_edits_and_replaced_images(
    loaded, django_capture_on_commit_callbacks
):
    """A caption rewritten by staff and an image they replaced survive a rerun."""
    edited = loaded.stills["laboratory"]
    edited.caption = "The laboratory set, as staff describe it."
    edited.save()
    replaced = loaded.stills["shelter_city"]
    with django_capture_on_commit_callbacks(execute=True):
        replaced.image = png()
        replaced.save()

    load_pictures_demo()

    edited.refresh_from_db()
    assert edited.caption == "The laboratory set, as staff describe it."
    current = Still.objects.get(pk=replaced.pk)
    assert current.image.name == replaced.image.name
    assert (current.width, current.height) == (800, 600)
    assert Still.objects.count() == 7


def test_deleted_poster_is_drawn_again_while_the_film_has_none(loaded):
    """Deleting the poster leaves Jung_E without one; a rerun draws the demo poster
    again and makes it the poster, as it restores any missing demo row."""
    loaded.stills["poster"].delete()
    film = Film.objects.get(slug="jung-e")
    assert film.poster is None

    again = load_pictures_demo()

    film.refresh_from_db()
    assert again.new_stills == 1
    assert film.poster == again.stills["poster"]
    assert film.poster.kind == Still.Kind.POSTER
    assert film.stills.count() == 7


def test_poster_chosen_by_staff_is_kept(loaded):
    """When staff make another still the poster and delete the demo one, a rerun
    neither draws the demo poster again nor changes the film's poster."""
    film = Film.objects.get(slug="jung-e")
    film.poster = loaded.stills["on_set"]
    film.save()
    loaded.stills["poster"].delete()

    again = load_pictures_demo()

    film.refresh_from_db()
    assert again.new_stills == 0
    assert film.poster == loaded.stills["on_set"]
    assert not film.stills.filter(kind=Still.Kind.POSTER).exists()
    assert film.stills.count() == 6


def test_people_who_are_not_in_the_catalog_are_skipped(db, media):
    """Without Park So-yi in the catalog there is no portrait of her, and the
    pictures load all the same."""
    load_catalog_demo()
    Credit.objects.filter(person__slug="park-so-yi").delete()
    Person.objects.filter(slug="park-so-yi").delete()

    result = load_pictures_demo()

    assert "park-so-yi" not in result.portraits
    assert Portrait.objects.count() == 4


def test_a_failed_load_leaves_no_rows_and_no_files(db, media, monkeypatch):
    """If a drawing fails half-way, the pictures already saved are rolled back and
    their files removed."""
    load_catalog_demo()

    def broken(width, height):
        raise RuntimeError("the drawing failed")

    stills = [*STILLS[:-1], dataclasses.replace(STILLS[-1], draw=broken)]
    monkeypatch.setattr(demo_pictures, "STILLS", stills)

    with pytest.raises(RuntimeError):
        load_pictures_demo()

    assert not Still.objects.exists()
    assert Film.objects.get(slug="jung-e").poster is None
    assert stored_files(media) == set()
