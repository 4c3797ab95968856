from django.urls import path

from corredor.statistics import views

urlpatterns = [
    path("statistics/", views.dashboard, name="statistics"),
    path("statistics/explore/", views.explore, name="statistics-explore"),
    path("statistics/download/", views.download, name="statistics-download"),
    path("statistics/bulletin/", views.bulletin, name="statistics-bulletin"),
    path("statistics/context/", views.context_page, name="statistics-context"),
]
