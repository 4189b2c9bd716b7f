from django.urls import path

from core.pagecache import public_page

from . import views

app_name = "catalog"

urlpatterns = [
    path("films/", public_page(views.FilmListView.as_view()), name="film-list"),
    path(
        "films/<slug:slug>/",
        public_page(views.FilmDetailView.as_view()),
        name="film-detail",
    ),
    path(
        "films/<slug:slug>/stills/",
        public_page(views.FilmStillsView.as_view()),
        name="film-stills",
    ),
    path("people/", public_page(views.PersonListView.as_view()), name="person-list"),
    path(
        "people/<slug:slug>/",
        public_page(views.PersonDetailView.as_view()),
        name="person-detail",
    ),
]
