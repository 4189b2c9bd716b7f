from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News and reviews"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_save

        from catalog.models import Film, Person
        from core import generation
        from permalinks.registry import track

        from . import roles, schedule
        from .feeds import FORMATS, format_url_name
        from .models import Article

        track(
            Article,
            "news:article-detail",
            "news:review-detail",
            canonical=True,
            visible=Article.objects.published,
        )
        for model, feed in [(Film, "news:film-feed"), (Person, "news:person-feed")]:
            track(
                model,
                *(format_url_name(feed, suffix) for _label, suffix, _ in FORMATS),
            )
        generation.DUE_PROVIDERS.append(schedule.upcoming)
        post_save.connect(schedule.article_saved, sender=Article)
        m2m_changed.connect(roles.make_staff, sender=get_user_model().groups.through)
