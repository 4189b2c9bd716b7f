import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def count_queries(client):
    """GET a URL and return how many queries the page ran (it must answer 200)."""

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(queries)

    return count


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Every test stores its uploads in a folder of its own, never the project's."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def small_demo_pictures(monkeypatch):
    """The demo draws its pictures at a quarter of their size in tests: the same
    drawings and pipeline, a fraction of the time."""
    monkeypatch.setattr("demo.pictures.SCALE", 0.25)
