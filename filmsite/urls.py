from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from catalog.sitemaps import FilmSitemap, PersonSitemap
from core.pagecache import public_page
from images.urls import media_urlpatterns
from news.sitemaps import ArticleSitemap, ListPageSitemap, NewsSitemap
from news.views import home
from ops.views import csp_report, robots_txt
from seo import sitemaps as seo_sitemaps

admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} staff"
handler400 = "ops.views.bad_request"
handler500 = "ops.views.server_error"

admin.site.index_title = "Catalog and magazine"

SITEMAPS = {
    "lists": ListPageSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
    "articles": ArticleSitemap,
    "news": NewsSitemap,
}

urlpatterns = [
    path("", public_page(home), name="home"),
    path("robots.txt", public_page(robots_txt), name="robots-txt"),
    path("csp-report/", csp_report, name="csp-report"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    # The Google News sitemap has its own elements; it is listed in the index.
    path(
        "sitemap-news.xml",
        public_page(seo_sitemaps.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "section": "news"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(seo_sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("catalog.urls")),
    path("", include("news.urls")),
    path("", include("search.urls")),
    path("admin/", admin.site.urls),
    *media_urlpatterns(),
]
