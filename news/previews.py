"""Preview links: an unguessable, expiring, revocable address at which someone
without an account reads a draft or scheduled article as it will appear.

The address holds 256 random bits; the database keeps only their SHA-256, so a
copy of the database opens no preview. A link stops working when it is revoked
or expires, and once the article is published it leads to the public page.
The page is never stored by the page cache (the view is not a public page),
says `noindex`, and sends no Referer, so the secret does not travel with a
click on a link in the article.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .models import Article, PreviewLink

DEFAULT_DAYS = 7
MAX_DAYS = 90


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(
    article: Article, user: AbstractBaseUser, *, days: int = DEFAULT_DAYS, note=""
) -> tuple[PreviewLink, str]:
    """A new link to `article`, valid for `days`; returns it and the path to
    give out (the only time the secret is known)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A preview link lasts 1 to {MAX_DAYS} days.")
    secret = secrets.token_urlsafe(32)
    link = PreviewLink.objects.create(
        article=article,
        digest=digest(secret),
        note=note,
        created_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return link, reverse("news:preview", kwargs={"secret": secret})


@require_safe
def preview(request: HttpRequest, secret: str) -> HttpResponse:
    link = (
        PreviewLink.objects.select_related("article")
        .filter(digest=digest(secret))
        .first()
    )
    if link is None or not link.works:
        raise Http404("This preview link does not exist, has expired or was revoked.")
    if link.article.is_live:
        return redirect(link.article)
    article = Article.objects.for_page().get(pk=link.article_id)
    response = TemplateResponse(
        request,
        "news/article_detail.html",
        {"article": article, "preview": True, "related": []},
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
