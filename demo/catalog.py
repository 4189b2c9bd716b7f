"""The demo catalog: Jung_E, its cast and crew, and a few related works.

Everything here comes from the demo facts sheet; a field the facts do not give (or
mark as uncertain) is left empty. Rows are looked up by their natural keys and only
filled in when they are new, so a rerun never duplicates or overwrites staff edits.
"""

import datetime

from catalog.models import (
    AlternativeTitle,
    Company,
    Country,
    Credit,
    Department,
    Film,
    Genre,
    Language,
    Person,
    PersonNameVariant,
    WatchLink,
)

LANGUAGES = {"ko": "Korean"}

COUNTRIES = {"kr": "South Korea"}

GENRES = {
    "science-fiction": "Science fiction",
    "action": "Action",
    "drama": "Drama",
    "animation": "Animation",
}

COMPANIES = {
    "climax-studio": "Climax Studio",
    "dexter-studio": "Dexter Studio",
    "netflix": "Netflix",
}

PEOPLE = [
    {
        "slug": "yeon-sang-ho",
        "name": "Yeon Sang-ho",
        "native_name": "연상호",
        "native_name_language": "ko",
        "name_variants": ["Yeon Sangho"],
        "biography": (
            "Yeon Sang-ho writes and directs for both cinema and streaming. His "
            "best-known work includes two features from 2016, Train to Busan and "
            "the animated Seoul Station, followed by Peninsula in 2020 and the "
            "Netflix series Hellbound in 2021.\n\n"
            "He was both writer and director of Jung_E, which Netflix put out "
            "in January 2023."
        ),
    },
    {
        "slug": "kim-hyun-joo",
        "name": "Kim Hyun-joo",
        "native_name": "김현주",
        "native_name_language": "ko",
        "biography": (
            "Kim Hyun-joo is an actress who was part of the cast of Hellbound, "
            "Yeon Sang-ho's 2021 series for Netflix. In his film Jung_E (2023) "
            "she has the title role: Captain Yun Jung-yi, the celebrated "
            "mercenary whose brain is cloned to build a combat AI."
        ),
    },
    {
        "slug": "kang-soo-yeon",
        "name": "Kang Soo-yeon",
        "native_name": "강수연",
        "native_name_language": "ko",
        "birth_date": datetime.date(1966, 8, 18),
        "death_date": datetime.date(2022, 5, 7),
        "name_variants": ["Kang Sooyeon", "Kang Soo-youn"],
        "biography": (
            "Kang Soo-yeon was an actress whose performance in The Surrogate "
            "Woman (1987) brought her the Best Actress prize at the Venice Film "
            "Festival.\n\n"
            "Jung_E was her last film: she plays Yun Seo-hyun, the scientist in "
            "charge of the brain-cloning project. She died in May 2022, aged 55, "
            "before the film came out, and it is dedicated to her memory."
        ),
    },
    {
        "slug": "ryu-kyung-soo",
        "name": "Ryu Kyung-soo",
        "native_name": "류경수",
        "native_name_language": "ko",
        "name_variants": ["Ryoo Kyung-soo"],
        "biography": (
            "Ryu Kyung-soo is an actor; his name is sometimes romanised Ryoo "
            "Kyung-soo. In Jung_E (2023) he plays Kim Sang-hoon, the man who runs "
            "the laboratory where the combat AI is being developed."
        ),
    },
    {
        "slug": "park-so-yi",
        "name": "Park So-yi",
        "native_name": "박소이",
        "native_name_language": "ko",
        "biography": (
            "Park So-yi is a child actress. She is among the cast of Jung_E, "
            "Yeon Sang-ho's 2023 science-fiction film."
        ),
    },
    {"slug": "byun-seung-min", "name": "Byun Seung-min"},
    {"slug": "yang-jin-mo", "name": "Yang Jin-mo"},
    {"slug": "kim-dong-wook", "name": "Kim Dong-wook"},
]


def crew(person: str, department: str, job: str) -> dict:
    return {"person": person, "department": department, "job": job}


def cast(person: str, character: str = "", billing_order: int = 0) -> dict:
    return {
        "person": person,
        "department": Department.CAST,
        "character": character,
        "billing_order": billing_order,
    }


