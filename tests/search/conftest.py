import pytest

from demo.catalog import load_catalog_demo
from demo.news import load_news_demo


@pytest.fixture
def demo(db):
    """The demo catalog and articles: Jung_E, its cast and crew, related
    works, and the three articles, spelled as in the facts file."""
    load_catalog_demo()
    load_news_demo()
