from django.urls import path

from core.pagecache import public_page

from . import views

app_name = "search"

urlpatterns = [
    path("search/", public_page(views.search), name="search"),
    path("search/suggestions/", public_page(views.suggestions), name="suggestions"),
    path("search/opensearch.xml", public_page(views.opensearch), name="opensearch"),
]
