from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/suggestions/", views.suggestions, name="suggestions"),
    path("search/opensearch.xml", views.opensearch, name="opensearch"),
]
