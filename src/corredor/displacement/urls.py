"""Displacement: URLs."""

from django.urls import URLPattern, URLResolver, path

from corredor.displacement import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("emergencies/", views.events, name="displacement-events"),
    path("emergencies/<slug:code>/", views.event_detail, name="displacement-event"),
    path("emergencies/<slug:code>/manage/", views.manage, name="displacement-manage"),
    path(
        "emergencies/<slug:code>/registrations/",
        views.registrations_dashboard,
        name="displacement-registrations",
    ),
    path("emergencies/<slug:code>/rounds/<int:number>/", views.round_detail, name="displacement-round"),
    path(
        "emergencies/<slug:code>/flows/<slug:point_code>/", views.flow_point, name="displacement-flow-point"
    ),
    path("emergencies/<slug:code>/map/", views.event_map, name="displacement-map"),
    path("emergencies/<slug:code>/map.geojson", views.map_data, name="displacement-map-data"),
    path("emergencies/<slug:code>/export/<slug:table>.<slug:fmt>", views.export, name="displacement-export"),
    path("emergencies/<slug:code>/register/", views.register, name="displacement-register"),
    path("emergencies/<slug:code>/households/", views.households, name="displacement-households"),
    path(
        "emergencies/<slug:code>/households/<uuid:household_id>/",
        views.household_detail,
        name="displacement-household",
    ),
    path("emergencies/<slug:code>/collect/", views.collect, name="displacement-collect"),
    path("emergencies/<slug:code>/xlsform.xlsx", views.registration_xlsform, name="displacement-xlsform"),
    path("emergencies/<slug:code>/imports/", views.import_upload, name="displacement-import-upload"),
    path("emergencies/<slug:code>/imports/<uuid:job_id>/", views.import_job, name="displacement-import"),
]
