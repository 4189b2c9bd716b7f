"""JSON-LD for the catalog's pages: Movie and Person (see seo.structured_data)."""

from __future__ import annotations

from seo.structured_data import (
    CONTEXT,
    Absolute,
    image_urls,
    person_reference,
    without_empty,
)

from .models import Department, Film, Person
from .selectors import FilmDetails, PersonDetails

# A person's credits, as the property of the film that names them.
CREDIT_PROPERTIES = {
    Department.DIRECTING: "director",
    Department.WRITING: "author",
    Department.CAST: "actor",
    Department.PRODUCTION: "producer",
    Department.MUSIC: "musicBy",
}


def iso_duration(minutes: int | None) -> str | None:
    """99 -> "PT1H39M"."""
    if not minutes:
        return None
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")


def movie_reference(film: Film, absolute: Absolute) -> dict:
    return without_empty(
        {
            "@type": "Movie",
            "name": film.title,
            "url": absolute(film.get_absolute_url()),
            "datePublished": film.release_date.isoformat()
            if film.release_date
            else None,
        }
    )


def movie(
    film: Film,
    details: FilmDetails,
    absolute: Absolute,
    reviews: list[dict] = (),
) -> dict:
    """A film page as a Movie: uses what with_details() and film_details()
    loaded, so it costs no query."""
    classification = details.classification
    alternate_names = [film.original_title] if film.original_title else []
    alternate_names += [alt.title for alt in details.alternative_titles]
    actors = []
    for credit in details.cast:
        actor = person_reference(credit.person, absolute)
        if credit.character:
            # A role wraps the actor to say whom they played.
            actor = {
                "@type": "PerformanceRole",
                "actor": actor,
                "characterName": credit.character,
            }
        actors.append(actor)
    return without_empty(
        {
            "@context": CONTEXT,
            **movie_reference(film, absolute),
            "alternateName": list(dict.fromkeys(alternate_names)),
            "image": image_urls(film.poster, absolute),
            "description": film.synopsis,
            "duration": iso_duration(film.runtime),
            "genre": [genre.name for genre in classification.genres],
            "inLanguage": [language.code for language in classification.languages],
            "countryOfOrigin": [
                {"@type": "Country", "name": country.name}
                for country in classification.countries
            ],
            "director": [
                person_reference(c.person, absolute) for c in details.directors
            ],
            "author": [person_reference(c.person, absolute) for c in details.writers],
            "actor": actors,
            "productionCompany": [
                {"@type": "Organization", "name": company.name}
                for company in classification.production_companies
            ],
            "review": list(reviews),
        }
    )


def person(person: Person, details: PersonDetails, absolute: Absolute) -> dict:
    """A person page as a Person, with the films they worked on (each as the
    film's director, actor…, through @reverse)."""
    names = [person.native_name] if person.native_name else []
    names += [variant.name for variant in details.name_variants]
    works: dict[str, list[dict]] = {}
    for _label, credits in details.filmography:
        for credit in credits:
            prop = CREDIT_PROPERTIES.get(credit.department, "contributor")
            works.setdefault(prop, []).append(movie_reference(credit.film, absolute))
    portrait = getattr(person, "portrait", None)
    data = {
        "@context": CONTEXT,
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
        "alternateName": list(dict.fromkeys(names)),
        "birthDate": person.birth_date.isoformat() if person.birth_date else None,
        "deathDate": person.death_date.isoformat() if person.death_date else None,
        "birthPlace": person.birthplace,
        "description": person.biography,
        "image": image_urls(portrait, absolute),
    }
    if works:
        data["@reverse"] = works
    return without_empty(data)
