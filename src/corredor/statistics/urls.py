from django.urls import path

from corredor.statistics import protection_views, views

urlpatterns = [
    path("statistics/", views.dashboard, name="statistics"),
    path("statistics/explore/", views.explore, name="statistics-explore"),
    path("statistics/download/", views.download, name="statistics-download"),
    path("statistics/bulletin/", views.bulletin, name="statistics-bulletin"),
    path("statistics/context/", views.context_page, name="statistics-context"),
    path("statistics/protection/", protection_views.protection_page, name="statistics-protection"),
    path(
        "statistics/protection/download/",
        protection_views.protection_download,
        name="statistics-protection-download",
    ),
]
