"""A real worker: `manage.py db_worker` in its own process, with the settings
the site runs with, makes the renditions of a still uploaded through the admin."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from catalog.models import Still
from images.models import Picture
from tests.factories import image_upload, make_film
from tests.images.test_uploads import stored_files

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90


def database_url() -> str:
    """The test database, as DATABASE_URL names it for the worker."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_makes_the_renditions_of_an_uploaded_still(
    admin_client, media_root, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    film = make_film()
    response = admin_client.post(
        f"/admin/catalog/film/{film.pk}/stills/upload/",
        {
            "new_stills": image_upload("set.jpg", 1200, 800),
            "new_stills_alt_text": "On the laboratory set",
            "new_stills_kind": "production",
        },
    )
    assert response.status_code == 201
    still = Still.objects.get()
    assert still.status == Picture.Status.PROCESSING
    assert stored_files(media_root) == [still.image.name]
    assert DBTaskResult.objects.get().status == "READY"

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "filmsite.settings",
        "DJANGO_ENV_FILE": "",
        "DJANGO_SECRET_KEY": "worker-test-" + "x" * 50,
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url(),
        "DJANGO_MEDIA_ROOT": str(media_root),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and worker.poll() is None:
            still.refresh_from_db()
            if still.status != Picture.Status.PROCESSING:
                break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)  # what Ctrl-C or a service stop sends
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert still.status == Picture.Status.READY, output
    assert still.is_ready
    assert stored_files(media_root) == sorted(still.file_names())
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
