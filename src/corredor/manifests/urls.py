from django.urls import path

from corredor.manifests import views

urlpatterns = [
    path("flights/", views.flight_list, name="flights"),
    path("flights/coverage/", views.coverage, name="flights-coverage"),
    path("flights/<uuid:flight_id>/", views.flight_page, name="flight"),
]