FILMS = [
    {
        "slug": "jung-e",
        "title": "Jung_E",
        "original_title": "정이",
        "original_language": "ko",
        "kind": Film.Kind.FEATURE,
        "status": Film.Status.RELEASED,
        "release_date": datetime.date(2023, 1, 20),
        "runtime": 99,
        "genres": ["science-fiction", "action", "drama"],
        "countries": ["kr"],
        "languages": ["ko"],
        "production_companies": ["climax-studio", "dexter-studio"],
        "distributor": "netflix",
        "in_focus": True,
        "synopsis": (
            "In the 22nd century, climate change has left the Earth in ruins and "
            "what remains of humanity lives in artificial shelters, now torn by "
            "civil war. Hoping to end the fighting, the Kronoid institute sets out "
            "to build the perfect combat AI from a clone of the brain of Captain "
            "Yun Jung-yi, a mercenary whose exploits are legendary.\n\n"
            "The scientist leading the project, Yun Seo-hyun, is her daughter."
        ),
        "alternative_titles": [
            ("JUNG_E", AlternativeTitle.Kind.STYLISED),
            ("Jung-E", AlternativeTitle.Kind.WORKING),
            ("Jeong-i", AlternativeTitle.Kind.ROMANISED),
            ("Jung E", AlternativeTitle.Kind.SPELLING),
        ],
        "watch_links": [("Netflix", "https://www.netflix.com/search?q=Jung_E")],
        "credits": [
            crew("yeon-sang-ho", Department.DIRECTING, "Director"),
            crew("yeon-sang-ho", Department.WRITING, "Screenplay"),
            cast("kang-soo-yeon", "Yun Seo-hyun", 1),
            cast("kim-hyun-joo", "Yun Jung-yi", 2),
            cast("ryu-kyung-soo", "Kim Sang-hoon", 3),
            # Her character is uncertain in the facts, so it stays empty.
            cast("park-so-yi", billing_order=4),
            crew("byun-seung-min", Department.PRODUCTION, "Producer"),
            crew("yang-jin-mo", Department.EDITING, "Editor"),
            crew("kim-dong-wook", Department.MUSIC, "Music"),
        ],
    },
    {
        "slug": "train-to-busan",
        "title": "Train to Busan",
        "original_title": "부산행",
        "original_language": "ko",
        "year": 2016,
        "credits": [crew("yeon-sang-ho", Department.DIRECTING, "Director")],
    },
    {
        "slug": "seoul-station",
        "title": "Seoul Station",
        "year": 2016,
        "genres": ["animation"],
        "credits": [crew("yeon-sang-ho", Department.DIRECTING, "Director")],
    },
    {
        "slug": "peninsula",
        "title": "Peninsula",
        "original_title": "반도",
        "original_language": "ko",
        "year": 2020,
        "credits": [crew("yeon-sang-ho", Department.DIRECTING, "Director")],
    },
    {
        "slug": "hellbound",
        "title": "Hellbound",
        "original_title": "지옥",
        "original_language": "ko",
        "kind": Film.Kind.SERIES,
        "year": 2021,
        "distributor": "netflix",
        "credits": [
            crew("yeon-sang-ho", Department.DIRECTING, "Director"),
            cast("kim-hyun-joo"),
        ],
    },
    {
        "slug": "the-surrogate-woman",
        "title": "The Surrogate Woman",
        "year": 1987,
        "alternative_titles": [
            ("The Surrogate Womb", AlternativeTitle.Kind.REGIONAL),
        ],
        "credits": [cast("kang-soo-yeon")],
    },
]

# Keys of a FILMS entry that are not plain defaults: the lookup key and relations.
FILM_RELATIONS = {
    "slug",
    "original_language",
    "distributor",
    "genres",
    "countries",
    "languages",
    "production_companies",
    "alternative_titles",
    "watch_links",
    "credits",
}


def load_catalog_demo() -> str:
    """Create the demo rows that are missing and say what was done."""
    languages = {
        code: Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in LANGUAGES.items()
    }
    countries = {
        code: Country.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in COUNTRIES.items()
    }
    genres = {
        slug: Genre.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in GENRES.items()
    }
    companies = {
        slug: Company.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in COMPANIES.items()
    }

    people = {}
    new_people = 0
    for entry in PEOPLE:
        data = dict(entry)
        variants = data.pop("name_variants", [])
        if "native_name_language" in data:
            data["native_name_language"] = languages[data["native_name_language"]]
        person, created = Person.objects.get_or_create(
            slug=data.pop("slug"), defaults=data
        )
        if created:
            new_people += 1
            # One save per row (not bulk_create) so that the search index,
            # which listens for saves, learns every spelling.
            for name in variants:
                PersonNameVariant.objects.create(person=person, name=name)
        people[person.slug] = person

    new_films = 0
    for entry in FILMS:
        defaults = {k: v for k, v in entry.items() if k not in FILM_RELATIONS}
        if "original_language" in entry:
            defaults["original_language"] = languages[entry["original_language"]]
        if "distributor" in entry:
            defaults["distributor"] = companies[entry["distributor"]]
        film, created = Film.objects.get_or_create(
            slug=entry["slug"], defaults=defaults
        )
        if not created:
            continue
        new_films += 1
        film.genres.set(genres[slug] for slug in entry.get("genres", []))
        film.countries.set(countries[code] for code in entry.get("countries", []))
        film.languages.set(languages[code] for code in entry.get("languages", []))
        film.production_companies.set(
            companies[slug] for slug in entry.get("production_companies", [])
        )
        for title, kind in entry.get("alternative_titles", []):
            AlternativeTitle.objects.create(film=film, title=title, kind=kind)
        WatchLink.objects.bulk_create(
            WatchLink(film=film, provider=provider, url=url, position=position)
            for position, (provider, url) in enumerate(entry.get("watch_links", []))
        )
        for credit in entry.get("credits", []):
            Credit.objects.create(
                film=film, **{**credit, "person": people[credit["person"]]}
            )

    return (
        f"Demo catalog: {len(FILMS)} films ({new_films} new), "
        f"{len(PEOPLE)} people ({new_people} new)."
    )
