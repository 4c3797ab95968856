from django.urls import path

from corredor.screening import views

urlpatterns = [
    path("screening/watchlists/", views.watchlists, name="screening-watchlists"),
    path("screening/watchlists/<slug:code>/", views.watchlist_detail, name="screening-watchlist"),
    path(
        "screening/watchlists/<slug:code>/active/", views.watchlist_active, name="screening-watchlist-active"
    ),
    path(
        "screening/watchlists/<slug:code>/alerts/new/<str:kind>/",
        views.alert_form,
        name="screening-alert-new",
    ),
    path(
        "screening/watchlists/<slug:code>/alerts/<str:kind>/<int:alert_id>/",
        views.alert_form,
        name="screening-alert",
    ),
    path(
        "screening/watchlists/<slug:code>/alerts/<str:kind>/<int:alert_id>/end/",
        views.alert_end,
        name="screening-alert-end",
    ),
    path("screening/watchlists/<slug:code>/import/", views.import_upload, name="screening-import-upload"),
    path("screening/imports/<uuid:job_id>/", views.import_job, name="screening-import"),
    path("screening/imports/<uuid:job_id>/status/", views.import_status, name="screening-import-status"),
    path("screening/hits/", views.hits, name="screening-hits"),
    path("screening/hits/<uuid:hit_id>/", views.hit_detail, name="screening-hit"),
]
