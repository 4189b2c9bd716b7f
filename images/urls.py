from django.conf import settings
from django.urls import path

from . import views


def media_urlpatterns():
    """The media route, when media is served by this site rather than elsewhere.

    A ``MEDIA_URL`` on another host (a CDN, object storage) needs no route here.
    """
    if not settings.MEDIA_URL.startswith("/") or settings.MEDIA_URL.startswith("//"):
        return []
    prefix = settings.MEDIA_URL.strip("/")
    return [path(f"{prefix}/<path:path>", views.serve, name="media")]
