from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("films/", views.FilmListView.as_view(), name="film-list"),
    path("films/<slug:slug>/", views.FilmDetailView.as_view(), name="film-detail"),
    path(
        "films/<slug:slug>/stills/", views.FilmStillsView.as_view(), name="film-stills"
    ),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
]
