from django.contrib import admin
from django.urls import include, path

from images.urls import media_urlpatterns
from news.views import home

admin.site.site_header = "Filmsite staff"
admin.site.site_title = "Filmsite staff"
admin.site.index_title = "Catalog and magazine"

urlpatterns = [
    path("", home, name="home"),
    path("", include("catalog.urls")),
    path("", include("news.urls")),
    path("admin/", admin.site.urls),
    *media_urlpatterns(),
]
