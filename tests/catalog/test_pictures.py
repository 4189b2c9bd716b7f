"""Pictures on the public pages: posters, stills, portraits, lead images, videos."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage

from tests.factories import (
    make_article,
    make_credit,
    make_film,
    make_person,
    make_portrait,
    make_still,
    make_video,
)
from tests.pages import text

pytestmark = pytest.mark.django_db


class Images(HTMLParser):
    """Every <img> and <source> on a page, with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.images: list[dict] = []
        self.sources: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag == "source":
            self.sources.append(dict(attrs))


def images_on(response) -> Images:
    assert response.status_code == 200
    found = Images(response.content.decode())
    for image in found.images:
        # No layout shift, and always an alt (empty only when decorative).
        assert image["width"].isdigit() and image["height"].isdigit(), image
        assert "alt" in image, image
    return found


@pytest.fixture
def film():
    film = make_film(title="Jung_E", slug="jung-e", year=2023)
    film.poster = make_still(
        film,
        kind="poster",
        alt_text="The Jung_E poster: a combat android's face",
        caption="The teaser poster",
        width=1400,
        height=2000,
        renditions=[[320, 457], [640, 914], [1024, 1463], [1400, 2000, 1, 1]],
    )
    film.save()
    return film


def test_the_film_page_shows_the_poster_first_and_sharp(client, film):
    found = images_on(client.get("/films/jung-e/"))
    poster = found.images[0]
    assert poster["alt"] == "The Jung_E poster: a combat android's face"
    assert (poster["width"], poster["height"]) == ("1400", "2000")
    assert "loading" not in poster  # above the fold: fetched at once
    assert poster["fetchpriority"] == "high"
    assert re.fullmatch(r"(/media/images/\S+/\d+\.jpg \d+w(, )?)+", poster["srcset"])
    webp = found.sources[0]
    assert webp["type"] == "image/webp"
    assert webp["srcset"].count(".webp ") == 4
    assert webp["sizes"] == poster["sizes"]
    page = text(client.get("/films/jung-e/"))
    assert "The teaser poster Image: Netflix" in page


def test_the_film_page_shows_a_strip_of_stills_and_links_the_gallery(client, film):
    for n in range(10):
        make_still(film, alt_text=f"Scene {n}", position=n)
    response = client.get("/films/jung-e/")
    found = images_on(response)
    strip = [image for image in found.images if image["alt"].startswith("Scene")]
    assert [image["alt"] for image in strip] == [f"Scene {n}" for n in range(7)]
    assert all(image["loading"] == "lazy" for image in strip)
    assert "All 11 stills with captions" in text(response)
    assert 'href="/films/jung-e/stills/"' in response.content.decode()


def test_a_trailer_is_a_link_out_that_loads_nothing_from_the_provider(client, film):
    make_video(
        film,
        kind="teaser",
        title="Jung_E | Official teaser",
        url="https://www.youtube.com/watch?v=abcdefghijk",
    )
    response = client.get("/films/jung-e/")
    html = response.content.decode()
    assert 'href="https://www.youtube.com/watch?v=abcdefghijk"' in html
    assert "<iframe" not in html
    assert "youtube.com/embed" not in html
    assert "ytimg" not in html  # the facade shows our own picture
    assert "Jung_E | Official teaser Teaser · plays on YouTube" in text(response)


def test_cast_members_have_their_portraits_beside_their_names(client, film):
    person = make_person(name="Kang Soo-yeon")
    make_portrait(person)
    make_credit(film=film, person=person, character="Yun Seo-hyun")
    found = images_on(client.get("/films/jung-e/"))
    # The name is right there, so the portrait adds nothing to read aloud.
    assert any(
        image["alt"] == "" and image["sizes"] == "3rem" for image in found.images
    )


def test_the_gallery_lists_every_still_with_caption_credit_and_people(client, film):
    kang = make_person(name="Kang Soo-yeon", slug="kang-soo-yeon")
    make_still(
        film,
        caption="Kang Soo-yeon in the laboratory set",
        credit="Netflix",
        people=[kang],
        kind="behind_the_scenes",
    )
    response = client.get("/films/jung-e/stills/")
    page = text(response)
    assert "Stills from Jung_E" in page
    assert "2 pictures" in page
    assert "Kang Soo-yeon in the laboratory set Image: Netflix" in page
    assert "Behind the scenes" in page
    assert "Poster · the film's poster" in page
    assert "In this picture: Kang Soo-yeon" in page
    assert 'href="/people/kang-soo-yeon/"' in response.content.decode()
    assert f'id="still-{film.poster.pk}"' in response.content.decode()
    images_on(response)


