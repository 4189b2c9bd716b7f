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


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty page cache and a fresh generation: a page
    stored by an earlier test, from rows since rolled back, is never served."""
    from django.conf import settings
    from django.core.cache import caches

    from core import generation

    for alias in {settings.PAGE_CACHE_ALIAS, settings.PAGE_CACHE_GENERATION_ALIAS}:
        caches[alias].clear()
    generation._stores.clear()
    generation.save_dues(())  # the test database holds no scheduled article
    generation.bump()
    yield


@pytest.fixture
def settle():
    """Let the content stand still into the next second, as it does between
    most changes: HTTP dates count whole seconds, so a page answers 304 to
    If-Modified-Since only when no other version of it shares its second."""
    import math
    import time

    from core import generation

    def wait() -> None:
        time.sleep(math.ceil(time.time()) - time.time() + 0.01)
        generation.bump()

    return wait


@pytest.fixture
def uncached(monkeypatch):
    """Requests bypass the page cache (values memoised per content generation
    stay in use): for tests that read a rendered page's context or count the
    queries of a warm, uncached request."""
    monkeypatch.setattr("core.pagecache.cacheable_request", lambda request: False)
