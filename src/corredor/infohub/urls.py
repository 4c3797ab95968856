"""Information hub: the public pages under /hub/<lang>/, its files (/hub/map.json, /hub/alerts.atom,
/hub/alerts.json, /hub/bundle.json, /hub/sw.js, /hub/manifest.webmanifest) and the editors' pages under
/hub/edit/ (central only)."""

from django.urls import URLPattern, URLResolver, path

from corredor.infohub import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("hub/", views.hub_root, name="hub-root"),
    path("hub/lang/<str:code>/", views.hub_set_language, name="hub-language"),
    path("hub/map.json", views.map_data, name="hub-map-data"),
    path("hub/alerts.atom", views.alerts_atom, name="hub-alerts-atom"),
    path("hub/alerts.json", views.alerts_json, name="hub-alerts-json"),
    path("hub/bundle.json", views.bundle_file, name="hub-bundle"),
    path("hub/sw.js", views.service_worker, name="hub-service-worker"),
    path("hub/manifest.webmanifest", views.manifest, name="hub-manifest"),
    path("hub/edit/", views.editor_home, name="hub-editor"),
    path("hub/edit/services/new/", views.editor_service, name="hub-editor-service-new"),
    path("hub/edit/services/<uuid:pk>/", views.editor_service, name="hub-editor-service"),
    path(
        "hub/edit/services/<uuid:pk>/submit/", views.editor_service_submit, name="hub-editor-service-submit"
    ),
    path(
        "hub/edit/services/<uuid:pk>/review/", views.editor_service_review, name="hub-editor-service-review"
    ),
    path("hub/edit/alerts/new/", views.editor_alert, name="hub-editor-alert-new"),
    path("hub/edit/alerts/<uuid:pk>/", views.editor_alert, name="hub-editor-alert"),
    path("hub/edit/topics/<slug:slug>/", views.editor_topic, name="hub-editor-topic"),
    path("hub/edit/visas/", views.editor_visas, name="hub-editor-visas"),
    path("hub/edit/publish/", views.editor_publish, name="hub-editor-publish"),
    path("hub/<str:lang>/", views.home, name="hub-home"),
    path("hub/<str:lang>/entry/", views.entry, name="hub-entry"),
    path("hub/<str:lang>/services/", views.services_page, name="hub-services"),
    path("hub/<str:lang>/alerts/", views.alerts_page, name="hub-alerts"),
    path("hub/<str:lang>/guide/", views.guide, name="hub-guide"),
    path("hub/<str:lang>/remittances/", views.remittances_page, name="hub-remittances"),
    path("hub/<str:lang>/saved/", views.saved_page, name="hub-saved"),
    path("hub/<str:lang>/offline/", views.offline_page, name="hub-offline"),
]
