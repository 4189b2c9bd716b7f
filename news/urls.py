from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("news/", views.ArticleListView.as_view(), name="article-list"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("reviews/", views.ArticleListView.as_view(reviews=True), name="review-list"),
    path(
        "reviews/<slug:slug>/",
        views.ArticleDetailView.as_view(reviews=True),
        name="review-detail",
    ),
    path(
        "sections/<slug:slug>/",
        views.SectionDetailView.as_view(),
        name="section-detail",
    ),
    path(
        "authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"
    ),
]
