from django.urls import reverse
from django.views.generic import DetailView, ListView

from core.paginator import MemoPaginationMixin, list_key

from .forms import FilmFilterForm
from .models import Film, Person
from .selectors import film_details, person_details


def film_index_crumb() -> tuple[str, str]:
    return ("Films", reverse("catalog:film-list"))


def person_index_crumb() -> tuple[str, str]:
    return ("People", reverse("catalog:person-list"))


class FilmListView(MemoPaginationMixin, ListView):
    paginate_by = 24

    def pagination_key(self) -> str:
        filters = sorted(
            (lookup, getattr(value, "pk", value))
            for lookup, value in self.active_filters.items()
        )
        return list_key("films", filters)

    def get_queryset(self):
        self.filter_form = FilmFilterForm(self.request.GET)
        self.active_filters = self.filter_form.filters()
        return Film.objects.for_listing().filter(**self.active_filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            filtered=bool(self.active_filters),
            breadcrumbs=[film_index_crumb()],
            **kwargs,
        )


class FilmDetailView(DetailView):
    def get_queryset(self):
        return Film.objects.with_details()

    def get_context_data(self, **kwargs):
        film = self.object
        return super().get_context_data(
            details=film_details(film),
            breadcrumbs=[film_index_crumb(), (str(film), film.get_absolute_url())],
            **kwargs,
        )


class FilmStillsView(DetailView):
    template_name = "catalog/film_stills.html"

    def get_queryset(self):
        return Film.objects.with_gallery()

    def get_context_data(self, **kwargs):
        film = self.object
        return super().get_context_data(
            breadcrumbs=[
                film_index_crumb(),
                (str(film), film.get_absolute_url()),
                ("Stills", reverse("catalog:film-stills", kwargs={"slug": film.slug})),
            ],
            **kwargs,
        )


class PersonListView(MemoPaginationMixin, ListView):
    paginate_by = 48

    def pagination_key(self) -> str:
        return list_key("people")

    def get_queryset(self):
        return Person.objects.select_related("native_name_language", "portrait")

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[person_index_crumb()], **kwargs)


class PersonDetailView(DetailView):
    def get_queryset(self):
        return Person.objects.with_filmography()

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            details=person_details(person),
            breadcrumbs=[
                person_index_crumb(),
                (person.name, person.get_absolute_url()),
            ],
            **kwargs,
        )
