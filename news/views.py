from django.conf import settings
from django.db.models import Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from catalog.models import Film
from core.paginator import MemoPaginationMixin, list_key

from .feeds import feed_links
from .models import Article, Author, Section, bylines_prefetch

PAGE_SIZE = 20


def home(request):
    # What the cards show (no reviewed film: a card does not name it), with
    # one query for the bylines of both lists of articles and one for the
    # genres of both lists of films.
    published = Article.objects.published().select_related("section", "lead_image")
    latest_news = list(published.news()[:6])
    latest_reviews = list(published.reviews()[:4])
    prefetch_related_objects([*latest_news, *latest_reviews], bylines_prefetch())
    films = Film.objects.for_listing().prefetch_related(None)
    films_in_focus = list(films.filter(in_focus=True)[:6])
    recent_films = list(
        films.filter(release_date__lte=timezone.localdate()).order_by(
            "-release_date", "title"
        )[:4]
    )
    prefetch_related_objects([*films_in_focus, *recent_films], "genres")
    context = {
        "latest_news": latest_news,
        "latest_reviews": latest_reviews,
        "films_in_focus": films_in_focus,
        "recent_films": recent_films,
    }
    return render(request, "news/home.html", context)


def index_crumb(reviews: bool) -> tuple[str, str]:
    if reviews:
        return ("Reviews", reverse("news:review-list"))
    return ("News", reverse("news:article-list"))


class ArticleListView(MemoPaginationMixin, ListView):
    """/news/ (news and features) or /reviews/."""

    paginate_by = PAGE_SIZE
    template_name = "news/article_list.html"
    reviews = False

    def pagination_key(self) -> str:
        return list_key("articles", "reviews" if self.reviews else "news")

    def get_queryset(self):
        articles = Article.objects.published().for_listing()
        return articles.reviews() if self.reviews else articles.news()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=index_crumb(self.reviews)[0],
            breadcrumbs=[index_crumb(self.reviews)],
            **kwargs,
        )


class ArticleDetailView(DetailView):
    reviews = False

    def get_queryset(self):
        return Article.objects.published().for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if (self.object.kind == Article.Kind.REVIEW) != self.reviews:
            # A review asked for under /news/ (or the reverse) has one address.
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        article = self.object
        films = [film.pk for film in article.films.all()]
        people = [person.pk for person in article.people.all()]
        # Cards: no reviewed film (see home()).
        related = (
            Article.objects.published()
            .select_related("section", "lead_image")
            .prefetch_related(bylines_prefetch())
            .matching(Q(films__in=films) | Q(people__in=people))
            .exclude(pk=article.pk)[:4]
        )
        return super().get_context_data(
            related=related,
            breadcrumbs=[
                index_crumb(self.reviews),
                (article.headline, article.get_absolute_url()),
            ],
            **kwargs,
        )


class SectionDetailView(MemoPaginationMixin, ListView):
    """A section and its published articles."""

    paginate_by = PAGE_SIZE
    template_name = "news/section_detail.html"

    def pagination_key(self) -> str:
        return list_key("articles", "section", self.section.pk)

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(section=self.section)

    def get_context_data(self, **kwargs):
        section = self.section
        return super().get_context_data(
            section=section,
            breadcrumbs=[(section.name, section.get_absolute_url())],
            **kwargs,
        )


class AuthorDetailView(MemoPaginationMixin, ListView):
    """An author, their biography and their published articles."""

    paginate_by = PAGE_SIZE
    template_name = "news/author_detail.html"

    def pagination_key(self) -> str:
        return list_key("articles", "author", self.author.pk)

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.select_related("person"), slug=self.kwargs["slug"]
        )
        return Article.objects.published().for_listing().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        author = self.author
        return super().get_context_data(
            author=author,
            breadcrumbs=[(author.name, author.get_absolute_url())],
            **kwargs,
        )


def feed_list(request):
    """/feeds/: the site-wide and section feeds, with addresses to copy."""

    def feed(name: str, description: str, url_name: str, **kwargs) -> dict:
        links = feed_links(url_name, request.build_absolute_uri, **kwargs)
        return {"name": name, "description": description, "links": links}

    site_feeds = [
        feed(
            "Latest articles",
            f"Everything {settings.SITE_NAME} publishes: news, reviews and features.",
            "latest-feed",
        ),
        feed("News", "News and features, without the reviews.", "news-feed"),
        feed("Reviews", "Reviews only, each with its film and rating.", "review-feed"),
    ]
    section_feeds = [
        feed(section.name, section.description, "section-feed", slug=section.slug)
        for section in Section.objects.all()
    ]
    return render(
        request,
        "news/feeds.html",
        {
            "site_feeds": site_feeds,
            "section_feeds": section_feeds,
            "site_root": request.build_absolute_uri(reverse("home")),
            "breadcrumbs": [("Feeds", reverse("news:feed-list"))],
        },
    )
