"""Demo content for the magazine: sections, two staff writers and three articles
about Jung_E.

The facts come from the demo facts sheet; the writers are fictional. Run it after
the demo catalog, whose films and people the articles are about and link to. Rows
are looked up by slug and related rows only set on new articles, so a rerun never
duplicates anything or undoes staff edits.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from catalog.models import Film, Person, Still
from news.models import Article, Author, Byline, Section
from news.services import record_body_links

SEOUL = ZoneInfo("Asia/Seoul")

SECTIONS = [
    {
        "slug": "film-news",
        "name": "Film News",
        "description": "Announcements, trailers and reports from film and series "
        "productions.",
        "position": 1,
    },
    {
        "slug": "culture",
        "name": "Culture",
        "description": "Criticism and wider conversation about cinema, television "
        "and the people who make them.",
        "position": 2,
    },
    {
        "slug": "reviews",
        "name": "Reviews",
        "description": "Our critics' verdicts on new films and series, with a "
        "rating out of five.",
        "position": 3,
    },
]

AUTHORS = [
    {
        "slug": "mira-kwon",
        "name": "Mira Kwon",
        "bio": "Mira Kwon is a news reporter at Filmsite, covering releases, "
        "trailers and production news.",
    },
    {
        "slug": "daniel-reyes",
        "name": "Daniel Reyes",
        "bio": "Daniel Reyes is Filmsite's film critic and reviews new releases "
        "for the magazine.",
    },
]

JUNG_E_CAST = ["kim-hyun-joo", "kang-soo-yeon", "ryu-kyung-soo"]

SET_STILLS_BODY = (
    "Netflix has published a series of production stills from "
    "[Jung_E](film:jung-e), offering a look behind the cameras of "
    "[Yeon Sang-ho](person:yeon-sang-ho)'s science-fiction film ten days before "
    "it reaches the service.\n\n"
    "The photographs were taken on the set of a research laboratory imagined in "
    "the year 2194. Camera rigs are set up around the laboratory, "
    "and members of the cast and crew can be seen going about their work. One "
    "image stands out: a robot head resting on the floor of the set, with the "
    "name Jung-E written on it.\n\n"
    "Alongside the images, Yeon praised his crew for giving physical form on set "
    "to the story's science-fiction ideas.\n\n"
    "Yeon wrote the screenplay as well as directing. His story takes place in "
    "the 22nd century, on an Earth that climate change has left in ruins. What "
    "remains of humanity lives in artificial shelters, and civil war has broken "
    "out. At the Kronoid institute, scientists are trying to "
    "build the ultimate combat AI from a cloned copy of the brain of Captain Yun "
    "Jung-yi, a mercenary whose feats have made her a legend.\n\n"
    "[Kim Hyun-joo](person:kim-hyun-joo) plays Jung-yi. "
    "[Kang Soo-yeon](person:kang-soo-yeon) is Yun Seo-hyun, the scientist who "
    "heads the brain-cloning team and who is also Jung-yi's daughter, while "
    "[Ryu Kyung-soo](person:ryu-kyung-soo) plays Kim Sang-hoon, the director of "
    "the laboratory. The child actress [Park So-yi](person:park-so-yi) is also "
    "part of the cast.\n\n"
    "The film is Kang Soo-yeon's last. The actress, who was named Best Actress "
    "at the Venice Film Festival for The Surrogate Woman in 1987, died in May "
    "2022 at the age of 55, before Jung_E was released, and the film is "
    "dedicated to her.\n\n"
    "Produced by Climax Studio and Dexter Studio, Jung_E runs for 99 minutes and "
    "premieres worldwide on Netflix on Friday 20 January.\n\n"
    "All of the production stills are credited to Netflix."
)

TEASER_BODY = (
    "Netflix has shared the first teaser trailer for [Jung_E](film:jung-e), the "
    "new science-fiction film written and directed by "
    "[Yeon Sang-ho](person:yeon-sang-ho). The film will be available worldwide "
    "on the service from 20 January, about a month from now.\n\n"
    "The teaser sets up the premise in a few strokes. In the 22nd century, with "
    "the planet wrecked by climate change, the survivors live in man-made "
    "shelters and are caught up in a civil war. To bring the fighting to an end, "
    "researchers set out to clone the brain of a heroic soldier, Captain Yun "
    "Jung-yi, and make it the basis of the ultimate combat AI. The trailer saves "
    "its most striking moment for the very end, when the clone opens its "
    "eyes.\n\n"
    "[Kim Hyun-joo](person:kim-hyun-joo) plays the soldier at the centre of the "
    "experiment. [Kang Soo-yeon](person:kang-soo-yeon) is Yun Seo-hyun, the "
    "researcher who leads the brain-cloning team and who is Jung-yi's daughter, "
    "and [Ryu Kyung-soo](person:ryu-kyung-soo) plays Kim Sang-hoon, the head of "
    "the laboratory. The child actress [Park So-yi](person:park-so-yi) also "
    "appears in the cast. Jung_E is Kang's final film: the actress, who won Best "
    "Actress at the Venice Film Festival for The Surrogate Woman, died in May "
    "2022, and the film is dedicated to her.\n\n"
    "The project brings Yeon back to Netflix. His earlier work includes the 2016 "
    "feature [Train to Busan](film:train-to-busan) and the series "
    "[Hellbound](film:hellbound), which Netflix released in 2021 and in which "
    "Kim Hyun-joo also appeared.\n\n"
    "Speaking about the new film, Yeon also reflected on how Korean films and "
    "drama series have been finding a growing audience around the world.\n\n"
    "Jung_E was produced by Climax Studio and Dexter Studio and runs for 99 "
    "minutes."
)

REVIEW_BODY = (
    "[Jung_E](film:jung-e) is a science-fiction thriller with plenty of hardware "
    "on display, yet its best moments have little to do with machines. "
    "[Yeon Sang-ho](person:yeon-sang-ho)'s film comes alive when it stays with a "
    "mother and her daughter, and loses its way when it reaches for "
    "spectacle.\n\n"
    "The setting is the 22nd century. Climate change has ruined the Earth, the "
    "survivors shelter in man-made habitats, and a civil war drags on. At the "
    "Kronoid institute, a team is working to turn the cloned brain of Captain "
    "Yun Jung-yi, a mercenary of legendary standing played by "
    "[Kim Hyun-joo](person:kim-hyun-joo), into the ultimate combat AI. The "
    "scientist leading the work, Yun Seo-hyun, is her daughter.\n\n"
    "The film's look owes a great deal to Blade Runner, and the debt extends to "
    "the story, which stages an ethics test that could have come straight out "
    "of that film. The questions that artificial intelligence raises are "
    "present throughout, but the film is content to point at them rather than "
    "dig into them.\n\n"
    "Its world also feels smaller than its premise suggests. For a story set "
    "during a civil war, the action rarely leaves the research lab, and the combat "
    "scenes rely on computer effects that look generic and add little tension "
    "to what the quieter scenes have built.\n\n"
    "What holds Jung_E together is the bond between Seo-hyun and the mother whose "
    "mind she is helping to copy. As Seo-hyun, "
    "[Kang Soo-yeon](person:kang-soo-yeon) gives a restrained performance, and "
    "the film is at its most affecting when it simply watches her. It is her "
    "final role: she died in May 2022, before the film's release, and it is "
    "dedicated to her. [Ryu Kyung-soo](person:ryu-kyung-soo) completes the main "
    "cast as Kim Sang-hoon, the director of the lab.\n\n"
    "Jung_E will not be remembered for its action or for its ideas about AI, but "
    "the relationship at its heart, and Kang's quiet farewell, make it worth "
    "watching.\n\n"
    "Jung_E is available to watch on Netflix from Friday 20 January."
)

ARTICLES = [
    {
        "slug": "netflix-releases-jung-e-set-stills",
        "kind": Article.Kind.NEWS,
        "section": "film-news",
        "headline": "Netflix opens the set of Jung_E with new production stills",
        "standfirst": "Behind-the-scenes images from Yeon Sang-ho's science-fiction "
        "film show a laboratory of the year 2194 being brought to life.",
        "status": Article.Status.PUBLISHED,
        "body": SET_STILLS_BODY,
        "published_at": datetime.datetime(2023, 1, 10, 9, 0, tzinfo=SEOUL),
        "authors": ["mira-kwon"],
        "films": ["jung-e"],
        "people": ["yeon-sang-ho", *JUNG_E_CAST, "park-so-yi"],
    },
    {
        "slug": "jung-e-first-teaser-trailer",
        "kind": Article.Kind.NEWS,
        "section": "film-news",
        "headline": "First teaser for Yeon Sang-ho's Jung_E brings a cloned soldier "
        "to life",
        "standfirst": "Netflix has shared the first look at the science-fiction "
        "film about a legendary soldier's brain, cloned to end a civil war. It "
        "arrives on 20 January.",
        "status": Article.Status.PUBLISHED,
        "body": TEASER_BODY,
        "published_at": datetime.datetime(2022, 12, 20, 9, 0, tzinfo=SEOUL),
        "authors": ["mira-kwon"],
        "films": ["jung-e"],
        "people": ["yeon-sang-ho", *JUNG_E_CAST, "park-so-yi"],
    },
    {
        "slug": "jung-e-review",
        "kind": Article.Kind.REVIEW,
        "section": "culture",
        "headline": "Jung_E review: a mother and daughter at the heart of the machine",
        "standfirst": "Yeon Sang-ho's science-fiction thriller borrows its look "
        "from Blade Runner and its action from stock effects, but Kang Soo-yeon's "
        "quiet final performance gives it a heart.",
        "status": Article.Status.PUBLISHED,
        "body": REVIEW_BODY,
        "published_at": datetime.datetime(2023, 1, 19, 9, 0, tzinfo=SEOUL),
        "reviewed_film": "jung-e",
        "rating": Decimal("3.5"),
        "verdict": "Worth watching for its mother-daughter story and Kang "
        "Soo-yeon's farewell, if not for its action.",
        "authors": ["daniel-reyes"],
        "films": ["jung-e"],
        "people": ["kang-soo-yeon", "kim-hyun-joo", "ryu-kyung-soo", "yeon-sang-ho"],
    },
]

# Keys of an ARTICLES entry that are not plain defaults: the lookup key and relations.
ARTICLE_RELATIONS = {"slug", "section", "reviewed_film", "authors", "films", "people"}


# The demo still (by its role in demo.pictures) that leads each article.
LEAD_IMAGES = {
    "netflix-releases-jung-e-set-stills": "on_set",
    "jung-e-first-teaser-trailer": "awakening",
    "jung-e-review": "mother_and_daughter",
}


def load_news_demo(stills: dict[str, Still] | None = None) -> tuple[int, int]:
    """Create the demo sections, authors and three articles that are missing;
    return (number of articles in the demo, number newly created).

    ``stills`` are the demo stills by role; an article without a lead image
    gets the one named in LEAD_IMAGES."""
    stills = stills or {}
    sections = {
        entry["slug"]: Section.objects.get_or_create(
            slug=entry["slug"], defaults=entry
        )[0]
        for entry in SECTIONS
    }
    authors = {
        entry["slug"]: Author.objects.get_or_create(slug=entry["slug"], defaults=entry)[
            0
        ]
        for entry in AUTHORS
    }
    films = Film.objects.in_bulk(
        {slug for entry in ARTICLES for slug in entry["films"]}
        | {entry["reviewed_film"] for entry in ARTICLES if "reviewed_film" in entry},
        field_name="slug",
    )
    people = Person.objects.in_bulk(
        {slug for entry in ARTICLES for slug in entry["people"]}, field_name="slug"
    )

    created_count = 0
    for entry in ARTICLES:
        defaults = {k: v for k, v in entry.items() if k not in ARTICLE_RELATIONS}
        defaults["section"] = sections[entry["section"]]
        if "reviewed_film" in entry:
            defaults["reviewed_film"] = films[entry["reviewed_film"]]
        lead_image = stills.get(LEAD_IMAGES.get(entry["slug"], ""))
        defaults["lead_image"] = lead_image
        article, created = Article.objects.get_or_create(
            slug=entry["slug"], defaults=defaults
        )
        if not created:
            if article.lead_image_id is None and lead_image is not None:
                # An update, not a save: the article was not edited.
                Article.objects.filter(pk=article.pk).update(lead_image=lead_image)
            continue
        created_count += 1
        Byline.objects.bulk_create(
            Byline(article=article, author=authors[slug], position=position)
            for position, slug in enumerate(entry["authors"])
        )
        article.films.set(films[slug] for slug in entry["films"])
        article.people.set(people[slug] for slug in entry["people"])
        record_body_links(article)
        # The archive was written when it was published, not when it was loaded:
        # without this, every demo article would read "Updated" today.
        Article.objects.filter(pk=article.pk).update(
            created=article.published_at, updated=article.published_at
        )
    return len(ARTICLES), created_count
