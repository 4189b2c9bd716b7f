from django.urls import URLPattern, path

from core.pagecache import public_page

from . import feeds, previews, views

app_name = "news"


def feed_urls(route: str, feed_class: type[feeds.ArticleFeed], name: str):
    """A feed in each format: RSS at `route` (named `name`), then Atom and JSON
    Feed below it (`route`atom/ named `name`-atom, and so on)."""
    patterns: list[URLPattern] = []
    for _label, suffix, generator in feeds.FORMATS:
        patterns.append(
            path(
                f"{route}{suffix}/" if suffix else route,
                public_page(feed_class(generator)),
                name=feeds.format_url_name(name, suffix),
            )
        )
    return patterns


urlpatterns = [
    path("news/", public_page(views.ArticleListView.as_view()), name="article-list"),
    path(
        "news/<slug:slug>/",
        public_page(views.ArticleDetailView.as_view()),
        name="article-detail",
    ),
    path(
        "reviews/",
        public_page(views.ArticleListView.as_view(reviews=True)),
        name="review-list",
    ),
    path(
        "reviews/<slug:slug>/",
        public_page(views.ArticleDetailView.as_view(reviews=True)),
        name="review-detail",
    ),
    path(
        "sections/<slug:slug>/",
        public_page(views.SectionDetailView.as_view()),
        name="section-detail",
    ),
    path(
        "authors/<slug:slug>/",
        public_page(views.AuthorDetailView.as_view()),
        name="author-detail",
    ),
    path("feeds/", public_page(views.feed_list), name="feed-list"),
    # Never a public page: not stored by the page cache.
    path("preview/<slug:secret>/", previews.preview, name="preview"),
    *feed_urls("feeds/latest/", feeds.LatestFeed, "latest-feed"),
    *feed_urls("feeds/news/", feeds.NewsFeed, "news-feed"),
    *feed_urls("feeds/reviews/", feeds.ReviewFeed, "review-feed"),
    *feed_urls("films/<slug:slug>/feed/", feeds.FilmFeed, "film-feed"),
    *feed_urls("people/<slug:slug>/feed/", feeds.PersonFeed, "person-feed"),
    *feed_urls("sections/<slug:slug>/feed/", feeds.SectionFeed, "section-feed"),
    *feed_urls("authors/<slug:slug>/feed/", feeds.AuthorFeed, "author-feed"),
]
