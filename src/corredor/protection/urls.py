"""Protection: URLs."""

from django.urls import URLPattern, URLResolver, path

from corredor.protection import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("protection/", views.home, name="protection"),
    path("protection/cases/", views.cases, name="protection-cases"),
    path("protection/cases/export/", views.cases_export, name="protection-cases-export"),
    path("protection/cases/new/", views.case_register, name="protection-case-register"),
    path("protection/cases/<uuid:case_id>/", views.case_page, name="protection-case"),
    path("protection/cases/<uuid:case_id>/events/", views.case_event, name="protection-case-event"),
    path("protection/cases/<uuid:case_id>/close/", views.case_close, name="protection-case-close"),
    path("protection/cases/<uuid:case_id>/reopen/", views.case_reopen, name="protection-case-reopen"),
    path("protection/cases/<uuid:case_id>/assign/", views.case_assign, name="protection-case-assign"),
    path("protection/cases/<uuid:case_id>/refer/", views.case_refer, name="protection-case-refer"),
    path("protection/cases/<uuid:case_id>/tasks/", views.task_add, name="protection-task-add"),
    path("protection/cases/<uuid:case_id>/tracing/", views.tracing_add, name="protection-tracing-add"),
    path("protection/cases/<uuid:case_id>/avrr/", views.avrr_apply, name="protection-avrr-apply"),
    path("protection/tasks/<uuid:task_id>/done/", views.task_done, name="protection-task-done"),
    path("protection/tracing/<uuid:tracing_id>/", views.tracing_status, name="protection-tracing-status"),
    path("protection/returns/", views.reintegrations, name="protection-reintegrations"),
    path("protection/returns/<uuid:avrr_id>/", views.avrr_page, name="protection-avrr"),
    path("protection/returns/<uuid:avrr_id>/<slug:step>/", views.avrr_step, name="protection-avrr-step"),
    path("protection/shared/", views.shared, name="protection-shared"),
    path("protection/sent/", views.sent, name="protection-sent"),
    path("protection/referrals/", views.referrals_made, name="protection-referrals"),
    path("protection/referrals/<uuid:transition_id>/", views.transition_page, name="protection-transition"),
    path(
        "protection/referrals/<uuid:transition_id>/<slug:answer>/",
        views.transition_answer,
        name="protection-transition-answer",
    ),
    path("protection/departures/", views.departures, name="protection-departures"),
    path("protection/departures/<uuid:avrr_id>/", views.departure_record, name="protection-departure"),
    path("protection/consent-form/", views.consent_form, name="protection-consent-form"),
]
