"""Serving uploaded images from the embedded set-up (``make run``).

A production deployment points ``MEDIA_URL`` at a web server or a CDN in front of
the storage; this view is for a single machine serving its own media folder. It
serves image files only, each under a policy that forbids a browser from treating
it as anything but an image.
"""

import os
import stat
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from . import files

CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
}
# Renditions never change under their name (a new image gets a new directory);
# a master is only ever fetched by staff, so it is not cached for long.
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"


@require_safe
def serve(request, path):
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404("Only images are served from media.")
    if files.is_upload(path):
        # The file as sent, metadata and all, until the task re-encodes it.
        raise Http404("An upload is served once it is processed.")
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
    except SuspiciousFileOperation:
        raise Http404("Not a media file.") from None
    try:
        info = os.stat(full_path)
    except (OSError, ValueError):
        raise Http404("No such media file.") from None
    if not stat.S_ISREG(info.st_mode):
        raise Http404("No such media file.")

    cache_control = SHORT if PurePosixPath(path).stem == "original" else IMMUTABLE
    if not was_modified_since(
        request.META.get("HTTP_IF_MODIFIED_SINCE"), info.st_mtime
    ):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(open(full_path, "rb"), content_type=content_type)  # noqa: SIM115
    response["Last-Modified"] = http_date(info.st_mtime)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    # Opened directly, an image is a document of its own: give it no powers.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-site"
    return response