def test_the_gallery_of_an_unknown_film_is_not_found(client):
    assert client.get("/films/no-such-film/stills/").status_code == 404


def test_a_film_without_stills_says_so_in_its_gallery(client):
    make_film(slug="bare")
    assert "No stills of this film" in text(client.get("/films/bare/stills/"))


def test_the_gallery_query_count_does_not_grow_with_stills(count_queries, film):
    people = [make_person() for _ in range(3)]
    make_still(film, people=people)
    # film (+ poster); stills; the people in them.
    assert count_queries("/films/jung-e/stills/") == 3
    for _ in range(100):
        make_still(film, people=people)
    assert count_queries("/films/jung-e/stills/") == 3


def test_the_person_page_shows_the_portrait_and_the_stills_they_are_in(client, film):
    person = make_person(name="Kang Soo-yeon", slug="kang-soo-yeon")
    make_portrait(person, alt_text="Kang Soo-yeon, smiling", credit="Filmsite")
    make_still(film, people=[person], alt_text="Kang Soo-yeon at a console")
    response = client.get("/people/kang-soo-yeon/")
    alts = [image["alt"] for image in images_on(response).images]
    assert alts[:2] == ["Kang Soo-yeon, smiling", "Kang Soo-yeon at a console"]
    page = text(response)
    assert "In pictures" in page and "Jung_E" in page


def test_the_people_index_shows_small_portraits(client):
    make_portrait(make_person(name="Kang Soo-yeon"))
    found = images_on(client.get("/people/"))
    assert found.images[0]["alt"] == ""


def test_an_article_is_led_by_its_still_with_caption_and_credit(client, film):
    still = make_still(
        film, caption="The robot head on the laboratory floor", credit="Netflix"
    )
    article = make_article(lead_image=still, slug="set-stills")
    response = client.get(article.get_absolute_url())
    found = images_on(response)
    assert found.images[0]["alt"] == still.alt_text
    assert found.images[0]["fetchpriority"] == "high"
    assert "The robot head on the laboratory floor Image: Netflix" in text(response)


def test_cards_carry_the_lead_image_sized_for_cards(client, film):
    still = make_still(film, credit="Netflix")
    make_article(lead_image=still)
    response = client.get("/")
    found = images_on(response)
    card_images = [
        i for i in found.images if i["sizes"].startswith("(min-width: 64rem)")
    ]
    assert card_images and card_images[0]["loading"] == "lazy"
    assert "Image: Netflix" in text(response)


def test_film_cards_show_the_poster(client, film):
    found = images_on(client.get("/films/"))
    assert found.images[0]["sizes"] == "6rem"


def test_pages_never_open_stored_files(client, film, monkeypatch):
    """Pages are built from the database alone: the originals, or any file,
    are never read on a page request."""

    def forbidden(*args, **kwargs):
        raise AssertionError("a page request touched the stored files")

    for method in ("open", "exists", "size", "listdir"):
        monkeypatch.setattr(default_storage, method, forbidden)
    person = make_person(slug="kang")
    make_portrait(person)
    still = make_still(film, people=[person])
    make_video(film, thumbnail=still)
    article = make_article(lead_image=still, films=[film])
    for url in [
        "/",
        "/films/",
        "/films/jung-e/",
        "/films/jung-e/stills/",
        "/people/",
        "/people/kang/",
        article.get_absolute_url(),
        "/news/",
    ]:
        assert client.get(url).status_code == 200, url


def test_hostile_picture_text_is_escaped_everywhere_it_is_drawn(client, film):
    """The picture tags write their markup in Python: alt text, caption and
    credit are escaped on the film page, the gallery and the person page."""
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    person = make_person(slug="kim-hyun-joo")
    make_still(film, people=[person], alt_text=hostile, caption=hostile, credit=hostile)
    for url in ["/films/jung-e/", "/films/jung-e/stills/", "/people/kim-hyun-joo/"]:
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page, url
        assert "onerror=alert(2)>" not in page.replace("&lt;", ""), url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
