from django import forms

from core.generation import memo

from .models import Country, Film, Genre


class FilmFilterForm(forms.Form):
    """The film index filters. A value that does not validate is ignored."""

    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    genre = forms.ModelChoiceField(
        queryset=Genre.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any genre",
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *Film.Kind.choices], required=False
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Any country",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The values in use are read from the whole film table: once per
        # change to the content, not once per request.
        years = memo("film-filter:years", years_in_use)
        self.fields["year"].choices = [("", "Any year")] + [(y, y) for y in years]
        for name, model in (("genre", Genre), ("country", Country)):
            in_use = memo(f"film-filter:{name}", lambda model=model: in_use_by(model))
            self.fields[name].queryset = model.objects.filter(pk__in=in_use)

    # Form field -> Film lookup.
    LOOKUPS = {
        "year": "year",
        "genre": "genres",
        "kind": "kind",
        "country": "countries",
    }

    def filters(self) -> dict:
        """Film lookups for the values that validated.

        A value that does not validate (?year=abc, an unknown genre) is dropped
        as though it had not been given, so the form shows it unselected.
        """
        if not self.is_valid():
            self.data = self.data.copy()
            for name in list(self.errors):
                self.data.pop(name, None)
                del self.errors[name]
        return {
            self.LOOKUPS[name]: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


def years_in_use() -> list[int]:
    return list(
        Film.objects.filter(year__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def in_use_by(model) -> list[int]:
    """The primary keys of the genres (or countries) some film has."""
    return list(
        model.objects.filter(films__isnull=False)
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )
