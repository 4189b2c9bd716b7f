from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News and reviews"

    def ready(self):
        from catalog.models import Film, Person
        from permalinks.registry import track

        from .feeds import FORMATS
        from .models import Article

        track(
            Article,
            "news:article-detail",
            "news:review-detail",
            canonical=True,
            visible=lambda: Article.objects.published(),
        )
        for model, feed in [(Film, "news:film-feed"), (Person, "news:person-feed")]:
            track(
                model,
                *(
                    f"{feed}-{suffix}" if suffix else feed
                    for _label, suffix, _generator in FORMATS
                ),
            )
